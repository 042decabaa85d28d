"""The demo: idempotent, and each demo login lands on a page fit for its role, in both languages."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from portal.auth.models import User
from portal.demo.seed import next_deadline, seed_demo
from portal.extensions import db
from portal.reference.models import Campaign, CampaignPhase
from tests import factories

LANDING = {
    "admin@demo.test": ("Manage users and roles", "Gérer les comptes"),
    "director@demo.test": ("My proposals", "Mes propositions"),
    "codirector@demo.test": ("My proposals", "Mes propositions"),
    "reviewer@demo.test": ("Reviewing", "Évaluation"),
    "ed-staff@demo.test": ("Doctoral school staff", "Gestionnaire d’école doctorale"),
    "programme@demo.test": ("Programme staff", "Gestionnaire du programme"),
}


def test_next_deadline_is_the_next_20_february_in_paris():
    assert next_deadline(datetime(2026, 11, 23, tzinfo=UTC)).date().isoformat() == "2027-02-20"
    assert next_deadline(datetime(2027, 2, 21, tzinfo=UTC)).year == 2028
    assert next_deadline(datetime(2027, 1, 5, tzinfo=UTC)).year == 2027


def test_seed_is_idempotent_and_has_an_open_and_a_closed_campaign(app_context, runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0 and "director@demo.test" in first.output
    counts = [db.session.scalar(select(func.count()).select_from(model)) for model in (User, Campaign)]
    runner.invoke(args=["seed-demo"])
    assert [db.session.scalar(select(func.count()).select_from(m)) for m in (User, Campaign)] == counts
    phases = {c.name: c.phase() for c in db.session.scalars(select(Campaign))}
    assert phases["AAP 2021"] is CampaignPhase.closed
    assert CampaignPhase.open in phases.values()


@pytest.mark.parametrize("email", sorted(LANDING))
@pytest.mark.parametrize("language", ["en", "fr"])
def test_each_demo_login_lands_on_its_page(app_context, client, email, language):
    seed_demo()
    db.session.commit()
    client.submit("/language", {"language": language}, page="/")
    user = db.session.scalar(select(User).where(User.email == email))
    if user.needs_two_factor:
        factories.totp.enable(user, factories.pyotp.random_base32())
        db.session.commit()
    client.sign_in_user(user, "demo-password")
    html = client.get("/").get_data(as_text=True)
    english, french = LANDING[email]
    assert (english if language == "en" else french) in html
    assert f'<html lang="{language}">' in html


def _closed_committee_for_programme_staff(client):
    """The demo loaded, programme staff signed in, and the closed call's SCAI committee (2021 has
    ISCD's too)."""
    from portal.reviews.models import Committee

    seed_demo()
    db.session.commit()
    programme = db.session.scalar(select(User).where(User.email == "programme@demo.test"))
    factories.totp.enable(programme, factories.pyotp.random_base32())
    db.session.commit()
    client.sign_in_user(programme, "demo-password")
    return db.session.scalar(
        select(Committee)
        .join(Campaign)
        .where(Campaign.year == 2021, Committee.initiative.has(acronym="SCAI"))
    )


def test_the_closed_call_shows_a_waived_conflict_with_its_reason(app_context, client):
    closed = _closed_committee_for_programme_staff(client)
    html = client.get(f"/reviews/committees/{closed.id}/assignments").get_data(as_text=True)
    assert "Conflict waived" in html and "Waived by" in html
    assert "Même unité (LPSM), mais une autre équipe et aucune publication commune." in html
    assert "Confirmed by" in html


def test_the_closed_call_has_closed_bidding_and_the_open_one_dates_ahead(app_context, client):
    from portal.reviews.models import Committee
    from portal.reviews.phases import BiddingPhase, ReviewPhase, timeline

    seed_demo()
    db.session.commit()
    committees = {
        (c.campaign.year, c.initiative.acronym): timeline(c) for c in db.session.scalars(select(Committee))
    }
    closed, iscd = committees.pop((2021, "SCAI")), committees.pop((2021, "ISCD"))
    current = committees.popitem()[1]
    assert closed.bidding() is BiddingPhase.closed and closed.phase() is ReviewPhase.published
    # ISCD's reviews of the closed call are still going on, to be reminded (review_progress.py).
    assert iscd.bidding() is BiddingPhase.closed and iscd.phase() is ReviewPhase.reviewing
    assert current.bidding() is BiddingPhase.upcoming and current.phase() is ReviewPhase.call_open
    assert current.reviews_start_at < current.bidding_closes_at < current.review_deadline
    reviewer = db.session.scalar(select(User).where(User.email == "reviewer@demo.test"))
    client.sign_in_user(reviewer, "demo-password")
    html = client.get("/reviews/bids").get_data(as_text=True)
    assert "Bidding closed on 28 February 2021, 23:59 (Paris time)." in html
    assert "Bidding opens on" in html and 'name="bid_' not in html


