"""conflict rulings (a detected conflict is suspected until staff confirm or waive it) and the
institution e-mail domains a call's domain rule ignores (issue 14)

Revision ID: c4f1e2a9d7b3
Revises: c4d2e8a9f1b3
Create Date: 2026-12-03 06:50:00.000000

"""

from alembic import op
import sqlalchemy as sa

import portal.db


# revision identifiers, used by Alembic.
revision = "c4f1e2a9d7b3"
down_revision = "c4d2e8a9f1b3"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "conflict_rulings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "verdict",
            sa.Enum("confirmed", "waived", name="conflict_verdict", native_enum=False, length=24),
            nullable=False,
        ),
        sa.Column("kinds", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_conflict_rulings_decided_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposals.id"],
            name=op.f("fk_conflict_rulings_proposal_id_proposals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_conflict_rulings_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conflict_rulings")),
        sa.UniqueConstraint("proposal_id", "user_id", name=op.f("uq_conflict_rulings_proposal_id_user_id")),
    )
    with op.batch_alter_table("conflict_rulings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_conflict_rulings_proposal_id"), ["proposal_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_conflict_rulings_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("ignored_mail_domains", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )


def downgrade():
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.drop_column("ignored_mail_domains")

    with op.batch_alter_table("conflict_rulings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conflict_rulings_user_id"))
        batch_op.drop_index(batch_op.f("ix_conflict_rulings_proposal_id"))

    op.drop_table("conflict_rulings")
