"""when each committee member was last reminded of their pending reviews (issue 14)

Revision ID: bdec9ae05dc7
Revises: ad58d7c92767
Create Date: 2026-12-03 12:00:00.000000

"""

from alembic import op
import sqlalchemy as sa

import portal.db


# revision identifiers, used by Alembic.
revision = "bdec9ae05dc7"
down_revision = "ad58d7c92767"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("committee_members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reminded_at", portal.db.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("committee_members", schema=None) as batch_op:
        batch_op.drop_column("reminded_at")
