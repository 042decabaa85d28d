"""outbox: the task holding a message's lease, so that the same task given back takes it at once (issue 13)

Revision ID: c4d2e8a9f1b3
Revises: e866ce6794da
Create Date: 2026-12-03 06:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4d2e8a9f1b3'
down_revision = 'e866ce6794da'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_by', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('claimed_by')
