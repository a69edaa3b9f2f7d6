"""assessments: the leaders' assessment of an incident — its nature (category) before and after, a large effect on
the image, the response decision (watch / respond / full) with a reason, and the version it was based on (issue 22)

Revision ID: 0020
Revises: 0017
Create Date: 2026-12-04 12:10:00
"""
import sqlalchemy as sa
from alembic import op

import models.base

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'assessments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('incident_id', sa.Integer(), nullable=False),
        sa.Column('based_on', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=True),
        sa.Column('actor_telegram_id', sa.BigInteger(), nullable=True),
        sa.Column('actor_name', sa.String(length=200), nullable=True),
        sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('category_before', sa.String(length=32), nullable=True),
        sa.Column('category_after', sa.String(length=32), nullable=True),
        sa.Column('large_effect', sa.Boolean(), nullable=False),
        sa.Column('grade_before', sa.String(length=32), nullable=True),
        sa.Column('grade_after', sa.String(length=32), nullable=True),
        sa.Column('decision', sa.String(length=16), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_assessments_incident_id_incidents')),
        sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_assessments_person_id_people')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_assessments')),
        sa.UniqueConstraint('incident_id', 'based_on', name=op.f('uq_assessments_incident_id_based_on')),
    )
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessments_incident_id'), ['incident_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessments_incident_id'))
    op.drop_table('assessments')
