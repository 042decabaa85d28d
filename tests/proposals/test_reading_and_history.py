"""Who reads a proposal, its PDF download, figures, history and restore, and staff extensions."""

import io
import re
from datetime import timedelta
from urllib.parse import unquote

import pytest
from PIL import Image

from portal.auth.models import Role
from portal.db import utcnow
from portal.extensions import db
from portal.proposals.models import ProposalFigure, ProposalState, StoredPdf
from portal.proposals.services import save_draft, submit
from tests import factories


@pytest.fixture
def proposal(app_context):
    return factories.proposal()


def _reader(kind: str, proposal):
    if kind == "programme_staff":
        return factories.user(None, Role.programme_staff, scope=proposal.initiative, two_factor=True)
    if kind == "school_staff":
        return factories.user(None, Role.school_staff, scope=proposal.director_school, two_factor=True)
    return factories.user(None, Role.admin, two_factor=True)


@pytest.mark.parametrize("kind", ["programme_staff", "school_staff", "admin"])
def test_staff_of_the_proposal_read_it_but_do_not_edit_it(proposal, client, kind):
    client.sign_in_user(_reader(kind, proposal))
    page = client.get(f"/proposals/{proposal.id}")
    assert page.status_code == 200 and proposal.title in page.get_data(as_text=True)
    assert client.get(f"/proposals/{proposal.id}/edit").status_code == 403


def test_staff_of_another_initiative_or_school_get_nothing(proposal, client):
    client.sign_in_user(factories.user(None, Role.programme_staff, two_factor=True))
    assert client.get(f"/proposals/{proposal.id}").status_code == 404
    assert client.get(f"/proposals/{proposal.id}/pdf").status_code == 404


def test_the_pdf_download_carries_the_official_name(app_context, client):
    owner = factories.user(last_name="Ménard")
    target = factories.initiative("ISCD")
    campaign = factories.campaign(2031)
    campaign.initiatives.append(target)
    content = factories.complete_content(
        initiative=target, school=factories.doctoral_school(), email=owner.email
    )
    content["director"]["last_name"] = "Ménard"
    first = factories.proposal(owner, campaign_row=campaign, content=content)
    second = factories.proposal(owner, campaign_row=campaign, content=content)
    client.sign_in_user(owner)
    response = client.get(f"/proposals/{first.id}/pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    disposition = response.headers["Content-Disposition"]
    assert 'filename="ISCD - AAP 2031 - MENARD.pdf"' in disposition
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "ISCD – AAP 2031 – MÉNARD.pdf"
    disposition = client.get(f"/proposals/{second.id}/pdf").headers["Content-Disposition"]
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "ISCD – AAP 2031 – MÉNARD (2).pdf"


def test_a_submitted_version_is_rendered_once_then_served_from_storage(proposal, client):
    submit(proposal=proposal, content=None, base_version=proposal.version, author=proposal.owner)
    db.session.commit()
    client.sign_in_user(proposal.owner)
    first = client.get(f"/proposals/{proposal.id}/pdf").data
    assert db.session.query(StoredPdf).count() == 1
    stored = db.session.query(StoredPdf).one()
    stored.data = first.replace(b"%%EOF", b"%%EOF\n% served from storage")
    db.session.commit()
    assert b"% served from storage" in client.get(f"/proposals/{proposal.id}/pdf").data


def _png(width=40, height=30) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (20, 90, 160)).save(buffer, "PNG")
    return buffer.getvalue()


