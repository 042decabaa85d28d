"""anonymous reviewers (a letter per member and proposal) and the chair's summary for the director
(issue 14)

Revision ID: ad58d7c92767
Revises: 7b3e9d1a4c26
Create Date: 2026-12-03 09:30:00.000000

"""

from alembic import op
import sqlalchemy as sa

import portal.db


# revision identifiers, used by Alembic.
revision = "ad58d7c92767"
down_revision = "7b3e9d1a4c26"
branch_labels = None
depends_on = None


def _give_existing_letters(connection) -> None:
    """Every member already assigned to a proposal, then every member who posted on it without an
    assignment, gets a letter in that order: the same rows the application writes from now on."""
    assigned = connection.execute(
        sa.text("SELECT proposal_id, reviewer_id FROM assignments ORDER BY proposal_id, id")
    ).all()
    posted = connection.execute(
        sa.text(
            "SELECT p.proposal_id, p.author_id FROM discussion_posts p"
            " JOIN proposals pr ON pr.id = p.proposal_id"
            " JOIN committees c ON c.campaign_id = pr.campaign_id AND c.initiative_id = pr.initiative_id"
            " JOIN committee_members m ON m.committee_id = c.id AND m.user_id = p.author_id"
            " ORDER BY p.proposal_id, p.id"
        )
    ).all()
    seen = set()
    for proposal_id, user_id in [*assigned, *posted]:
        if (proposal_id, user_id) in seen:
            continue
        seen.add((proposal_id, user_id))
        connection.execute(
            sa.text("INSERT INTO reviewer_aliases (proposal_id, user_id) VALUES (:proposal, :user)"),
            {"proposal": proposal_id, "user": user_id},
        )


def upgrade():
    with op.batch_alter_table("committees", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("anonymous_reviewers", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("directors_see_comments", sa.Boolean(), nullable=False, server_default=sa.true())
        )

    op.create_table(
        "reviewer_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposals.id"],
            name=op.f("fk_reviewer_aliases_proposal_id_proposals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_reviewer_aliases_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviewer_aliases")),
        sa.UniqueConstraint("proposal_id", "user_id", name=op.f("uq_reviewer_aliases_proposal_id_user_id")),
    )
    with op.batch_alter_table("reviewer_aliases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reviewer_aliases_proposal_id"), ["proposal_id"], unique=False)

    op.create_table(
        "chair_summaries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposals.id"],
            name=op.f("fk_chair_summaries_proposal_id_proposals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_chair_summaries_updated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chair_summaries")),
        sa.UniqueConstraint("proposal_id", name=op.f("uq_chair_summaries_proposal_id")),
    )

    _give_existing_letters(op.get_bind())


def downgrade():
    op.drop_table("chair_summaries")

    with op.batch_alter_table("reviewer_aliases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reviewer_aliases_proposal_id"))

    op.drop_table("reviewer_aliases")

    with op.batch_alter_table("committees", schema=None) as batch_op:
        batch_op.drop_column("directors_see_comments")
        batch_op.drop_column("anonymous_reviewers")
