"""Research unit codes (one check everywhere), and a national list loaded from its own CSV."""

from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from portal.extensions import db
from portal.reference.codes import normalise_unit_code
from portal.reference.models import ResearchUnit
from portal.reference.unit_form import StrictUnitForm, UnitForm
from tests import factories

NATIONAL_LIST = Path(__file__).parent / "national-units.csv"


def _unit_form(form_class, **typed):
    return form_class(MultiDict({f"unit-{key}": value for key, value in typed.items()}), prefix="unit-")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("UMR 7606", "UMR7606"),
        ("umr7606", "UMR7606"),
        (" UPR-2301 ", "UPR2301"),
        ("EA 4512", "EA4512"),
        ("UR 7373", "UR7373"),
        ("IRL2958", "IRL2958"),
    ],
)
def test_a_good_code_is_stored_one_way(app_context, typed, stored):
    assert normalise_unit_code(typed) == stored
    form = _unit_form(StrictUnitForm, acronym="LAB", name="A laboratory", code=typed)
    assert form.validate() and form.unit() == {"acronym": "LAB", "name": "A laboratory", "code": stored}


@pytest.mark.parametrize(
    "typed", ["LAB 12", "UMR", "7606", "UMR 76", "UMR 76061", "XYZ 1234", "UMR 7606 bis"]
)
def test_a_bad_code_is_refused_beside_its_field_and_kept(app_context, typed):
    strict = _unit_form(StrictUnitForm, acronym="LAB", name="A laboratory", code=typed)
    assert not strict.validate()
    assert len(strict.code.errors) == 1 and "UMR 7606" in str(strict.code.errors[0])
    assert strict.code.data == typed
    # The proposal form keeps it in the draft; the submission rules say the same words.
    lenient = _unit_form(UnitForm, acronym="LAB", name="A laboratory", code=typed)
    assert lenient.validate() and lenient.unit()["code"] == typed


def test_a_unit_from_the_list_or_typed_not_both(app_context):
    listed = factories.research_unit("UMR7606")
    chosen = _unit_form(UnitForm, listed="UMR7606")
    assert chosen.validate()
    assert chosen.unit() == {"acronym": listed.acronym, "name": listed.name, "code": "UMR7606"}
    both = _unit_form(UnitForm, listed="UMR7606", acronym="LIP6")
    assert not both.validate() and "not both" in str(both.listed.errors[0])
    incomplete = _unit_form(StrictUnitForm, acronym="LIP6")
    assert not incomplete.validate() and incomplete.name.errors and incomplete.code.errors


def test_flask_reference_load_units_reads_a_national_list_twice_the_same(app_context, runner):
    factories.research_unit("UMR7606")  # known under another name: updated
    args = ["reference", "load-units", str(NATIONAL_LIST)]
    args += ["--code-column", "Numéro", "--acronym-column", "Sigle", "--name-column", "Libellé"]
    first = runner.invoke(args=args)
    assert first.exit_code == 0, first.output
    assert "2 created, 1 updated, 0 unchanged, 2 skipped (lines 5, 6)" in first.output
    again = runner.invoke(args=args)
    assert "0 created, 0 updated, 3 unchanged, 2 skipped" in again.output
    db.session.expire_all()
    units = {unit.code: (unit.acronym, unit.name) for unit in db.session.scalars(select(ResearchUnit))}
    assert units == {
        "UMR7606": ("LIP6", "Laboratoire d'informatique de Paris 6"),
        "UMR7598": ("LJLL", "Laboratoire Jacques-Louis Lions"),
        "EA4512": ("EA4512", "Laboratoire sans sigle"),  # no acronym in the list: its code
    }
    wrong = runner.invoke(args=["reference", "load-units", str(NATIONAL_LIST)])
    assert wrong.exit_code == 1 and "Nothing was loaded: no column code, acronym, name" in wrong.output
