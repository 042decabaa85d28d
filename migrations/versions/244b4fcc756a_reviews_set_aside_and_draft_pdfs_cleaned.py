"""reviews set aside by a conflict keep their pair; stored PDFs say whose draft they are (issue gaps)

Revision ID: 244b4fcc756a
Revises: 62f9750b2e76
Create Date: 2026-12-05 09:00:00.000000

"""

from alembic import op
import sqlalchemy as sa

import portal.db


# revision identifiers, used by Alembic.
revision = "244b4fcc756a"
down_revision = "62f9750b2e76"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.add_column(sa.Column("proposal_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("reviewer_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("withdrawn_at", portal.db.UTCDateTime(timezone=True), nullable=True))
    # Every review so far has its assignment: it gives the pair.
    for column in ("proposal_id", "reviewer_id"):
        op.execute(
            f"UPDATE reviews SET {column} = "
            f"(SELECT assignments.{column} FROM assignments WHERE assignments.id = reviews.assignment_id)"
        )
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.alter_column("proposal_id", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("reviewer_id", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("assignment_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f("ix_reviews_proposal_id"), ["proposal_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reviews_reviewer_id"), ["reviewer_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_reviews_proposal_id_proposals"), "proposals", ["proposal_id"], ["id"], ondelete="CASCADE"
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_reviews_reviewer_id_users"), "users", ["reviewer_id"], ["id"], ondelete="CASCADE"
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_reviews_withdrawn_unassigned"), "(assignment_id IS NULL) = (withdrawn_at IS NOT NULL)"
        )

    with op.batch_alter_table("stored_pdfs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("proposal_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("draft", sa.Boolean(), nullable=True))
        batch_op.create_index(batch_op.f("ix_stored_pdfs_proposal_id"), ["proposal_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_stored_pdfs_proposal_id_proposals"),
            "proposals",
            ["proposal_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade():
    with op.batch_alter_table("stored_pdfs", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_stored_pdfs_proposal_id_proposals"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_stored_pdfs_proposal_id"))
        batch_op.drop_column("draft")
        batch_op.drop_column("proposal_id")

    # Reviews set aside have no assignment to go back to: they cannot be kept in the old schema.
    op.execute("DELETE FROM reviews WHERE assignment_id IS NULL")
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_reviews_withdrawn_unassigned"), type_="check")
        batch_op.drop_constraint(batch_op.f("fk_reviews_reviewer_id_users"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_reviews_proposal_id_proposals"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_reviews_reviewer_id"))
        batch_op.drop_index(batch_op.f("ix_reviews_proposal_id"))
        batch_op.alter_column("assignment_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("withdrawn_at")
        batch_op.drop_column("reviewer_id")
        batch_op.drop_column("proposal_id")
