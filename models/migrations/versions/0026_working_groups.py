"""working groups: the special working group of a major incident (专门工作组) with each member's role in it, its
meetings (碰头会) and the members' answers (issue 23 item 4)

Down drops the four tables: the groups, members, meetings and answers are lost; the timeline keeps what each
step said (proposed, edited, confirmed, meeting proposed, answered, invited) in its sentences.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-04 15:00:00
"""
import sqlalchemy as sa
from alembic import op

import models.base

revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'working_groups',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('incident_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('proposed_at', models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('proposed_by', sa.Integer(), nullable=True),
        sa.Column('confirmed_at', models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column('confirmed_by', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['confirmed_by'], ['people.id'], name=op.f('fk_working_groups_confirmed_by_people')),
        sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'],
                                name=op.f('fk_working_groups_incident_id_incidents')),
        sa.ForeignKeyConstraint(['proposed_by'], ['people.id'], name=op.f('fk_working_groups_proposed_by_people')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_working_groups')),
        sa.UniqueConstraint('incident_id', name=op.f('uq_working_groups_incident_id')),
    )
    op.create_table(
        'working_group_members',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('group_id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(length=32), nullable=False),
        sa.Column('added_at', models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('invited_at', models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['group_id'], ['working_groups.id'],
                                name=op.f('fk_working_group_members_group_id_working_groups')),
        sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_working_group_members_person_id_people')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_working_group_members')),
        sa.UniqueConstraint('group_id', 'person_id', name=op.f('uq_working_group_members_group_id_person_id')),
    )
    with op.batch_alter_table('working_group_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_working_group_members_group_id'), ['group_id'], unique=False)
    op.create_table(
        'group_meetings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('group_id', sa.Integer(), nullable=False),
        sa.Column('incident_id', sa.Integer(), nullable=False),
        sa.Column('starts_at', models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('proposed_at', models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('agenda', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['group_id'], ['working_groups.id'],
                                name=op.f('fk_group_meetings_group_id_working_groups')),
        sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_group_meetings_incident_id_incidents')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_group_meetings')),
    )
    with op.batch_alter_table('group_meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_meetings_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_group_meetings_incident_id'), ['incident_id'], unique=False)
    op.create_table(
        'group_meeting_answers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('meeting_id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('answer', sa.String(length=8), nullable=False),
        sa.Column('answered_at', models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['meeting_id'], ['group_meetings.id'],
                                name=op.f('fk_group_meeting_answers_meeting_id_group_meetings')),
        sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_group_meeting_answers_person_id_people')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_group_meeting_answers')),
        sa.UniqueConstraint('meeting_id', 'person_id', name=op.f('uq_group_meeting_answers_meeting_id_person_id')),
    )
    with op.batch_alter_table('group_meeting_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_meeting_answers_meeting_id'), ['meeting_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('group_meeting_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_meeting_answers_meeting_id'))
    op.drop_table('group_meeting_answers')
    with op.batch_alter_table('group_meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_meetings_incident_id'))
        batch_op.drop_index(batch_op.f('ix_group_meetings_group_id'))
    op.drop_table('group_meetings')
    with op.batch_alter_table('working_group_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_working_group_members_group_id'))
    op.drop_table('working_group_members')
    op.drop_table('working_groups')
