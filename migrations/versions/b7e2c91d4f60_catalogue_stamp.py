"""the catalogue stamp: one row changed with everything the public may see (issue 16)

Revision ID: b7e2c91d4f60
Revises: 65a0af41b896
Create Date: 2026-12-03 13:00:00

"""
import secrets

import sqlalchemy as sa
from alembic import op

from portal.db import UTCDateTime, utcnow


# revision identifiers, used by Alembic.
revision = 'b7e2c91d4f60'
down_revision = '65a0af41b896'
branch_labels = None
depends_on = None


def upgrade():
    stamp = op.create_table(
        'catalogue_stamp',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token', sa.String(length=32), nullable=False),
        sa.Column('changed_at', UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_catalogue_stamp')),
    )
    op.bulk_insert(stamp, [{'id': 1, 'token': secrets.token_hex(16), 'changed_at': utcnow()}])


def downgrade():
    op.drop_table('catalogue_stamp')
