"""Committee review: committees, rubrics, conflicts, bids, assignment, reviews, ranking, decisions."""

from flask import Blueprint

bp = Blueprint("reviews", __name__, url_prefix="/reviews")
