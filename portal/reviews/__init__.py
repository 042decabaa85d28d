"""Committee review: committees, rubrics, conflicts, bids, assignment, reviews, ranking, decisions."""

from flask import Blueprint

bp = Blueprint("reviews", __name__, url_prefix="/reviews")

# The reviewer's side (routes register on `bp` when imported).
# The programme staff's side: committees, rubric, assignment, ranking and decisions.
from portal.reviews import (  # noqa: E402, F401  # noqa: E402, F401
    anonymity,
    applicant,
    assignment_routes,
    conflict_routes,
    contract_routes,
    discussion_routes,
    ranking_routes,
    referral_routes,
    reminder_routes,
    review_autosave,
    reviewer_routes,
    staff_routes,
    summary_routes,
)
