"""public subjects' full-text index: FTS5 on SQLite, unaccent and the portal_fr / portal_en text
search configurations with a GIN index on PostgreSQL (issue 16)

Revision ID: 65a0af41b896
Revises: 7d3a91c5e2f4
Create Date: 2026-12-03 12:30:00

"""
from alembic import op

from portal.catalogue import search_index


# revision identifiers, used by Alembic.
revision = '65a0af41b896'
down_revision = '7d3a91c5e2f4'
branch_labels = None
depends_on = None


def upgrade():
    # The index and the queries share one definition (catalogue/search_index.py); on SQLite the
    # subjects already public are indexed here.
    search_index.create(op.get_bind())


def downgrade():
    search_index.drop(op.get_bind())
