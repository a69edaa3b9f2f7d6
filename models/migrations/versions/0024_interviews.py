"""interviews and breaches: media interview requests authorised through the release's approval stages, their
decisions, and interviews or disclosures made without authorisation (issue 23, item 2)

Their own decisions table rather than release_decisions generalised: release_decisions' draft_id is a foreign
key to release_drafts, and making it point at either kind would rewrite a table that holds every release
decision already taken. Down drops the three tables: the requests, decisions and breaches are lost; the
timeline keeps what each said in its sentences.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-04 15:10:00
"""
import sqlalchemy as sa
from alembic import op

import models.base

revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('interview_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('media', sa.String(length=200), nullable=False),
    sa.Column('reporter', sa.String(length=200), nullable=False),
    sa.Column('topic', sa.Text(), nullable=False),
    sa.Column('speaker_id', sa.Integer(), nullable=True),
    sa.Column('requested_by', sa.Integer(), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('stage', sa.String(length=16), nullable=True),
    sa.Column('decided_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('talking_points', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'],
                            name=op.f('fk_interview_requests_incident_id_incidents')),
    sa.ForeignKeyConstraint(['requested_by'], ['people.id'], name=op.f('fk_interview_requests_requested_by_people')),
    sa.ForeignKeyConstraint(['speaker_id'], ['people.id'], name=op.f('fk_interview_requests_speaker_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interview_requests'))
    )
    with op.batch_alter_table('interview_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interview_requests_incident_id'), ['incident_id'], unique=False)
    op.create_table('interview_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=16), nullable=False),
    sa.Column('decider_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['decider_id'], ['people.id'], name=op.f('fk_interview_decisions_decider_id_people')),
    sa.ForeignKeyConstraint(['request_id'], ['interview_requests.id'],
                            name=op.f('fk_interview_decisions_request_id_interview_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interview_decisions')),
    sa.UniqueConstraint('request_id', 'stage', 'decider_id',
                        name=op.f('uq_interview_decisions_request_id_stage_decider_id'))
    )
    with op.batch_alter_table('interview_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interview_decisions_request_id'), ['request_id'], unique=False)
    op.create_table('breaches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('who', sa.String(length=200), nullable=False),
    sa.Column('what', sa.Text(), nullable=False),
    sa.Column('link', sa.String(length=2048), nullable=True),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('recorded_by', sa.Integer(), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_breaches_incident_id_incidents')),
    sa.ForeignKeyConstraint(['recorded_by'], ['people.id'], name=op.f('fk_breaches_recorded_by_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_breaches'))
    )
    with op.batch_alter_table('breaches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_breaches_incident_id'), ['incident_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('breaches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_breaches_incident_id'))
    op.drop_table('breaches')
    with op.batch_alter_table('interview_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interview_decisions_request_id'))
    op.drop_table('interview_decisions')
    with op.batch_alter_table('interview_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interview_requests_incident_id'))
    op.drop_table('interview_requests')
