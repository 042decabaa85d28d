"""Review at scale: 2,000 proposals, 200 reviewers, 6,000 reviews in one committee.

Prints the median server time of the ranking page (100 rows a page), the reviewer's page and the
automatic assignment plan for k = 4 (no pass/fail); the ranking page's goal is 300 ms.
make bench   # or: .venv/bin/python -m bench.review
"""

import statistics
import time

from bench.setup import bench_app, committee_reviewers, scai_call
from portal.auth.models import Role
from portal.db import utcnow
from portal.extensions import db
from portal.proposals.models import Proposal, ProposalRevision, ProposalState
from portal.reviews.assignment_plan import plan_assignments
from portal.reviews.models import Assignment, Recommendation, Review, ReviewState
from portal.reviews.ranking import ranking
from portal.reviews.services import committee_of
from tests import factories

PROPOSALS, REVIEWERS, PER_PROPOSAL = 2000, 200, 3


def _median(call, rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def _fill(committee, campaign, target, school):
    owner = factories.user("director@bench.test")
    content = factories.complete_content(initiative=target, school=school, email=owner.email)
    now = utcnow()
    proposals = [
        Proposal(
            campaign_id=campaign.id,
            owner_id=owner.id,
            state=ProposalState.submitted,
            submitted_at=now,
            content=dict(content, title=f"Proposal {n}"),
            title=f"Proposal {n}",
            initiative_id=target.id,
            director_school_id=school.id,
            last_saved_at=now,
        )
        for n in range(PROPOSALS)
    ]
    db.session.add_all(proposals)
    db.session.flush()
    db.session.add_all(
        ProposalRevision(proposal_id=p.id, number=1, content=p.content, submitted=True) for p in proposals
    )
    reviewers = committee_reviewers(committee, REVIEWERS, "review-bench.test")
    marks = {str(c.id): str(1 + (c.id % 5)) for c in committee.criteria}
    assignments = []
    for index, proposal in enumerate(proposals):
        for k in range(PER_PROPOSAL):
            reviewer = reviewers[(index * PER_PROPOSAL + k) % REVIEWERS]
            assignments.append(Assignment(proposal_id=proposal.id, reviewer_id=reviewer.id))
    db.session.add_all(assignments)
    db.session.flush()
    db.session.add_all(
        Review(
            assignment_id=a.id,
            proposal_id=a.proposal_id,
            reviewer_id=a.reviewer_id,
            state=ReviewState.submitted,
            submitted_at=now,
            marks={key: str(1 + (int(value) + a.id) % 5) for key, value in marks.items()},
            recommendation=Recommendation.accept,
            confidence=3,
        )
        for a in assignments
    )
    db.session.commit()
    return reviewers


def main() -> None:
    app = bench_app("review")
    with app.app_context():
        campaign, target, school = scai_call()
        committee = committee_of(campaign=campaign, initiative=target)
        db.session.commit()
        started = time.perf_counter()
        reviewers = _fill(committee, campaign, target, school)
        print(
            f"filled {PROPOSALS} proposals, {REVIEWERS} reviewers, {PROPOSALS * PER_PROPOSAL} reviews "
            f"in {time.perf_counter() - started:.1f} s"
        )
        figures = {
            # Raw and normalised totals are computed together, every time.
            "ranking (service)": _median(lambda: ranking(committee), 5),
            "automatic assignment plan, k=4 (service)": _median(
                lambda: plan_assignments(committee, per_proposal=4), 3
            ),
        }
        admin = factories.user("admin@bench.test", Role.admin)
        committee_id, reviewer_id, admin_id = committee.id, reviewers[0].get_id(), admin.get_id()
    client = app.test_client()
    ranking_path = f"/reviews/committees/{committee_id}/ranking"
    pages = {
        "ranking page": ranking_path,
        "ranking page, last page by spread": f"{ranking_path}?sort=spread&page=20",
        "reviewer's page": "/reviews/",
    }
    for name, path in pages.items():
        user_id = admin_id if name.startswith("ranking page") else reviewer_id
        with client.session_transaction() as session:
            session["_user_id"] = user_id
            session["_fresh"] = True
        status = client.get(path).status_code
        if status != 200:
            print(f"{name}: {path} answered {status}; not timed")
            continue
        figures[f"GET {name}"] = _median(lambda path=path: client.get(path), 5)
        figures[f"  {name}: KB of HTML"] = len(client.get(path).data) / 1024
    print(f"{'what':<48} {'median ms':>10}")
    for name, median in figures.items():
        print(f"{name:<48} {median:>10.1f}")


if __name__ == "__main__":
    main()
