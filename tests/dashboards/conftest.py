"""One open call, proposals in each state from two doctoral schools, a member of staff per scope."""

from types import SimpleNamespace

import pytest

from portal.auth.models import Role
from portal.extensions import db
from portal.proposals.services import withdraw
from tests import factories


def director_block(school, email: str, *, unit: str = "LIP6", shares=(50,)) -> dict:
    content = factories.complete_content(initiative=factories.initiative(), school=school, email=email)
    director = content["director"]
    director["unit"]["acronym"] = unit
    director["students"] = [
        {"name": f"Student {n}", "start": "2022-09", "funding": "ANR", "share": share}
        for n, share in enumerate(shares)
    ]
    return director


@pytest.fixture
def world(app_context):
    """Call 2041 for initiative DASHA. School S: `first` (submitted), `draft`, `withdrawn`; another
    school: `second` (submitted, cotutelle, in French)."""
    initiative = factories.initiative("DASHA")
    call = factories.campaign(2041)
    call.initiatives.append(initiative)
    db.session.commit()
    school = factories.doctoral_school("ED501")
    first_owner = factories.user("first@example.org", last_name="Curie")
    first = factories.submitted_proposal(
        call,
        owner=first_owner,
        title="Quantum sensing of magnetic fields",
        keywords=["magnetometry"],
        director=director_block(school, first_owner.email, unit="INSP", shares=(50, 30)),
    )
    second = factories.submitted_proposal(
        call,
        title="Histoire des manuscrits",
        language="fr",
        cotutelle={"answer": True, "partner": "Université Laval", "country": "Canada"},
    )
    draft_owner = factories.user("drafter@example.org")
    content = factories.complete_content(initiative=initiative, school=school, email=draft_owner.email)
    content["title"] = "Unfinished draft on soils"
    draft = factories.proposal(draft_owner, campaign_row=call, content=content)
    withdrawn = factories.submitted_proposal(
        call, title="Withdrawn glaciers study", director=director_block(school, "w@example.org")
    )
    withdraw(proposal=withdrawn, author=withdrawn.owner)
    db.session.commit()
    return SimpleNamespace(
        call=call,
        initiative=initiative,
        school=school,
        first=first,
        second=second,
        draft=draft,
        withdrawn=withdrawn,
        school_staff=factories.user("ed@example.org", Role.school_staff, scope=school, two_factor=True),
        other_school_staff=factories.user("ed2@example.org", Role.school_staff, two_factor=True),
        programme_staff=factories.user(
            "prog@example.org", Role.programme_staff, scope=initiative, two_factor=True
        ),
        other_programme_staff=factories.user("prog2@example.org", Role.programme_staff, two_factor=True),
        admin=factories.user("admin@example.org", Role.admin, two_factor=True),
    )
