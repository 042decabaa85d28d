"""outbox: files attached when the message is sent (the official PDF), not when it is written

Revision ID: 6883b95a2030
Revises: 027eb3d978ca
Create Date: 2026-12-02 05:54:21.464859

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "6883b95a2030"
down_revision = "027eb3d978ca"
branch_labels = None
depends_on = None

COMPLETE = (
    "attachment_kind IS NULL OR (attachment_key IS NOT NULL AND attachment_name IS NOT NULL"
    " AND raw_without_attachment IS NOT NULL)"
)


def upgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attachment_kind", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("attachment_key", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("attachment_name", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("raw_without_attachment", sa.LargeBinary(), nullable=True))
        batch_op.create_check_constraint(op.f("ck_outbox_messages_later_attachment_complete"), COMPLETE)


def downgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_outbox_messages_later_attachment_complete"), type_="check")
        batch_op.drop_column("raw_without_attachment")
        batch_op.drop_column("attachment_name")
        batch_op.drop_column("attachment_key")
        batch_op.drop_column("attachment_kind")