def test_the_demo_domain_everyone_shares_is_no_conflict(app_context):
    from portal.proposals.models import Proposal
    from portal.reviews.conflicts import detected

    seed_demo()
    db.session.commit()
    reviewer = db.session.scalar(select(User).where(User.email == "reviewer@demo.test"))
    director = db.session.scalar(select(User).where(User.email == "director@demo.test"))
    proposal = db.session.scalar(select(Proposal).where(Proposal.owner_id == director.id))
    assert proposal.campaign.is_open()
    assert "domain" not in {conflict.kind for conflict in detected(reviewer, proposal)}


def test_users_create_command(app_context, runner, client):
    result = runner.invoke(
        args=["users", "create", "boss@example.org", "--role", "admin"], input="a strong passphrase\n"
    )
    assert result.exit_code == 0, result.output
    again = runner.invoke(args=["users", "create", "boss@example.org"], input="a strong passphrase\n")
    assert again.exit_code == 1 and "already exists" in again.output
    short = runner.invoke(args=["users", "create", "x@example.org"], input="short\n")
    assert short.exit_code == 1
    user = db.session.scalar(select(User).where(User.email == "boss@example.org"))
    assert user.is_admin and user.email_confirmed_at is not None
    assert client.sign_in("boss@example.org", "a strong passphrase").location == "/"


def test_the_closed_call_has_an_anonymous_committee_and_a_chair_s_summary(app_context, client):
    from portal.proposals.models import Proposal

    seed_demo()
    db.session.commit()
    proposals = db.session.scalars(
        select(Proposal).join(Campaign).where(Campaign.year == 2021).order_by(Proposal.id)
    ).all()
    client.sign_in_user(proposals[0].owner, "demo-password")
    html = client.get(f"/proposals/{proposals[0].id}").get_data(as_text=True)
    assert "<strong>clair et ambitieux</strong>" in html and "Benali" not in html and "Démo" not in html
    client.sign_out()
    reviewer = db.session.scalar(select(User).where(User.email == "reviewer3@demo.test"))
    client.sign_in_user(reviewer, "demo-password")
    html = client.get(f"/reviews/proposals/{proposals[2].id}/discussion").get_data(as_text=True)
    assert "Benali" not in html and "Reviewer B" in html


def test_the_closed_call_has_a_review_in_progress_to_remind(app_context, client):
    from portal.reviews.models import Committee
    from portal.reviews.reminders import progress, reminders_due

    seed_demo()
    db.session.commit()
    iscd = db.session.scalar(
        select(Committee)
        .join(Campaign)
        .where(Campaign.year == 2021, Committee.initiative.has(acronym="ISCD"))
    )
    counts = {row.member.user.email: (row.assigned, row.drafts, row.submitted) for row in progress(iscd)}
    assert counts == {
        "reviewer@demo.test": (1, 1, 0),
        "reviewer2@demo.test": (2, 0, 2),
        "reviewer3@demo.test": (2, 0, 0),
    }
    assert [due.reviewer.email for due in reminders_due(iscd)] == [
        "reviewer@demo.test",
        "reviewer3@demo.test",
    ]
    reviewer = db.session.scalar(select(User).where(User.email == "reviewer@demo.test"))
    client.sign_in_user(reviewer, "demo-password")
    html = client.get("/reviews/").get_data(as_text=True)
    assert "Solveurs creux pour les machines exaflopiques" in html


def test_the_closed_call_shows_a_ranked_waiting_list_and_a_referral(app_context, client):
    closed = _closed_committee_for_programme_staff(client)
    ranking = client.get(f"/reviews/committees/{closed.id}/ranking").get_data(as_text=True)
    assert "waiting list 1" in ranking and "waiting list 2" in ranking and "referred to ISCD" in ranking
    assert "Contracts and the waiting list" in ranking
    referrals = client.get(f"/reviews/committees/{closed.id}/referrals").get_data(as_text=True)
    assert "Les certificats de robustesse intéressent" in referrals
