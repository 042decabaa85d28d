"""The one query of what the public sees, for each state and each policy."""

from datetime import timedelta

import pytest

from portal.catalogue.models import CallPublication, PublicationPolicy
from portal.catalogue.services import set_policy
from portal.catalogue.visibility import visible_rows, visible_subject, visible_subjects
from portal.db import utcnow
from portal.extensions import db
from portal.reviews.models import Outcome
from tests.catalogue import world as worlds


def _visible(now=None) -> dict[str, Outcome | None]:
    return {
        row.subject.title.removeprefix("Subject "): row.outcome
        for row in visible_rows(visible_subjects(now=now))
    }


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        (PublicationPolicy.nothing, {}),
        (PublicationPolicy.funded, {"funded": Outcome.funded}),
        (PublicationPolicy.funded_and_waiting, {"funded": Outcome.funded, "waiting": Outcome.waiting_list}),
        # Every submitted subject, but no decision other than "funded" is named.
        (
            PublicationPolicy.all_submitted,
            {"funded": Outcome.funded, "waiting": None, "not funded": None},
        ),
    ],
)
def test_each_policy_shows_consented_submitted_subjects_only(app_context, policy, expected):
    world = worlds.build(policy=policy)
    assert _visible() == expected
    assert (visible_subject(world.subject("funded").id) is not None) == bool(expected)
    assert world.subject("unconsented") is None  # never made public: no record at all
    for hidden in ("withdrawn", "unpublished", "draft"):
        assert visible_subject(world.subject(hidden).id) is None


def test_nothing_before_the_decisions_or_the_deadline(app_context):
    world = worlds.build(policy=PublicationPolicy.funded_and_waiting)
    world.committee.decisions_published_at = None
    db.session.commit()
    assert _visible() == {}
    set_policy(campaign=world.campaign, policy=PublicationPolicy.all_submitted, by=world.staff)
    world.campaign.closes_at = utcnow() + timedelta(days=1)
    db.session.commit()
    assert _visible() == {}
    assert set(_visible(now=utcnow() + timedelta(days=2))) == {"funded", "waiting", "not funded"}


def test_a_call_without_a_policy_publishes_nothing(app_context):
    world = worlds.build()
    db.session.delete(db.session.get(CallPublication, world.campaign.id))
    db.session.commit()
    assert _visible() == {}
