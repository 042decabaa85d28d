"""research units typed by hand in profiles, when not in the reference list (issue 15, point 16)

Revision ID: 7b2e91c4d5a8
Revises: 7611f5e6ad5d
Create Date: 2026-12-03 12:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "7b2e91c4d5a8"
down_revision = "7611f5e6ad5d"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("unit_acronym", sa.String(length=32), server_default="", nullable=False))
        batch_op.add_column(sa.Column("unit_name", sa.String(length=255), server_default="", nullable=False))
        batch_op.add_column(sa.Column("unit_code", sa.String(length=16), server_default="", nullable=False))


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("unit_code")
        batch_op.drop_column("unit_name")
        batch_op.drop_column("unit_acronym")
