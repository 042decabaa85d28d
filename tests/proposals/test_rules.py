"""Each rule of the call, checked at submission: removing a rule fails its test."""

from dataclasses import dataclass
from datetime import timedelta

import pytest

from portal.db import utcnow
from portal.proposals.rules import submission_problems
from tests import factories


@dataclass
class FakeMeasure:
    pages: float

    def fits(self, limit: int) -> bool:
        return self.pages <= limit

    @property
    def display(self) -> str:
        return f"{self.pages:.1f}"


@pytest.fixture
def setup(app_context):
    target = factories.initiative("SCAI")
    campaign = factories.campaign(2031)
    campaign.initiatives.append(target)
    school = factories.doctoral_school("ED130", acronym="EDITE")
    return campaign, factories.complete_content(initiative=target, school=school)


def problems_of(campaign, content, pages=None):
    measure = (lambda text: FakeMeasure(pages)) if pages is not None else None
    return {
        problem.path: problem.message
        for problem in submission_problems(content, campaign=campaign, description_pages=measure)
    }


def test_complete_content_passes(setup):
    assert problems_of(*setup) == {}


@pytest.mark.parametrize(
    ("path", "change"),
    [
        ("title", lambda c: c.update(title="")),
        ("title", lambda c: c.update(title="x" * 251)),
        ("initiative", lambda c: c.update(initiative=None)),
        ("initiative", lambda c: c.update(initiative="OTHER")),
        ("keywords", lambda c: c.update(keywords=[])),
        ("keywords", lambda c: c.update(keywords=[f"k{i}" for i in range(9)])),
        ("language", lambda c: c.update(language="de")),
        ("director.last_name", lambda c: c["director"].update(last_name="")),
        ("director.first_name", lambda c: c["director"].update(first_name="")),
        ("director.title", lambda c: c["director"].update(title="")),
        ("director.address", lambda c: c["director"].update(address="")),
        ("director.email", lambda c: c["director"].update(email="not-an-address")),
        ("director.hdr", lambda c: c["director"].update(hdr=False)),
        ("director.unit.acronym", lambda c: c["director"]["unit"].update(acronym="")),
        ("director.unit.name", lambda c: c["director"]["unit"].update(name="")),
        ("director.unit.code", lambda c: c["director"]["unit"].update(code="LAB-12")),
        ("director.doctoral_school", lambda c: c["director"].update(doctoral_school=None)),
        ("director.doctoral_school", lambda c: c["director"].update(doctoral_school="ED999")),
        ("director.students.0.share", lambda c: c["director"]["students"][0].update(share=0)),
        ("director.students.0.share", lambda c: c["director"]["students"][0].update(share=101)),
        ("director.students.0.share", lambda c: c["director"]["students"][0].update(share="50%")),
        ("director.students.0.start", lambda c: c["director"]["students"][0].update(start="2021-13")),
        ("director.students.0.start", lambda c: c["director"]["students"][0].update(start="09/2021")),
        ("director.students.0.name", lambda c: c["director"]["students"][0].update(name="")),
        ("director.students.0.funding", lambda c: c["director"]["students"][0].update(funding="")),
        (
            "other_initiative_interest.details",
            lambda c: c.update(other_initiative_interest={"answer": True, "details": ""}),
        ),
        (
            "cotutelle.partner",
            lambda c: c.update(cotutelle={"answer": True, "partner": "", "country": "Canada"}),
        ),
        (
            "cotutelle.country",
            lambda c: c.update(cotutelle={"answer": True, "partner": "McGill", "country": ""}),
        ),
        ("description", lambda c: c.update(description="")),
    ],
)
def test_each_rule_names_its_field(setup, path, change):
    campaign, content = setup
    change(content)
    assert path in problems_of(campaign, content)


def test_enrolment_month_in_the_future_is_refused(setup):
    campaign, content = setup
    next_year = (utcnow() + timedelta(days=400)).strftime("%Y-%m")
    content["director"]["students"][0]["start"] = next_year
    assert "future" in problems_of(campaign, content)["director.students.0.start"]
    content["director"]["students"][0]["start"] = utcnow().strftime("%Y-%m")
    assert problems_of(campaign, content) == {}


@pytest.mark.parametrize("code", ["UMR7606", "UMR 7606", "UPR2301", "EA4512", "U1135", "umr-7606"])
def test_unit_codes_of_known_shape_pass(setup, code):
    campaign, content = setup
    content["director"]["unit"]["code"] = code
    assert problems_of(campaign, content) == {}


def _co_supervisor(**values):
    person = {
        "last_name": "Oyallon",
        "first_name": "Edouard",
        "title": "Chargé de recherche",
        "email": "edouard@example.org",
        "unit": {"acronym": "LIP6", "name": "LIP6", "code": "UMR7606"},
        "doctoral_school": "ED130",
        "doctoral_school_other": None,
        "students": [],
    }
    person.update(values)
    return person


def test_co_supervisor_school_xor_free_field(setup):
    campaign, content = setup
    content["co_supervisor"] = _co_supervisor()
    assert problems_of(campaign, content) == {}
    content["co_supervisor"] = _co_supervisor(doctoral_school_other="ED of Montréal")
    assert "co_supervisor.doctoral_school_other" in problems_of(campaign, content)
    content["co_supervisor"] = _co_supervisor(doctoral_school=None)
    assert "co_supervisor.doctoral_school" in problems_of(campaign, content)
    content["co_supervisor"] = _co_supervisor(doctoral_school=None, doctoral_school_other="ED of Montréal")
    assert problems_of(campaign, content) == {}


def test_director_and_co_supervisor_are_different_people(setup):
    campaign, content = setup
    content["co_supervisor"] = _co_supervisor(email=content["director"]["email"].upper())
    assert "someone other" in problems_of(campaign, content)["co_supervisor.email"]
    content["co_supervisor"] = _co_supervisor(last_name="LAMPRIER", first_name="sylvain")
    assert "co_supervisor.email" in problems_of(campaign, content)


def test_co_supervisor_students_are_checked_too(setup):
    campaign, content = setup
    content["co_supervisor"] = _co_supervisor(
        students=[{"name": "B", "start": "2020-01", "funding": "X", "share": 150}]
    )
    assert "co_supervisor.students.0.share" in problems_of(campaign, content)


def test_description_within_the_page_limit(setup):
    campaign, content = setup
    assert problems_of(campaign, content, pages=3.0) == {}
    message = problems_of(campaign, content, pages=3.1)["description"]
    assert "3.1" in message and "3" in message
    campaign.page_limit = 4
    assert problems_of(campaign, content, pages=3.1) == {}


def test_hdr_refusal_gives_the_reason(setup):
    campaign, content = setup
    content["director"]["hdr"] = False
    assert "HDR" in problems_of(campaign, content)["director.hdr"]
