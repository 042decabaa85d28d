"""Administrators edit reference data in the UI and load files."""

import io
import json
import re
from datetime import datetime
from html import unescape as html_unescape

import pytest
from sqlalchemy import func, select

from portal.auth.models import Role
from portal.extensions import db
from portal.reference.models import Campaign, CampaignState, DoctoralSchool, ResearchUnit
from portal.timezones import paris_to_utc, utc_to_paris
from tests import factories


def _admin(client):
    client.sign_in_user(factories.user("admin@example.org", Role.admin, two_factor=True))


def test_create_a_campaign_in_paris_time(app_context, client):
    _admin(client)
    scai = factories.initiative("SCAI")
    response = client.submit(
        "/admin/reference/campaigns/new",
        {
            "name": "AAP 2027",
            "year": "2027",
            "opens_at": "2026-12-01T09:00",
            "closes_at": "2027-02-20T23:59",
            "page_limit": "3",
            "contact_email": "programme@example.org",
            "state": "published",
            "initiatives": [str(scai.id)],
            "description": "",
        },
    )
    assert response.status_code == 302
    campaign = db.session.scalar(select(Campaign))
    assert utc_to_paris(campaign.closes_at).strftime("%Y-%m-%d %H:%M") == "2027-02-20 23:59"
    assert campaign.state is CampaignState.published and campaign.initiatives == [scai]
    edit = client.get(f"/admin/reference/campaigns/{campaign.id}").get_data(as_text=True)
    assert 'value="2027-02-20T23:59"' in edit


def test_campaign_errors_keep_the_input(app_context, client):
    _admin(client)
    response = client.submit(
        "/admin/reference/campaigns/new",
        {
            "name": "AAP 2027",
            "year": "2027",
            "opens_at": "2027-03-01T09:00",
            "closes_at": "2027-02-20T23:59",
            "page_limit": "3",
            "contact_email": "programme@example.org",
            "state": "draft",
        },
    )
    html = response.get_data(as_text=True)
    assert "The closing date must come after the opening date." in html
    assert 'value="AAP 2027"' in html and 'value="2027-03-01T09:00"' in html


def _campaign_form(**changes) -> dict:
    form = {
        "name": "AAP 2027",
        "year": "2027",
        "opens_at": "2026-12-01T09:00",
        "closes_at": "2027-02-20T23:59",
        "page_limit": "3",
        "contact_email": "programme@example.org",
        "state": "draft",
    }
    return {**form, **changes}


def test_the_call_lists_the_mail_domains_its_conflict_rule_ignores(app_context, client):
    _admin(client)
    typed = "@Sorbonne-Universite.fr\r\ncnrs.fr, cnrs.fr"
    response = client.submit("/admin/reference/campaigns/new", _campaign_form(ignored_mail_domains=typed))
    assert response.status_code == 302
    campaign = db.session.scalar(select(Campaign))
    assert campaign.ignored_mail_domains == ["sorbonne-universite.fr", "cnrs.fr"]
    edit = client.get(f"/admin/reference/campaigns/{campaign.id}").get_data(as_text=True)
    assert "sorbonne-universite.fr\ncnrs.fr</textarea>" in edit
    client.submit(
        f"/admin/reference/campaigns/{campaign.id}/next-year",
        page=f"/admin/reference/campaigns/{campaign.id}",
    )
    following = db.session.scalar(select(Campaign).where(Campaign.year == 2028))
    assert following.ignored_mail_domains == ["sorbonne-universite.fr", "cnrs.fr"]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("cnrs", "“cnrs” is not an e-mail domain such as cnrs.fr."),
        ("jean@cnrs.fr", "“jean@cnrs.fr” is not an e-mail domain such as cnrs.fr."),
        ("-bad.fr", "“-bad.fr” is not an e-mail domain such as cnrs.fr."),
        (" ".join(f"u{n}.fr" for n in range(21)), "At most 20 domains."),
        ("a" * 250 + ".fr", "is not an e-mail domain such as cnrs.fr."),
    ],
)
def test_ignored_domains_are_checked_next_to_the_field(app_context, client, typed, message):
    _admin(client)
    response = client.submit("/admin/reference/campaigns/new", _campaign_form(ignored_mail_domains=typed))
    html = response.get_data(as_text=True)
    error = re.search(r'id="ignored_mail_domains-error">([^<]+)<', html)
    assert error and message in html_unescape(error.group(1))
    assert db.session.scalar(select(func.count()).select_from(Campaign)) == 0


