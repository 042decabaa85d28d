"""Every route, and each role that must be refused on it.

The table below must name every endpoint of the app: a new route without a line fails the suite.
"""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask

from portal.auth.models import Role
from portal.catalogue.services import record_submission
from portal.extensions import db, limiter
from tests import factories
from tests.conftest import FormClient, open_app

ADMIN_ONLY = ("anonymous", "supervisor", "reviewer", "school_staff", "programme_staff")
SIGNED_IN = ("anonymous",)
# Another director's proposal: only its editors, the staff it concerns and admins may read it.
NOT_READERS = ("anonymous", "supervisor", "reviewer", "school_staff", "programme_staff")
NOT_EDITORS = NOT_READERS + ("admin",)
# Committee pages: the programme staff of its initiative and admins only.
STAFF_AREA = ("anonymous", "supervisor", "reviewer", "school_staff")
NOT_MANAGERS = STAFF_AREA + ("programme_staff",)
# The reviewer's pages: holders of the reviewer role only.
NOT_REVIEWERS = ("anonymous", "supervisor", "school_staff", "programme_staff", "admin")
# Exports: any staff role and admins; each export holds only the user's scope.
NOT_STAFF = ("anonymous", "supervisor", "reviewer")

# endpoint: (method, path, roles refused). {user} and {grant} are another user's ids.
ROUTES = {
    "staff.users": ("GET", "/admin/users/", ADMIN_ONLY),
    "staff.invite_user": ("POST", "/admin/users/invite", ADMIN_ONLY),
    "staff.user_detail": ("GET", "/admin/users/{user}", ADMIN_ONLY),
    "staff.add_grant": ("POST", "/admin/users/{user}/grants", ADMIN_ONLY),
    "staff.revoke_grant": ("POST", "/admin/users/{user}/grants/{grant}/revoke", ADMIN_ONLY),
    "staff.disable_user": ("POST", "/admin/users/{user}/disable", ADMIN_ONLY),
    "staff.enable_user": ("POST", "/admin/users/{user}/enable", ADMIN_ONLY),
    "staff.reset_two_factor": ("POST", "/admin/users/{user}/reset-two-factor", ADMIN_ONLY),
    "staff.resend_invitation": ("POST", "/admin/users/{user}/resend-invitation", ADMIN_ONLY),
    "staff.reference_index": ("GET", "/admin/reference/", ADMIN_ONLY),
    "staff.reference_list": ("GET", "/admin/reference/campaigns/", ADMIN_ONLY),
    "staff.reference_create": ("POST", "/admin/reference/initiatives/new", ADMIN_ONLY),
    "staff.reference_edit": ("POST", "/admin/reference/research-units/1", ADMIN_ONLY),
    "staff.reference_import": ("POST", "/admin/reference/import", ADMIN_ONLY),
    "staff.campaign_next_year": ("POST", "/admin/reference/campaigns/1/next-year", ADMIN_ONLY),
    "staff.entered_units_page": ("GET", "/admin/reference/research-units/entered", ADMIN_ONLY),
    "staff.add_entered_unit_route": ("POST", "/admin/reference/research-units/entered/add", ADMIN_ONLY),
    "staff.outbox_messages": ("GET", "/admin/outbox", ADMIN_ONLY),
    "staff.outbox_resend": ("POST", "/admin/outbox/1/resend", ADMIN_ONLY),
    "staff.email_templates": ("GET", "/admin/emails/", ADMIN_ONLY),
    "staff.email_template": ("POST", "/admin/emails/proposal_submitted/fr", ADMIN_ONLY),
    "staff.email_template_reset": ("POST", "/admin/emails/proposal_submitted/fr/reset", ADMIN_ONLY),
    "auth.profile": ("POST", "/account/profile", SIGNED_IN),
    "auth.change_password": ("POST", "/account/password", SIGNED_IN),
    "auth.security": ("GET", "/account/security", SIGNED_IN),
    "auth.two_factor_setup": ("POST", "/account/two-factor/setup", SIGNED_IN),
    "auth.regenerate_recovery_codes": ("POST", "/account/two-factor/recovery-codes", SIGNED_IN),
    "auth.disable_two_factor": ("POST", "/account/two-factor/disable", SIGNED_IN),
    "proposals.index": ("GET", "/proposals/", SIGNED_IN),
    "proposals.new": (
        "POST",
        "/proposals/new",
        ("anonymous", "reviewer", "school_staff", "programme_staff", "admin"),
    ),
    "proposals.edit": ("POST", "/proposals/{proposal}/edit", NOT_EDITORS),
    "proposals.autosave": ("POST", "/proposals/{proposal}/autosave", NOT_EDITORS),
    "proposals.preview": ("POST", "/proposals/{proposal}/preview", NOT_EDITORS),
    "proposals.live_checks": ("POST", "/proposals/{proposal}/checks", NOT_EDITORS),
    "proposals.preview_poll": ("GET", "/proposals/{proposal}/preview/0123abcd", NOT_EDITORS),
    "proposals.counting": ("GET", "/proposals/{proposal}/counting", NOT_EDITORS),
    "proposals.find_co_supervisor": ("POST", "/proposals/{proposal}/co-supervisor", NOT_EDITORS),
    "proposals.view": ("GET", "/proposals/{proposal}", NOT_READERS),
    "proposals.receipt": ("GET", "/proposals/{proposal}/receipt", NOT_READERS),
    "proposals.pdf": ("GET", "/proposals/{proposal}/pdf", NOT_READERS),
    "proposals.history": ("GET", "/proposals/{proposal}/history", NOT_READERS),
    "proposals.diff": ("GET", "/proposals/{proposal}/history/diff", NOT_READERS),
    "proposals.restore": ("POST", "/proposals/{proposal}/history/1/restore", NOT_EDITORS),
    "proposals.reopen_route": ("POST", "/proposals/{proposal}/reopen", NOT_EDITORS),
    "proposals.withdraw_route": ("POST", "/proposals/{proposal}/withdraw", NOT_EDITORS),
    "proposals.invite": ("POST", "/proposals/{proposal}/co-editors", NOT_EDITORS),
    "proposals.revoke_co_editor": ("POST", "/proposals/{proposal}/co-editors/{editor}/revoke", NOT_EDITORS),
    "proposals.upload_figure": ("POST", "/proposals/{proposal}/figures", NOT_EDITORS),
    "proposals.figure": ("GET", "/proposals/{proposal}/figures/diagram", NOT_READERS),
    "proposals.delete_figure": ("POST", "/proposals/{proposal}/figures/diagram/delete", NOT_EDITORS),
    "proposals.extend": ("POST", "/proposals/{proposal}/extension", NOT_READERS),
    # Committees: programme staff of the committee's initiative and admins. The programme_staff
    # signed in here follows another initiative: refused on this committee (403, no secret).
    "reviews.committees": ("GET", "/reviews/committees/", STAFF_AREA),
    "reviews.open_committee": ("POST", "/reviews/committees/open", STAFF_AREA),
    "reviews.committee": ("GET", "/reviews/committees/{committee}", NOT_MANAGERS),
    "reviews.committee_settings": ("POST", "/reviews/committees/{committee}/settings", NOT_MANAGERS),
    "reviews.committee_privacy": ("POST", "/reviews/committees/{committee}/privacy", NOT_MANAGERS),
    "reviews.add_member": ("POST", "/reviews/committees/{committee}/members", NOT_MANAGERS),
    "reviews.update_member": ("POST", "/reviews/committees/{committee}/members/{member}", NOT_MANAGERS),
    "reviews.remove_member": (
        "POST",
        "/reviews/committees/{committee}/members/{member}/remove",
        NOT_MANAGERS,
    ),
    "reviews.rubric": ("POST", "/reviews/committees/{committee}/rubric", NOT_MANAGERS),
    "reviews.assignments": ("GET", "/reviews/committees/{committee}/assignments", NOT_MANAGERS),
    "reviews.assign": ("POST", "/reviews/committees/{committee}/assign", NOT_MANAGERS),
    "reviews.unassign": ("POST", "/reviews/committees/{committee}/unassign", NOT_MANAGERS),
    "reviews.set_conflict": ("POST", "/reviews/committees/{committee}/conflicts", NOT_MANAGERS),
    "reviews.rule_conflict": ("POST", "/reviews/committees/{committee}/conflicts/ruling", NOT_MANAGERS),
    "reviews.auto_assign": ("POST", "/reviews/committees/{committee}/assignments/auto", NOT_MANAGERS),
    "reviews.ranking_page": ("GET", "/reviews/committees/{committee}/ranking", NOT_MANAGERS),
    "reviews.decisions": ("POST", "/reviews/committees/{committee}/decisions", NOT_MANAGERS),
    "reviews.publish": ("POST", "/reviews/committees/{committee}/decisions/publish", NOT_MANAGERS),
    "reviews.remind_reviewers": ("POST", "/reviews/committees/{committee}/reminders", NOT_MANAGERS),
    "reviews.release": ("POST", "/reviews/committees/{committee}/decisions/release", NOT_MANAGERS),
    "reviews.offer": ("POST", "/reviews/committees/{committee}/decisions/offer", NOT_MANAGERS),
    "reviews.referrals": ("GET", "/reviews/committees/{committee}/referrals", NOT_MANAGERS),
    # The answer to a referral: the staff of the initiative it was made to (another one here).
    "reviews.referral_outcome": ("POST", "/reviews/referrals/{referral}/outcome", NOT_MANAGERS),
    # The reviewer's side: assigned, non-conflicted committee members; a guessed proposal is a 404.
    "reviews.reviewer_index": ("GET", "/reviews/", NOT_REVIEWERS),
    "reviews.reviewer_bids": ("POST", "/reviews/bids", NOT_REVIEWERS),
    "reviews.reviewer_review": ("POST", "/reviews/proposals/{proposal}/review", NOT_READERS),
    "reviews.reviewer_autosave": ("POST", "/reviews/proposals/{proposal}/review/autosave", NOT_READERS),
    "reviews.reviewer_conflict": ("POST", "/reviews/proposals/{proposal}/conflict", NOT_READERS),
    "reviews.discussion": ("POST", "/reviews/proposals/{proposal}/discussion", NOT_READERS),
    # Written by the chair and programme staff; read by them and the reviewers who read the reviews.
    "reviews.summary": ("POST", "/reviews/proposals/{proposal}/summary", NOT_READERS),
    # Exports: staff and admins, each seeing their own scope (tests/exports); others refused.
    "exports.index": ("GET", "/exports/", NOT_STAFF),
    "exports.proposals_csv": ("GET", "/exports/proposals.csv", NOT_STAFF),
    "exports.proposals_xlsx": ("GET", "/exports/proposals.xlsx", NOT_STAFF),
    "exports.proposals_zip": ("GET", "/exports/proposals.zip", NOT_STAFF),
    "exports.prepare": ("GET", "/exports/prepare", NOT_STAFF),
    # Audit: the whole log for admins; a proposal's trail for its staff too (tests/audit: editors).
    "audit.events": ("GET", "/audit/", ADMIN_ONLY),
    "audit.proposal_trail": ("GET", "/audit/proposals/{proposal}", NOT_READERS),
    # Staff dashboards: staff and admins, each in their scope (tests/dashboards). The opinion: only
    # the staff of the director's school (the school_staff signed in here has another school).
    "dashboards.index": ("GET", "/staff/proposals/", NOT_STAFF),
    "dashboards.remind": ("POST", "/staff/proposals/remind", NOT_STAFF),
    "dashboards.opinion": ("POST", "/staff/proposals/{proposal}/opinion", NOT_READERS),
    # Publication: a call's policy for its programme staff and admins; a subject's public version
    # for its director (tests/catalogue/test_manage.py), unpublishing for its programme staff.
    "catalogue.call_settings": ("POST", "/catalogue/calls/{campaign}", NOT_MANAGERS),
    "catalogue.unpublish": ("POST", "/catalogue/subjects/{subject}/unpublish", NOT_MANAGERS),
    "catalogue.republish": ("POST", "/catalogue/subjects/{subject}/republish", NOT_MANAGERS),
    "catalogue.correct": ("POST", "/catalogue/subjects/{subject}/correct", NOT_EDITORS),
}

