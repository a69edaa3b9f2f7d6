"""tracking: follow-ups, trackers, closure (issue 6)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24 14:30:00
"""
import sqlalchemy as sa
from alembic import op

import models.base

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('followups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('observed_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reposts', sa.Integer(), nullable=True),
    sa.Column('comments', sa.Integer(), nullable=True),
    sa.Column('views', sa.Integer(), nullable=True),
    sa.Column('sentiment', sa.String(length=16), nullable=True),
    sa.Column('sentiment_share', sa.Integer(), nullable=True),
    sa.Column('media', sa.String(length=16), nullable=True),
    sa.Column('platforms', sa.JSON(), nullable=False),
    sa.Column('regions', sa.JSON(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['people.id'], name=op.f('fk_followups_author_id_people')),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_followups_incident_id_incidents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_followups'))
    )
    with op.batch_alter_table('followups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_followups_incident_id'), ['incident_id'], unique=False)

    op.create_table('closure_proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('proposed_by', sa.Integer(), nullable=False),
    sa.Column('proposed_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('summary', sa.JSON(), nullable=False),
    sa.Column('warnings', sa.JSON(), nullable=False),
    sa.Column('approver_role', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decided_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by'], ['people.id'], name=op.f('fk_closure_proposals_decided_by_people')),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_closure_proposals_incident_id_incidents')),
    sa.ForeignKeyConstraint(['proposed_by'], ['people.id'], name=op.f('fk_closure_proposals_proposed_by_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_closure_proposals'))
    )
    with op.batch_alter_table('closure_proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_closure_proposals_incident_id'), ['incident_id'], unique=False)

    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tracker_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('tracker_since', models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('closed_at', models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('closed_by', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('close_summary', sa.JSON(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_incidents_tracker_id_people'), 'people', ['tracker_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_incidents_closed_by_people'), 'people', ['closed_by'], ['id'])

    op.create_table('held_followups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('chat_id', sa.BigInteger(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('followup_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['people.id'], name=op.f('fk_held_followups_author_id_people')),
    sa.ForeignKeyConstraint(['followup_id'], ['followups.id'], name=op.f('fk_held_followups_followup_id_followups')),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_held_followups_incident_id_incidents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_held_followups'))
    )
    with op.batch_alter_table('held_followups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_held_followups_incident_id'), ['incident_id'], unique=False)

    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.add_column(sa.Column('followup_id', sa.Integer(), nullable=True))
        batch_op.alter_column('report_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f('ix_evidence_followup_id'), ['followup_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_evidence_followup_id_followups'), 'followups', ['followup_id'], ['id'])


def downgrade() -> None:
    # Follow-up evidence has no report to belong to in the older schema.
    op.execute("DELETE FROM evidence WHERE report_id IS NULL")
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_evidence_followup_id_followups'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_evidence_followup_id'))
        batch_op.alter_column('report_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('followup_id')

    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_incidents_closed_by_people'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_incidents_tracker_id_people'), type_='foreignkey')
        batch_op.drop_column('close_summary')
        batch_op.drop_column('closed_by')
        batch_op.drop_column('closed_at')
        batch_op.drop_column('tracker_since')
        batch_op.drop_column('tracker_id')

    with op.batch_alter_table('held_followups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_held_followups_incident_id'))
    op.drop_table('held_followups')
    with op.batch_alter_table('closure_proposals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_closure_proposals_incident_id'))
    op.drop_table('closure_proposals')
    with op.batch_alter_table('followups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_followups_incident_id'))
    op.drop_table('followups')
