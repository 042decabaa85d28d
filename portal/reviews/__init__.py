"""Committee review: committees, rubrics, conflicts, bids, assignment, reviews, ranking, decisions."""

from flask import Blueprint

bp = Blueprint("reviews", __name__, url_prefix="/reviews")

# The reviewer's side (routes register on `bp` when imported).
from portal.reviews import applicant, discussion_routes, reviewer_routes  # noqa: E402, F401

# The programme staff's side: committees, rubric, assignment, ranking and decisions.
from portal.reviews import assignment_routes, ranking_routes, staff_routes  # noqa: E402, F401
