"""encrypt TOTP seeds at rest

Revision ID: d319d708fd55
Revises: aade27a0b523
Create Date: 2026-11-23 13:08:10.169309

"""

import sqlalchemy as sa
from alembic import op

from portal.auth.secrets_box import seal, unseal

# revision identifiers, used by Alembic.
revision = "d319d708fd55"
down_revision = "aade27a0b523"
branch_labels = None
depends_on = None

users = sa.table(
    "users",
    sa.column("id", sa.Integer),
    sa.column("totp_secret", sa.String),
    sa.column("totp_secret_sealed", sa.String),
)


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("totp_secret_sealed", sa.String(length=255), nullable=True))
    # Enrolled devices keep working: each seed is carried over, encrypted with the app's key.
    connection = op.get_bind()
    rows = connection.execute(sa.select(users.c.id, users.c.totp_secret).where(users.c.totp_secret.isnot(None)))
    for user_id, secret in rows.all():
        connection.execute(users.update().where(users.c.id == user_id).values(totp_secret_sealed=seal(secret)))
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("totp_secret")


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("totp_secret", sa.VARCHAR(length=64), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(users.c.id, users.c.totp_secret_sealed).where(users.c.totp_secret_sealed.isnot(None))
    )
    for user_id, sealed in rows.all():
        connection.execute(users.update().where(users.c.id == user_id).values(totp_secret=unseal(sealed)))
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("totp_secret_sealed")