def test_unique_keys_are_checked_with_a_clear_message(app_context, client):
    _admin(client)
    factories.research_unit("UMR7606")
    response = client.submit(
        "/admin/reference/research-units/new", {"code": "UMR 7606", "acronym": "LIP6", "name": "LIP6"}
    )
    assert "Another entry already uses this value." in response.get_data(as_text=True)
    response = client.submit(
        "/admin/reference/research-units/new", {"code": "LAB6", "acronym": "LIP6", "name": "LIP6"}
    )
    assert "This is not a research unit code" in response.get_data(as_text=True)


def test_edit_a_doctoral_school(app_context, client):
    _admin(client)
    school = factories.doctoral_school("ED130", acronym="EDITE")
    response = client.submit(
        f"/admin/reference/doctoral-schools/{school.id}",
        {
            "number": "ED130",
            "acronym": "EDITE",
            "name": "Informatique, télécommunications et électronique",
            "contact_email": "edite@example.org",
            "in_alliance": "y",
            "supervision_cap": "300",
        },
    )
    assert response.status_code == 302
    db.session.refresh(school)
    assert school.supervision_cap == 300
    listing = client.get("/admin/reference/doctoral-schools/").get_data(as_text=True)
    assert "Informatique, télécommunications" in listing


def test_unknown_kind_or_row_is_not_found(app_context, client):
    _admin(client)
    assert client.get("/admin/reference/spaceships/").status_code == 404
    assert client.get("/admin/reference/campaigns/999").status_code == 404


def test_load_a_file_from_the_ui(app_context, client):
    _admin(client)
    data = {"research_units": [{"code": "UMR7606", "acronym": "LIP6", "name": "LIP6"}]}
    response = client.submit(
        "/admin/reference/import",
        {"file": (io.BytesIO(json.dumps(data).encode()), "units.json")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert db.session.scalar(select(ResearchUnit)).acronym == "LIP6"

    bad = {"doctoral_schools": [{"number": "nope"}]}
    response = client.submit(
        "/admin/reference/import",
        {"file": (io.BytesIO(json.dumps(bad).encode()), "bad.json")},
        content_type="multipart/form-data",
    )
    assert "Nothing was loaded" in response.get_data(as_text=True)
    assert db.session.scalar(select(DoctoralSchool)) is None


def test_prepare_next_year_from_a_campaign(app_context, client):
    _admin(client)
    scai = factories.initiative("SCAI")
    previous = factories.campaign(
        2021,
        name="AAP 2021",
        opens_at=paris_to_utc(datetime(2021, 3, 27, 12, 0)),  # before the 2021 switch to summer time
        closes_at=paris_to_utc(datetime(2021, 4, 20, 23, 59)),
        page_limit=3,
        initiatives=[scai],
    )
    response = client.submit(
        f"/admin/reference/campaigns/{previous.id}/next-year",
        page=f"/admin/reference/campaigns/{previous.id}",
    )
    following = db.session.scalar(select(Campaign).where(Campaign.year == 2022))
    assert response.location == f"/admin/reference/campaigns/{following.id}"
    assert following.name == "AAP 2022" and following.state is CampaignState.draft
    assert following.initiatives == [scai] and following.page_limit == 3
    # Same wall-clock times in Paris, although 27 March 2022 is already summer time.
    assert utc_to_paris(following.opens_at).strftime("%Y-%m-%d %H:%M") == "2022-03-27 12:00"
    assert utc_to_paris(following.closes_at).strftime("%Y-%m-%d %H:%M") == "2022-04-20 23:59"

    again = client.submit(
        f"/admin/reference/campaigns/{previous.id}/next-year",
        page=f"/admin/reference/campaigns/{previous.id}",
    )
    assert again.location == f"/admin/reference/campaigns/{following.id}"
    assert db.session.scalar(select(func.count()).select_from(Campaign)) == 2
