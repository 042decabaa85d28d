"""co-supervisor look-up: whether the owner lets directors fill their details from their address

Revision ID: bf800c4525f3
Revises: 6883b95a2030
Create Date: 2026-12-02 06:08:58.778057

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "bf800c4525f3"
down_revision = "6883b95a2030"
branch_labels = None
depends_on = None


def upgrade():
    # Off for every existing account: nobody is found until they say so in their profile.
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("findable_as_co_supervisor", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("findable_as_co_supervisor")