# Routes open to everyone by design, with the test that covers what they refuse.
PUBLIC = {
    "static": "assets",
    "main.home": "tests/test_demo.py: each role's page",
    "main.set_language": "tests/test_security.py: unknown language refused",
    "auth.sign_in": "tests/auth/test_sign_in.py",
    "auth.sign_out_route": "tests/auth/test_sign_in.py",
    "auth.sign_up": "tests/auth/test_sign_up.py",
    "auth.confirm_email": "tests/auth/test_sign_up.py: used link refused",
    "auth.resend_confirmation": "tests/auth/test_sign_up.py",
    "auth.check_inbox": "tests/auth/test_sign_up.py: without a link just sent, back to sign-in",
    "auth.forgot_password": "tests/auth/test_password_reset.py",
    "auth.reset_password": "tests/auth/test_password_reset.py: tampered and expired links refused",
    "auth.accept_invitation": "tests/staff/test_users_admin.py: used link refused",
    "auth.two_factor": "tests/auth/test_two_factor.py: without the password step, refused",
    "auth.csrf_token": "tests/test_security.py",
    "proposals.accept_co_editing": "tests/proposals/test_co_editing.py: bad links refused",
    "public.index": "tests/catalogue/test_public_pages.py",
    "public.call": "tests/catalogue/test_public_pages.py: hidden subjects absent",
    "public.subject": "tests/catalogue/test_public_pages.py: hidden subjects answer 404",
    "public.figure": "tests/catalogue/test_public_pages.py: figures of hidden subjects answer 404",
    "public.search": "tests/catalogue/test_search_page.py: hidden subjects never found, bad input refused",
    "public.call_feed": "tests/catalogue/test_formats.py: hidden subjects in no format",
    "public.initiative_feed": "tests/catalogue/test_formats.py: hidden subjects in no format",
    "public.export_json": "tests/catalogue/test_formats.py: hidden subjects absent, bad filters refused",
    "site.sitemap": "tests/catalogue/test_formats.py: hidden subjects in no format",
}

