"""committee bidding dates: members bid between them, bidding is closed outside (issue 14)

Revision ID: 62f9750b2e76
Revises: 7b2e91c4d5a8
Create Date: 2026-12-04 09:00:00.000000

"""

from alembic import op
import sqlalchemy as sa

import portal.db


# revision identifiers, used by Alembic.
revision = "62f9750b2e76"
down_revision = "7b2e91c4d5a8"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("committees", schema=None) as batch_op:
        batch_op.add_column(sa.Column("bidding_opens_at", portal.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("bidding_closes_at", portal.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_committees_bidding_closes_after_opening"), "bidding_closes_at > bidding_opens_at"
        )


def downgrade():
    with op.batch_alter_table("committees", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_committees_bidding_closes_after_opening"), type_="check")
        batch_op.drop_column("bidding_closes_at")
        batch_op.drop_column("bidding_opens_at")
