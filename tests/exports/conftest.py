"""Two calls, proposals from several doctoral schools, and a member of staff for each scope."""

from types import SimpleNamespace

import pytest

from portal.auth.models import Role
from tests import factories


@pytest.fixture
def world(app_context):
    """Call 2031 (initiative A: two proposals, each director from their own school) and call 2032
    (initiative B: one proposal, from the first proposal's school)."""
    initiative_a, initiative_b = factories.initiative("EXPA"), factories.initiative("EXPB")
    call = factories.campaign(2031)
    call.initiatives.append(initiative_a)
    later = factories.campaign(2032)
    later.initiatives.append(initiative_b)
    first = factories.submitted_proposal(call)
    second = factories.submitted_proposal(call)
    school = first.director_school
    owner = factories.user("third@example.org")
    director = factories.complete_content(initiative=initiative_b, school=school, email=owner.email)[
        "director"
    ]
    third = factories.submitted_proposal(later, owner=owner, director=director)
    assert third.director_school_id == school.id
    return SimpleNamespace(
        call=call,
        later=later,
        initiative_a=initiative_a,
        initiative_b=initiative_b,
        first=first,
        second=second,
        third=third,
        school=school,
        school_staff=factories.user("ed@example.org", Role.school_staff, scope=school, two_factor=True),
        other_school_staff=factories.user("ed2@example.org", Role.school_staff, two_factor=True),
        programme_staff=factories.user(
            "prog@example.org", Role.programme_staff, scope=initiative_a, two_factor=True
        ),
        admin=factories.user("admin@example.org", Role.admin, two_factor=True),
    )
