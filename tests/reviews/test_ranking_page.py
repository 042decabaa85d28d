"""The ranking page: raw and normalised totals side by side, pages of rows, the school's comment."""

import re

from sqlalchemy import select

from portal.auth.models import Role
from portal.dashboards.models import Opinion, SchoolOpinion
from portal.extensions import db
from portal.reviews import ranking_routes
from portal.reviews.models import Decision, Outcome
from tests import factories


def _same_marks(mark: str) -> dict[int, str]:
    return dict.fromkeys(range(4), mark)


def _row(html: str, proposal_id: int) -> str:
    """The text of the proposal's table row, tags removed."""
    start = html.index(f'id="rank-{proposal_id}"')
    row = html[start : html.index("</tr>", start)]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()


def test_raw_and_normalised_totals_side_by_side_with_a_flag_for_too_few_reviews(desk, client):
    p1, p2, p3, p4 = (factories.submitted_proposal(desk.campaign) for _ in range(4))
    a, b = factories.reviewer(), factories.reviewer()
    for proposal, mark in ((p1, "5"), (p2, "3"), (p3, "1")):
        factories.submitted_review(desk, proposal, a, _same_marks(mark))
    factories.submitted_review(desk, p3, b, _same_marks("5"))
    factories.submitted_review(desk, p4, b, _same_marks("4"))
    html = client.get(f"/reviews/committees/{desk.id}/ranking").get_data(as_text=True)
    assert ">Total<" in html and ">Normalised<" in html
    assert "Only reviewers with at least 3 reviews are normalised" in html
    # Raw out of 100, then A's z-score (±sqrt(1.5) = ±1.22); B's reviews (2 < 3) are flagged.
    assert f"#{p1.id}" in _row(html, p1.id) and " 100 +1.22 " in _row(html, p1.id) + " "
    assert " 50 +0.00 " in _row(html, p2.id) + " " and "too few" not in _row(html, p2.id)
    assert " 50 -1.22 too few reviews (1/2) " in _row(html, p3.id) + " "
    assert " 75 — too few reviews (1/1) " in _row(html, p4.id) + " "
    by_normalised = client.get(f"/reviews/committees/{desk.id}/ranking?sort=normalised").get_data(
        as_text=True
    )
    order = [by_normalised.index(f'id="rank-{p.id}"') for p in (p1, p2, p3, p4)]
    assert order == sorted(order)  # +1.22, 0, −1.22, then the one without a normalised total


def test_the_ranking_is_shown_by_pages_and_a_page_saves_only_its_rows(desk, client, monkeypatch):
    monkeypatch.setattr(ranking_routes, "PAGE_SIZE", 2)
    desk.funded_contracts = 1
    proposals = [factories.submitted_proposal(desk.campaign) for _ in range(5)]
    reviewer = factories.reviewer()
    for proposal, mark in zip(proposals, "54321", strict=True):
        factories.submitted_review(desk, proposal, reviewer, _same_marks(mark))
    first, second, third, fourth, fifth = (p.id for p in proposals)
    path = f"/reviews/committees/{desk.id}/ranking"
    html = client.get(path).get_data(as_text=True)
    assert "Page 1 of 3" in html and "proposals 1–2 of 5" in html
    assert f'id="rank-{first}"' in html and f'id="rank-{third}"' not in html
    page_one = {f"rank-{first}": "1", f"outcome-{first}": "funded", f"rank-{second}": "2"}
    client.submit(f"/reviews/committees/{desk.id}/decisions", page_one, page=path)
    page_two = f"{path}?page=2"
    html = client.get(page_two).get_data(as_text=True)
    assert "proposals 3–4 of 5" in html and f'id="rank-{fourth}"' in html
    # From page 2, the fourth proposal is moved to the first place; page 1's decision stays.
    response = client.submit(
        f"/reviews/committees/{desk.id}/decisions",
        {
            "page": "2",
            "sort": "rank",
            f"rank-{third}": "3",
            f"rank-{fourth}": "1",
            f"outcome-{third}": "",
            f"outcome-{fourth}": "waiting_list",
        },
        page=page_two,
    )
    assert response.status_code == 302 and "page=2" in response.location
    decisions = {d.proposal_id: d for d in db.session.scalars(select(Decision))}
    assert sorted(decisions, key=lambda pid: decisions[pid].rank) == [fourth, first, second, third, fifth]
    assert decisions[first].outcome is Outcome.funded
    assert decisions[fourth].outcome is Outcome.waiting_list
    assert "Page 3 of 3" in client.get(f"{path}?page=9").get_data(as_text=True)


def test_the_schools_long_comment_is_shortened_with_the_whole_text_one_click_away(desk, client):
    short_one, long_one = (factories.submitted_proposal(desk.campaign) for _ in range(2))
    author = factories.user("ed@example.org", Role.school_staff, two_factor=True)
    long_comment = "The director already supervises four students; " * 6 + "END OF COMMENT"
    for proposal, comment in ((short_one, "Fine."), (long_one, long_comment)):
        db.session.add(
            SchoolOpinion(
                proposal_id=proposal.id, opinion=Opinion.reserved, comment=comment, author_id=author.id
            )
        )
    db.session.commit()
    html = client.get(f"/reviews/committees/{desk.id}/ranking").get_data(as_text=True)
    details = re.search(
        r"<details class=\"opinion-comment\"><summary[^>]*>(.*?)</summary>(.*?)</details>", html
    )
    summary, whole = details.groups()
    assert summary.endswith("…") and len(summary) <= ranking_routes.COMMENT_LENGTH
    assert "END OF COMMENT" not in summary and "END OF COMMENT" in whole
    assert html.count("<details") == 1 and "Fine." in _row(html, short_one.id)
