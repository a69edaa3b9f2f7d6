"""rooms: an incident's forum topic in the office group, decisions typed there, a thread on outbox rows (issue 23)

Down drops both tables and the outbox column: rooms and decisions are lost (the timeline keeps their
sentences); a row still waiting for a topic goes to the office group itself.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-04 15:00:00
"""
import sqlalchemy as sa
from alembic import op

import models.base

revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('incident_rooms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('conv', sa.String(length=128), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('outbox_id', sa.Integer(), nullable=True),
    sa.Column('thread', sa.String(length=64), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('opened_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_incident_rooms_incident_id_incidents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident_rooms')),
    sa.UniqueConstraint('incident_id', name=op.f('uq_incident_rooms_incident_id'))
    )
    with op.batch_alter_table('incident_rooms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incident_rooms_thread'), ['thread'], unique=False)
    op.create_table('decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('decided_by', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['decided_by'], ['people.id'], name=op.f('fk_decisions_decided_by_people')),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_decisions_incident_id_incidents')),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_decisions_task_id_tasks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decisions'))
    )
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decisions_incident_id'), ['incident_id'], unique=False)
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('thread', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('thread')
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decisions_incident_id'))
    op.drop_table('decisions')
    with op.batch_alter_table('incident_rooms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incident_rooms_thread'))
    op.drop_table('incident_rooms')