CASES = [(endpoint, role) for endpoint, (_, _, roles) in ROUTES.items() for role in roles]
ROLES = sorted({role for _, _, roles in ROUTES.values() for role in roles})

# The world is built once for the module: every case must run in the same worker, one after another.
pytestmark = pytest.mark.xdist_group("permissions")


def _submitted_proposal_with_figure_and_editor():
    """Another director's proposal, with something behind every sub-route."""
    from portal.proposals.models import ProposalEditor, ProposalFigure
    from portal.proposals.services import submit

    proposal = factories.proposal()
    proposal.figures.append(
        ProposalFigure(
            name="diagram", media_type="image/png", data=b"png", width=1, height=1, sha256="0" * 64
        )
    )
    proposal.editors.append(ProposalEditor(email="co@example.org"))
    submit(proposal=proposal, content=None, base_version=proposal.version, author=proposal.owner)
    db.session.commit()
    return proposal


def _committee_with_member(proposal):
    """The committee of the proposal's campaign and initiative, with one member."""
    from portal.reviews.services import add_member, committee_of

    committee = committee_of(campaign=proposal.campaign, initiative=proposal.initiative)
    add_member(committee=committee, user=factories.user("member@other-university.test", Role.reviewer))
    db.session.commit()
    return committee


def _referral_to_another_initiative(proposal):
    """The proposal referred to another initiative of its call, which has its committee."""
    from portal.reviews.models import Referral
    from portal.reviews.services import committee_of

    other = factories.initiative()
    proposal.campaign.initiatives.append(other)
    committee_of(campaign=proposal.campaign, initiative=other)
    referral = Referral(proposal_id=proposal.id, initiative_id=other.id, comment="Of interest to them.")
    db.session.add(referral)
    db.session.commit()
    return referral


