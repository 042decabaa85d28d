"""Programme staff pages: committees, members, settings, rubric, assignment, ranking, decisions."""

from datetime import UTC, datetime

from sqlalchemy import select

from portal.auth.models import Role, User
from portal.extensions import db
from portal.reviews.models import (
    Assignment,
    Committee,
    ConflictSource,
    Decision,
    DeclaredConflict,
    Outcome,
    ReviewVisibility,
)
from portal.reviews.services import add_member, assign, committee_of, declare_conflict
from tests import factories


def _page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _member(committee, **values) -> User:
    person = factories.reviewer(**values)
    add_member(committee=committee, user=person)
    db.session.commit()
    return person


def test_committee_list_shows_only_the_initiatives_one_follows(desk, client):
    other, campaign = factories.initiative("OTHER"), desk.campaign
    campaign.initiatives.append(other)
    db.session.commit()
    html = _page(client, "/reviews/committees/")
    assert "SCAI" in html and "OTHER" not in html
    assert f'href="/reviews/committees/{desk.id}"' in html
    assert "Committees" in _page(client, "/")


def test_admin_sets_up_a_committee(app_context, client):
    target = factories.initiative("NEW")
    campaign = factories.campaign(2022)
    campaign.initiatives.append(target)
    db.session.commit()
    client.sign_in_user(factories.user("admin@example.org", Role.admin, two_factor=True))
    assert "Set up the committee" in _page(client, "/reviews/committees/")
    response = client.submit(
        "/reviews/committees/open",
        {"campaign": campaign.id, "initiative": target.id},
        page="/reviews/committees/",
    )
    committee = db.session.scalar(select(Committee).where(Committee.initiative_id == target.id))
    assert response.location == f"/reviews/committees/{committee.id}"
    assert len(committee.criteria) == 4
    assert "Scientific quality of the project" in _page(client, f"/reviews/committees/{committee.id}/rubric")


def test_add_an_existing_user_and_invite_a_new_one(desk, client, mailbox):
    factories.user("known@other-university.test")
    path = f"/reviews/committees/{desk.id}/members"
    page = f"/reviews/committees/{desk.id}"
    response = client.submit(path, {"email": "Known@other-university.test", "max_load": "4"}, page=page)
    assert response.status_code == 302
    # Nobody with this address: the names are needed to invite.
    response = client.submit(path, {"email": "new@elsewhere.test"}, page=page)
    assert response.status_code == 400
    assert "give a first and last name" in response.get_data(as_text=True)
    response = client.submit(
        path,
        {"email": "new@elsewhere.test", "first_name": "Nina", "last_name": "Roy", "is_chair": "y"},
        page=page,
    )
    assert response.status_code == 302
    db.session.expire_all()
    members = {m.user.email: m for m in desk.members}
    assert members["known@other-university.test"].max_load == 4
    assert members["new@elsewhere.test"].is_chair
    assert members["new@elsewhere.test"].user.has_role(Role.reviewer)
    assert mailbox.last_to("new@elsewhere.test") is not None
    html = _page(client, page)
    assert "Nina" in html and "chair" in html


def test_update_and_remove_a_member(desk, client):
    person = _member(desk)
    member = desk.members[0]
    page = f"/reviews/committees/{desk.id}"
    client.submit(f"{page}/members/{member.id}", {"is_chair": "y", "max_load": "3"}, page=page)
    db.session.expire_all()
    assert member.is_chair and member.max_load == 3
    client.submit(f"{page}/members/{member.id}/remove", {}, page=page)
    db.session.expire_all()
    assert desk.members == [] and person.has_role(Role.reviewer)


def test_settings_keep_the_deadline_in_paris_time(desk, client):
    page = f"/reviews/committees/{desk.id}"
    response = client.submit(
        f"{page}/settings",
        {"review_deadline": "2027-06-30T18:00", "visibility": "always", "funded_contracts": "3"},
        page=page,
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert desk.review_deadline == datetime(2027, 6, 30, 16, 0, tzinfo=UTC)
    assert desk.visibility is ReviewVisibility.always and desk.funded_contracts == 3
    assert 'value="2027-06-30T18:00"' in _page(client, page)
    bad = client.submit(f"{page}/settings", {"visibility": "never", "funded_contracts": "-1"}, page=page)
    assert bad.status_code == 400


def _rubric_data(rows: list[dict]) -> dict:
    data = {}
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"criteria-{index}-{key}"] = value
    return data


