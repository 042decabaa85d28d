"""Administrators add the research units typed by hand to the reference data, in one click."""

from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.extensions import db
from portal.reference.models import ResearchUnit
from tests import factories

PAGE = "/admin/reference/research-units/entered"


def test_typed_units_are_listed_then_added_to_the_reference_data(app_context, client):
    factories.research_unit("UMR7606")
    director = factories.user(
        "d@example.org", Role.supervisor, unit_acronym="LCQB", unit_name="Bio", unit_code="UMR7238"
    )
    proposal = factories.proposal()
    content = dict(proposal.content)
    content["director"] = {
        **content["director"],
        "unit": {"acronym": "LCQB", "name": "Biologie", "code": "UMR7238"},
    }
    content["co_supervisor"] = {
        **content["director"],
        "unit": {"acronym": "LIP6", "name": "LIP6", "code": "UMR7606"},
    }
    proposal.content = content
    db.session.commit()
    client.sign_in_user(factories.user("admin@example.org", Role.admin, two_factor=True))
    html = client.get(PAGE).get_data(as_text=True)
    # The listed unit is not offered again; the typed one is, with where it was typed.
    assert "UMR7238" in html and "1 proposal, 1 profile" in html and "UMR7606" not in html
    response = client.submit(
        f"{PAGE}/add", {"code": "UMR7238", "acronym": "LCQB", "name": "Biologie"}, page=PAGE
    )
    assert response.status_code == 302
    unit = db.session.scalar(select(ResearchUnit).where(ResearchUnit.code == "UMR7238"))
    assert (unit.acronym, unit.name) == ("LCQB", "Biologie")
    db.session.refresh(director)
    assert director.research_unit == unit and director.unit_code == ""
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "reference.unit_added_from_entries")
    )
    assert event.object_id == unit.id and event.details["profiles"] == 1
    page = client.get(PAGE).get_data(as_text=True)
    assert "Added to the reference data: LCQB (UMR7238)." in page and "Every unit typed by hand" in page
    again = client.submit(f"{PAGE}/add", {"code": "UMR7238", "acronym": "X", "name": "Y"}, page=PAGE)
    assert "already in the reference data" in client.get(again.location).get_data(as_text=True)
