"""The doctoral school's opinion as others read it: its labels and a lookup by proposal.

A module of its own, importing neither forms nor routes: the exports and the committee's pages read
opinions too, and the dashboard's forms import the exports' filters.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.dashboards.models import Opinion, SchoolOpinion
from portal.extensions import db

OPINIONS = {
    Opinion.favourable: _l("Favourable"),
    Opinion.reserved: _l("Reserved"),
    Opinion.unfavourable: _l("Unfavourable"),
}


def opinions_of(proposal_ids: list[int]) -> dict[int, SchoolOpinion]:
    """The doctoral school's opinion of each proposal that has one, with its author, in one query."""
    if not proposal_ids:
        return {}
    rows = db.session.scalars(select(SchoolOpinion).where(SchoolOpinion.proposal_id.in_(proposal_ids)))
    return {row.proposal_id: row for row in rows}
