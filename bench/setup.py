"""What every benchmark starts from: an app on a fresh SQLite file, and the SCAI call of 2021."""

import math
import statistics
import tempfile
from pathlib import Path

from config import TestConfig
from portal import create_app
from portal.auth.models import Role, RoleGrant, User
from portal.extensions import db
from portal.reviews.models import CommitteeMember
from tests import factories


def bench_app(name: str, **settings):
    """The app with the test settings (cheap password hashing aside, as in production) on a new file."""
    directory = Path(tempfile.mkdtemp())
    config = type(
        "BenchConfig",
        (TestConfig,),
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{directory / f'{name}.sqlite3'}",
            "TWO_FACTOR_ENFORCED": False,
            # Production's bounded wait for a task, not the tests' long one.
            "RENDER_WAIT_SECONDS": 2.0,
            **settings,
        },
    )
    app = create_app(config)
    with app.app_context():
        db.create_all()
    return app


def percentile(ordered: list[float], fraction: float) -> float:
    """The nearest-rank percentile of sorted samples: with fewer than 100 samples, p99 is the worst."""
    return ordered[max(math.ceil(len(ordered) * fraction) - 1, 0)]


def median_and_p95(samples: list[float]) -> tuple[float, float]:
    """The median and the 95th percentile of timings, in the unit they were taken in."""
    ordered = sorted(samples)
    return statistics.median(ordered), percentile(ordered, 0.95)


def print_figures(figures: dict[str, tuple[float, float]], heading: str = "what") -> None:
    """One line per measure: its median and p95 in milliseconds."""
    width = max([len(heading), *map(len, figures)]) + 2
    print(f"{heading:<{width}} {'median ms':>10} {'p95 ms':>8}")
    for name, (median, p95) in figures.items():
        print(f"{name:<{width}} {median:>10.1f} {p95:>8.1f}")


def scai_call():
    """The 2021 call with the SCAI initiative and the ED130 doctoral school (inside an app context)."""
    target = factories.initiative("SCAI")
    campaign = factories.campaign(2021)
    campaign.initiatives.append(target)
    school = factories.doctoral_school("ED130")
    db.session.commit()
    return campaign, target, school


def committee_reviewers(committee, count: int, domain: str) -> list[User]:
    """`count` reviewers on `committee`, inserted in bulk (the factories would take minutes)."""
    reviewers = [
        User(email=f"reviewer{n}@{domain}", first_name="Bench", last_name=f"Reviewer {n}")
        for n in range(count)
    ]
    db.session.add_all(reviewers)
    db.session.flush()
    db.session.add_all(RoleGrant(user_id=r.id, role=Role.reviewer) for r in reviewers)
    db.session.add_all(CommitteeMember(committee_id=committee.id, user_id=r.id) for r in reviewers)
    return reviewers