def test_figures_upload_show_and_delete(proposal, client):
    client.sign_in_user(proposal.owner)
    edit = f"/proposals/{proposal.id}/edit"
    response = client.submit(
        f"/proposals/{proposal.id}/figures",
        {"figure": (io.BytesIO(_png()), "Network diagram.png")},
        page=edit,
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    figure = db.session.query(ProposalFigure).one()
    assert figure.name == "network-diagram" and (figure.width, figure.height) == (40, 30)
    shown = client.get(f"/proposals/{proposal.id}/figures/network-diagram")
    assert shown.status_code == 200 and shown.mimetype == "image/png"
    page = client.get(edit).get_data(as_text=True)
    assert "figure:network-diagram" in page
    client.submit(f"/proposals/{proposal.id}/figures/network-diagram/delete", page=edit)
    assert db.session.query(ProposalFigure).count() == 0


def test_a_text_file_named_png_is_refused_with_a_message(proposal, client):
    client.sign_in_user(proposal.owner)
    edit = f"/proposals/{proposal.id}/edit"
    response = client.submit(
        f"/proposals/{proposal.id}/figures",
        {"figure": (io.BytesIO(b"not an image"), "evil.png")},
        page=edit,
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "PNG or JPEG" in response.get_data(as_text=True)
    assert db.session.query(ProposalFigure).count() == 0


def test_a_figure_used_in_the_description_is_kept(proposal, client):
    proposal.figures.append(
        ProposalFigure(name="plot", media_type="image/png", data=_png(), width=40, height=30, sha256="0" * 64)
    )
    content = dict(proposal.content, description="![Figure 1: a plot](figure:plot)")
    save_draft(proposal=proposal, content=content, base_version=proposal.version, author=proposal.owner)
    db.session.commit()
    client.sign_in_user(proposal.owner)
    client.submit(f"/proposals/{proposal.id}/figures/plot/delete", page=f"/proposals/{proposal.id}/edit")
    assert db.session.query(ProposalFigure).count() == 1


def test_history_diff_and_restore(proposal, client):
    other = factories.user()
    original = proposal.content["title"]
    save_draft(
        proposal=proposal,
        content=dict(proposal.content, title="Rewritten title"),
        base_version=proposal.version,
        author=other,
    )
    db.session.commit()
    client.sign_in_user(proposal.owner)
    history = client.get(f"/proposals/{proposal.id}/history").get_data(as_text=True)
    assert other.display_name in history and proposal.owner.display_name in history
    diff = client.get(f"/proposals/{proposal.id}/history/diff?from=1&to=2").get_data(as_text=True)
    assert original in diff and "Rewritten title" in diff
    response = client.submit(
        f"/proposals/{proposal.id}/history/1/restore",
        {"base_version": proposal.version},
        page=f"/proposals/{proposal.id}/history",
    )
    assert response.status_code == 302
    db.session.refresh(proposal)
    assert proposal.content["title"] == original and proposal.revisions[-1].restored_from == 1


def test_programme_staff_grant_an_extension_school_staff_cannot(app_context, client, other_client):
    proposal = factories.proposal()
    proposal.campaign.closes_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    school_staff = _reader("school_staff", proposal)
    other_client.sign_in_user(school_staff)
    until = (utcnow() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    view = f"/proposals/{proposal.id}"
    assert other_client.submit(f"{view}/extension", {"until": until}, page=view).status_code == 403
    client.sign_in_user(_reader("programme_staff", proposal))
    assert client.submit(f"{view}/extension", {"until": until}, page=view).status_code == 302
    db.session.refresh(proposal)
    assert proposal.extended_until is not None and proposal.is_open_for_changes()
    submit(proposal=proposal, content=None, base_version=proposal.version, author=proposal.owner)
    assert proposal.state is ProposalState.submitted


def test_staff_dashboards_list_the_submitted_proposals_they_may_read(proposal, client, other_client):
    submit(proposal=proposal, content=None, base_version=proposal.version, author=proposal.owner)
    db.session.commit()
    client.sign_in_user(_reader("school_staff", proposal))
    assert proposal.title in client.get("/").get_data(as_text=True)
    other_client.sign_in_user(factories.user(None, Role.school_staff, two_factor=True))
    assert proposal.title not in other_client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("language", "expected", "internal"),
    [
        (
            "en",
            [
                "Co-supervisor › E-mail",
                "International co-tutelle › Partner university",
                "Thesis director › Student 1 › Share (%)",
                "Thesis director › Unit code",
            ],
            ["· email", "partner", "› share", "unit › code"],
        ),
        (
            "fr",
            [
                "Co-encadrant·e › Courriel",
                "Cotutelle internationale › Université partenaire",
                "Directeur·rice de thèse › Étudiant·e 1 › Quotité (en\u00a0%)",
            ],
            ["· email", "partner", "› share"],
        ),
    ],
)
def test_the_diff_names_fields_with_the_form_s_labels(proposal, client, language, expected, internal):
    content = proposal.content
    director = dict(content["director"])
    director["unit"] = {**(director.get("unit") or {}), "code": "UMR9999"}
    director["students"] = [{"name": "Ada", "start": "2024-09", "funding": "CD", "share": "40"}]
    changed = dict(
        content,
        director=director,
        co_supervisor={**(content.get("co_supervisor") or {}), "email": "new.co@example.org"},
        cotutelle={"answer": "yes", "partner": "Universität Wien", "country": "Austria"},
    )
    # Saved by someone else: a revision of its own in the history.
    save_draft(proposal=proposal, content=changed, base_version=proposal.version, author=factories.user())
    db.session.commit()
    client.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    client.sign_in_user(proposal.owner)
    diff = client.get(f"/proposals/{proposal.id}/history/diff?from=1&to=2").get_data(as_text=True)
    diff = diff.replace("&amp;", "&").replace("&#39;", "'")
    for label in expected:
        assert label in diff, (label, re.findall(r"<dt>.*?</dt>", diff))
    for key in internal:
        assert key not in diff, key
