"""the quota and the waiting list (over-quota confirmations, waiting-list ranks, contracts given back
and offered) and referrals to another initiative (issue 14)

Revision ID: 7611f5e6ad5d
Revises: bdec9ae05dc7
Create Date: 2026-12-03 11:38:53.237111

"""

from alembic import op
import sqlalchemy as sa

import portal.db


# revision identifiers, used by Alembic.
revision = "7611f5e6ad5d"
down_revision = "bdec9ae05dc7"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "quota_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("committee_id", sa.Integer(), nullable=False),
        sa.Column("funded", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("funded >= 1", name=op.f("ck_quota_overrides_funded_positive")),
        sa.ForeignKeyConstraint(
            ["committee_id"],
            ["committees.id"],
            name=op.f("fk_quota_overrides_committee_id_committees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_quota_overrides_decided_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quota_overrides")),
    )
    with op.batch_alter_table("quota_overrides", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quota_overrides_committee_id"), ["committee_id"], unique=False)

    op.create_table(
        "referrals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("referred_by_id", sa.Integer(), nullable=True),
        sa.Column("referred_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum("taken_up", "not_taken_up", name="referral_outcome", native_enum=False, length=24),
            nullable=True,
        ),
        sa.Column("outcome_comment", sa.Text(), nullable=False),
        sa.Column("outcome_by_id", sa.Integer(), nullable=True),
        sa.Column("outcome_at", portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(outcome IS NULL) = (outcome_at IS NULL)", name=op.f("ck_referrals_outcome_has_time")
        ),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiatives.id"],
            name=op.f("fk_referrals_initiative_id_initiatives"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["outcome_by_id"],
            ["users.id"],
            name=op.f("fk_referrals_outcome_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposals.id"],
            name=op.f("fk_referrals_proposal_id_proposals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["referred_by_id"],
            ["users.id"],
            name=op.f("fk_referrals_referred_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referrals")),
        sa.UniqueConstraint(
            "proposal_id", "initiative_id", name=op.f("uq_referrals_proposal_id_initiative_id")
        ),
    )
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_referrals_initiative_id"), ["initiative_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_referrals_proposal_id"), ["proposal_id"], unique=False)

    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("waiting_rank", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "released",
                sa.Enum("declined", "withdrawn", name="contract_release", native_enum=False, length=24),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("released_at", portal.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("offered_at", portal.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_decisions_waiting_rank_positive"), "waiting_rank IS NULL OR waiting_rank >= 1"
        )
        batch_op.create_check_constraint(
            op.f("ck_decisions_released_was_funded"), "released IS NULL OR outcome = 'funded'"
        )
        batch_op.create_check_constraint(
            op.f("ck_decisions_released_has_time"), "(released IS NULL) = (released_at IS NULL)"
        )


def downgrade():
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_decisions_released_has_time"), type_="check")
        batch_op.drop_constraint(op.f("ck_decisions_released_was_funded"), type_="check")
        batch_op.drop_constraint(op.f("ck_decisions_waiting_rank_positive"), type_="check")
        batch_op.drop_column("offered_at")
        batch_op.drop_column("released_at")
        batch_op.drop_column("released")
        batch_op.drop_column("waiting_rank")

    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referrals_proposal_id"))
        batch_op.drop_index(batch_op.f("ix_referrals_initiative_id"))

    op.drop_table("referrals")
    with op.batch_alter_table("quota_overrides", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quota_overrides_committee_id"))

    op.drop_table("quota_overrides")