def _signed_in_client(app, role: str) -> FormClient:
    client = FormClient(app.test_client())
    if role != "anonymous":
        user = factories.user(f"{role}@example.org", Role(role), two_factor=Role(role) is not Role.supervisor)
        client.sign_in_user(user)
    return client


@dataclass
class World:
    """Something behind every route, and a browser signed in as each role (anonymous: signed out)."""

    app: Flask
    paths: dict[str, str]
    clients: dict[str, FormClient]
    tokens: dict[str, str]


@pytest.fixture(scope="module")
def world(apps) -> Iterator[World]:
    app, close = open_app(apps, {})
    with app.app_context():
        other = factories.user("other@example.org")
        factories.research_unit("UMR1000")
        proposal = _submitted_proposal_with_figure_and_editor()
        committee = _committee_with_member(proposal)
        referral = _referral_to_another_initiative(proposal)
        subject = record_submission(proposal=proposal, consent=True, contact_email="", by=proposal.owner)
        db.session.commit()
        ids = {
            "user": other.id,
            "grant": other.grants[0].id,
            "proposal": proposal.id,
            "editor": proposal.editors[0].id,
            "committee": committee.id,
            "member": committee.members[0].id,
            "referral": referral.id,
            "campaign": proposal.campaign_id,
            "subject": subject.id,
        }
        clients = {role: _signed_in_client(app, role) for role in ROLES}
    paths = {endpoint: path.format(**ids) for endpoint, (_, path, _) in ROUTES.items()}
    tokens = {role: client.token("/") for role, client in clients.items()}
    yield World(app=app, paths=paths, clients=clients, tokens=tokens)
    close()


def test_every_route_is_in_the_table(world):
    endpoints = {rule.endpoint for rule in world.app.url_map.iter_rules()}
    assert endpoints == set(ROUTES) | set(PUBLIC)


@pytest.mark.parametrize(("endpoint", "role"), CASES)
def test_role_is_refused(world, endpoint, role):
    method, _, _ = ROUTES[endpoint]
    path, client = world.paths[endpoint], world.clients[role]
    limiter.reset()  # one refusal must not count against another route's limit
    if method == "GET":
        response = client.get(path)
    else:
        response = client.post(path, data={"csrf_token": world.tokens[role]})
    if role == "anonymous":
        assert response.status_code == 302 and response.location.startswith("/account/sign-in")
    elif ("{proposal}" in ROUTES[endpoint][1] or "{subject}" in ROUTES[endpoint][1]) and role != "admin":
        # Guessing the id of a proposal one may not read reveals nothing: it does not exist.
        assert response.status_code == 404
    else:
        assert response.status_code == 403
