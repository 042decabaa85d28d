"""email template overrides: administrators' wording of an e-mail, per language

Revision ID: 027eb3d978ca
Revises: 53318c0f2104
Create Date: 2026-12-01 22:15:58.726492

"""

from alembic import op
import sqlalchemy as sa

import portal.db


# revision identifiers, used by Alembic.
revision = "027eb3d978ca"
down_revision = "53318c0f2104"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "email_template_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("template", sa.String(length=64), nullable=False),
        sa.Column("locale", sa.String(length=2), nullable=False),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("locale IN ('fr', 'en')", name=op.f("ck_email_template_overrides_known_locale")),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_email_template_overrides_updated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_template_overrides")),
        sa.UniqueConstraint("template", "locale", name=op.f("uq_email_template_overrides_template_locale")),
    )


def downgrade():
    op.drop_table("email_template_overrides")
