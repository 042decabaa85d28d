"""The staff dashboard: each role's scope, the filters and search, the counts, the shares."""

import pytest
from werkzeug.datastructures import MultiDict

from portal.auth.models import Role
from portal.dashboards.services import DashboardFilters, dashboard_query, state_counts, supervision_shares
from portal.extensions import db
from tests import factories

TITLES = {
    "first": "Quantum sensing of magnetic fields",
    "second": "Histoire des manuscrits",
    "draft": "Unfinished draft on soils",
    "withdrawn": "Withdrawn glaciers study",
}


def _ids(world, user, **args) -> list[int]:
    query = dashboard_query(DashboardFilters.from_args(MultiDict(args)), user=user)
    return sorted(proposal.id for proposal in db.session.scalars(query))


def _expected(world, *names) -> list[int]:
    return sorted(getattr(world, name).id for name in names)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("school_staff", ("first", "draft", "withdrawn")),
        ("other_school_staff", ()),
        ("programme_staff", ("first", "second", "draft", "withdrawn")),
        ("other_programme_staff", ()),
        ("admin", ("first", "second", "draft", "withdrawn")),
    ],
)
def test_each_role_sees_its_own_scope(world, client, who, expected):
    user = getattr(world, who)
    assert _ids(world, user) == _expected(world, *expected)
    client.sign_in_user(user)
    response = client.get("/staff/proposals/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for name, title in TITLES.items():
        assert (title in page) is (name in expected), name


@pytest.mark.parametrize("role", [Role.supervisor, Role.reviewer])
def test_supervisors_and_reviewers_are_refused(world, client, role):
    client.sign_in_user(factories.user(f"{role.value}-x@example.org", role, two_factor=role is Role.reviewer))
    assert client.get("/staff/proposals/").status_code == 403
    assert client.submit("/staff/proposals/remind", {}, page="/").status_code == 403


def test_the_home_page_links_to_the_dashboard(world, client):
    client.sign_in_user(world.school_staff)
    assert "/staff/proposals/" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({"state": "draft"}, ("draft",)),
        ({"state": "submitted"}, ("first", "second")),
        ({"state": "withdrawn"}, ("withdrawn",)),
        ({"cotutelle": "yes"}, ("second",)),
        ({"cotutelle": "no"}, ("first", "draft", "withdrawn")),
        ({"language": "fr"}, ("second",)),
        ({"language": "en", "state": "submitted"}, ("first",)),
        ({"campaign": "2041", "initiative": "DASHA", "school": "ED501"}, ("first", "draft", "withdrawn")),
        ({"campaign": "1999"}, ()),
        ({"initiative": "NOPE"}, ()),
        ({"q": "QUANTUM"}, ("first",)),  # title, any case
        ({"q": "magnetometry"}, ("first",)),  # keyword
        ({"q": "insp"}, ("first",)),  # research unit in the director block
        ({"q": "curie"}, ("first",)),  # the director's account name
        ({"q": "laval"}, ("second",)),  # cotutelle partner, in the content
        ({"q": "100%"}, ()),  # LIKE wildcards are literal
        ({"state": "bogus"}, ("first", "second", "draft", "withdrawn")),  # unknown values mean any
    ],
)
def test_filters_and_search(world, args, expected):
    assert _ids(world, world.admin, **args) == _expected(world, *expected)


def test_filters_on_the_page_and_sorting(world, client):
    client.sign_in_user(world.programme_staff)
    page = client.get("/staff/proposals/?q=glaciers").get_data(as_text=True)
    assert TITLES["withdrawn"] in page and TITLES["first"] not in page
    page = client.get("/staff/proposals/?sort=title").get_data(as_text=True)
    positions = [page.index(title) for title in sorted(TITLES.values(), key=str.lower)]
    assert positions == sorted(positions)
    page = client.get("/staff/proposals/?sort=submitted&state=submitted").get_data(as_text=True)
    assert page.index(TITLES["second"]) < page.index(TITLES["first"])  # the latest submitted first


def test_pagination(world, client):
    for _ in range(26):
        factories.submitted_proposal(world.call)
    client.sign_in_user(world.admin)
    first = client.get("/staff/proposals/").get_data(as_text=True)
    assert "30 proposals" in first and "Page 1 of 2" in first
    assert first.count('class="badge state-') == 25
    second = client.get("/staff/proposals/?page=2").get_data(as_text=True)
    assert second.count('class="badge state-') == 5


def test_counts_per_initiative_and_school_for_the_call(world, client):
    counts = state_counts(world.call, user=world.admin)
    assert counts.by_initiative["DASHA"] == {"draft": 1, "submitted": 2, "withdrawn": 1}
    assert counts.by_school["ED501"] == {"draft": 1, "submitted": 1, "withdrawn": 1}
    assert sum(row["submitted"] for row in counts.by_school.values()) == 2
    school_counts = state_counts(world.call, user=world.school_staff)
    assert list(school_counts.by_school) == ["ED501"]
    assert state_counts(world.call, user=world.other_school_staff).by_initiative == {}
    client.sign_in_user(world.school_staff)
    page = client.get("/staff/proposals/?campaign=2041").get_data(as_text=True)
    assert "AAP 2041 at a glance" in page and "Deadline:" in page


def test_supervision_share_of_the_latest_proposal(world, client):
    # The director's latest proposal lists today's students (50 + 30 + 40), not summed across proposals.
    director = dict(world.first.content["director"])
    director["students"] = [*director["students"], {**director["students"][0], "name": "New", "share": 40}]
    factories.submitted_proposal(
        world.call, owner=world.first.owner, title="Second project", director=director
    )
    assert supervision_shares({world.first.owner_id}, user=world.admin) == {world.first.owner_id: 120}
    assert supervision_shares({world.first.owner_id}, user=world.other_school_staff) == {}
    world.school.supervision_cap = 100
    db.session.commit()
    client.sign_in_user(world.school_staff)
    page = client.get("/staff/proposals/").get_data(as_text=True)
    # A no-break space keeps the figure and its sign on one line.
    assert "120&nbsp;%" in page and "above the cap of 100 %" in page
