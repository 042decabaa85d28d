"""revisions: the revision a save was merged with (issue 15, automatic merges)

Revision ID: 7b3e9d1a4c26
Revises: c4f1e2a9d7b3
Create Date: 2026-12-04 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7b3e9d1a4c26'
down_revision = 'c4f1e2a9d7b3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('proposal_revisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('merged_with', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('proposal_revisions', schema=None) as batch_op:
        batch_op.drop_column('merged_with')
