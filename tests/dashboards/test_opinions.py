"""The doctoral school's opinion: recorded by the staff of the director's school only."""

import pytest

from portal.dashboards.models import Opinion, SchoolOpinion
from portal.extensions import db


def _opinion(proposal):
    db.session.expire_all()
    return db.session.query(SchoolOpinion).filter_by(proposal_id=proposal.id).one_or_none()


def _post(client, proposal, **data):
    return client.submit(f"/staff/proposals/{proposal.id}/opinion", data, page="/staff/proposals/")


def test_school_staff_record_and_replace_the_opinion(world, client):
    client.sign_in_user(world.school_staff)
    page = client.get("/staff/proposals/").get_data(as_text=True)
    assert f"/staff/proposals/{world.first.id}/opinion" in page
    response = _post(client, world.first, opinion="reserved", comment="Funding unclear")
    assert response.status_code == 302
    row = _opinion(world.first)
    assert (row.opinion, row.comment, row.author_id) == (
        Opinion.reserved,
        "Funding unclear",
        world.school_staff.id,
    )
    _post(client, world.first, opinion="favourable", comment="")
    assert _opinion(world.first).opinion is Opinion.favourable
    assert db.session.query(SchoolOpinion).count() == 1


def test_programme_staff_see_the_opinion(world, client):
    db.session.add(
        SchoolOpinion(proposal_id=world.first.id, opinion=Opinion.unfavourable, comment="Cap exceeded")
    )
    db.session.commit()
    client.sign_in_user(world.programme_staff)
    page = client.get("/staff/proposals/").get_data(as_text=True)
    assert "Unfavourable" in page and "Cap exceeded" in page
    assert f"/staff/proposals/{world.first.id}/opinion" not in page  # no form for them


@pytest.mark.parametrize(
    ("who", "status"),
    [("other_school_staff", 404), ("other_programme_staff", 404), ("programme_staff", 403), ("admin", 403)],
)
def test_others_may_not_record_it(world, client, who, status):
    client.sign_in_user(getattr(world, who))
    assert _post(client, world.first, opinion="favourable").status_code == status
    assert _opinion(world.first) is None


def test_not_on_another_schools_proposal_nor_on_a_draft(world, client):
    client.sign_in_user(world.school_staff)
    assert _post(client, world.second, opinion="favourable").status_code == 404  # not readable
    assert _post(client, world.draft, opinion="favourable").status_code == 302
    assert _opinion(world.draft) is None
    assert _post(client, world.first, opinion="maybe").status_code == 302
    assert _opinion(world.first) is None
