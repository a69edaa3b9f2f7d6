"""units: a unit has aliases and a head (who answers for it); an incident names the unit involved (issue 22)

Existing units get no aliases and no head; existing incidents no unit (the office may set it with /unit).
Down drops the three columns: what they held (aliases, heads, the unit an incident involves) is lost; the
timeline keeps the unit's name in the rows that set it.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04 11:45:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.add_column(sa.Column('aliases', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('head_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_units_head_id_people'), 'people', ['head_id'], ['id'])
    with op.batch_alter_table('units', schema=None) as batch_op:  # the default filled old rows; the model has none
        batch_op.alter_column('aliases', existing_type=sa.JSON(), existing_nullable=False, server_default=None)
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_incidents_unit_id_units'), 'units', ['unit_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_incidents_unit_id_units'), type_='foreignkey')
        batch_op.drop_column('unit_id')
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_units_head_id_people'), type_='foreignkey')
        batch_op.drop_column('head_id')
        batch_op.drop_column('aliases')