def test_rubric_is_edited_on_the_page(desk, client):
    path = f"/reviews/committees/{desk.id}/rubric"
    html = _page(client, path)
    assert html.count('<fieldset class="criterion">') == 4
    added = client.submit(
        path, {"action": "add", **_rubric_data([{"name_fr": "A", "name_en": "A", "weight": "1"}])}
    )
    assert added.get_data(as_text=True).count('<fieldset class="criterion">') == 2
    response = client.submit(
        path,
        _rubric_data(
            [
                {
                    "name_fr": "Originalité",
                    "name_en": "Originality",
                    "scale": "1-10",
                    "weight": "2",
                    "counts": "y",
                },
                {"name_fr": "Profil", "name_en": "Profile", "scale": "A-D", "weight": "1"},
                {"name_fr": "Retiré", "name_en": "Removed", "scale": "1-5", "weight": "1", "remove": "y"},
                {"name_fr": "", "name_en": "", "scale": "1-5", "weight": "1"},
            ]
        ),
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert [(c.name_en, c.scale.value, c.weight, c.counts) for c in desk.criteria] == [
        ("Originality", "1-10", 2.0, True),
        ("Profile", "A-D", 1.0, False),
    ]
    half = client.submit(path, _rubric_data([{"name_fr": "Seul", "name_en": "", "weight": "1"}]))
    assert half.status_code == 400 and "both languages" in half.get_data(as_text=True)


def test_frozen_rubric_says_so_and_changes_nothing(desk, client):
    proposal = factories.submitted_proposal(desk.campaign)
    factories.submitted_review(desk, proposal, factories.reviewer(), {0: "3", 1: "3", 2: "3", 3: "3"})
    path = f"/reviews/committees/{desk.id}/rubric"
    html = _page(client, path)
    assert "the rubric can no longer change" in html and "<fieldset" not in html
    token = client.token(f"/reviews/committees/{desk.id}")
    response = client.post(
        path, data={"csrf_token": token, **_rubric_data([{"name_fr": "X", "name_en": "X", "weight": "1"}])}
    )
    assert response.status_code == 302
    assert "Nothing was saved" in _page(client, path)
    db.session.expire_all()
    assert len(desk.criteria) == 4


def test_board_shows_conflicts_loads_and_assigns(desk, client):
    director = factories.user("boss@lab.test")
    proposal = factories.submitted_proposal(desk.campaign, owner=director)
    free = _member(desk, first_name="Free", last_name="Member")
    colleague = factories.user("peer@lab.test", Role.reviewer, first_name="Same", last_name="Domain")
    add_member(committee=desk, user=colleague)
    db.session.commit()
    path = f"/reviews/committees/{desk.id}/assignments"
    html = _page(client, path)
    assert "Same e-mail domain as the director (lab.test)." in html
    assert "load 0" in html
    response = client.submit(
        f"/reviews/committees/{desk.id}/assign", {"proposal": proposal.id, "reviewer": free.id}, page=path
    )
    assert response.status_code == 302
    refused = client.submit(
        f"/reviews/committees/{desk.id}/assign",
        {"proposal": proposal.id, "reviewer": colleague.id},
        page=path,
    )
    assert refused.status_code == 302
    html = _page(client, path)
    assert "may be in conflict with this proposal: confirm or waive" in html and "load 1" in html
    assert db.session.scalars(select(Assignment.reviewer_id)).all() == [free.id]
    client.submit(
        f"/reviews/committees/{desk.id}/unassign", {"proposal": proposal.id, "reviewer": free.id}, page=path
    )
    assert db.session.scalars(select(Assignment)).all() == []


def test_staff_set_a_conflict(desk, client):
    proposal = factories.submitted_proposal(desk.campaign)
    person = _member(desk)
    assign(committee=desk, proposal=proposal, reviewer=person, assigned_by=person)
    db.session.commit()
    path = f"/reviews/committees/{desk.id}/assignments"
    client.submit(
        f"/reviews/committees/{desk.id}/conflicts",
        {"proposal": proposal.id, "reviewer": person.id, "reason": "Co-authored a paper"},
        page=path,
    )
    row = db.session.scalar(select(DeclaredConflict))
    assert row.source is ConflictSource.staff and row.reason == "Co-authored a paper"
    assert db.session.scalars(select(Assignment)).all() == []
    assert "Co-authored a paper" in _page(client, path)


def test_automatic_assignment_is_shown_before_it_is_saved(desk, client):
    proposals = [factories.submitted_proposal(desk.campaign) for _ in range(3)]
    people = [_member(desk) for _ in range(3)]
    declare_conflict(proposal=proposals[0], user=people[0], source=ConflictSource.staff)
    db.session.commit()
    path = f"/reviews/committees/{desk.id}/assignments/auto"
    html = _page(client, f"{path}?per_proposal=2")
    assert "6 new assignments are planned" in html
    assert f'value="{proposals[0].id}:{people[0].id}"' not in html
    assert db.session.scalars(select(Assignment)).all() == []
    pairs = [line.split('value="')[1].split('"')[0] for line in html.split("\n") if 'name="pairs"' in line]
    response = client.submit(
        path, {"per_proposal": "2", "confirm": "yes", "pairs": pairs}, page=f"{path}?per_proposal=2"
    )
    assert response.status_code == 302
    assert len(db.session.scalars(select(Assignment)).all()) == 6
    assert "Nothing to add" in _page(client, f"{path}?per_proposal=2")


def test_ranking_sorts_and_shows_the_funded_line(desk, client):
    desk.funded_contracts = 1
    first, second = factories.submitted_proposal(desk.campaign), factories.submitted_proposal(desk.campaign)
    severe, lenient = factories.reviewer(), factories.reviewer()
    factories.submitted_review(desk, first, severe, {0: "5", 1: "5", 2: "5", 3: "5"})
    factories.submitted_review(desk, first, lenient, {0: "1", 1: "1", 2: "1", 3: "1"})
    factories.submitted_review(desk, second, lenient, {0: "4", 1: "4", 2: "4", 3: "4"})
    path = f"/reviews/committees/{desk.id}/ranking"
    html = _page(client, path)
    assert "Funded line" in html and "disagreement" in html
    assert html.index(f"#{second.id} ") < html.index(f"#{first.id} ")  # 75 beats 50
    by_spread = _page(client, f"{path}?sort=spread")
    assert 'aria-sort="descending"' in by_spread
    assert by_spread.index(f"#{first.id} ") < by_spread.index(f"#{second.id} ")
    assert _page(client, f"{path}?sort=nonsense")


def test_decisions_are_saved_then_published(desk, client, mailbox):
    desk.funded_contracts = 1
    first, second = factories.submitted_proposal(desk.campaign), factories.submitted_proposal(desk.campaign)
    factories.submitted_review(
        desk, first, factories.reviewer(), {0: "5", 1: "5", 2: "5", 3: "5"}, comments_applicant="Bravo."
    )
    factories.end_reviews(desk)
    path = f"/reviews/committees/{desk.id}/ranking"
    early = client.submit(f"/reviews/committees/{desk.id}/decisions/publish", {}, page=path)
    assert early.status_code == 302 and "no decision yet" in _page(client, path)
    client.submit(
        f"/reviews/committees/{desk.id}/decisions",
        {
            f"rank-{first.id}": "2",
            f"rank-{second.id}": "1",
            f"outcome-{first.id}": "waiting_list",
            f"outcome-{second.id}": "funded",
        },
        page=path,
    )
    decisions = {d.proposal_id: d for d in db.session.scalars(select(Decision))}
    assert decisions[second.id].rank == 1 and decisions[second.id].outcome is Outcome.funded
    assert decisions[first.id].rank == 2 and decisions[first.id].outcome is Outcome.waiting_list
    response = client.submit(f"/reviews/committees/{desk.id}/decisions/publish", {}, page=path)
    assert response.status_code == 302
    db.session.expire_all()
    assert desk.decisions_published_at is not None
    assert "Bravo." in mailbox.last_to(first.owner.email).get_body(("plain",)).get_content()
    html = _page(client, path)
    assert "Decisions published on" in html and "disabled" in html


def test_programme_staff_of_another_initiative_is_refused(app_context, client):
    scai = factories.initiative("SCAI")
    campaign = factories.campaign(2021)
    campaign.initiatives.append(scai)
    db.session.commit()
    committee = committee_of(campaign=campaign, initiative=scai)
    db.session.commit()
    client.sign_in_user(factories.user("stranger@example.org", Role.programme_staff, two_factor=True))
    for suffix in ("", "/rubric", "/assignments", "/assignments/auto", "/ranking"):
        assert client.get(f"/reviews/committees/{committee.id}{suffix}").status_code == 403
    response = client.submit(
        "/reviews/committees/open",
        {"campaign": campaign.id, "initiative": scai.id},
        page="/reviews/committees/",
    )
    assert response.status_code == 403
    assert "SCAI" not in _page(client, "/reviews/committees/")
