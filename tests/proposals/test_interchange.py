"""The prd/1 format: the schema, import (all or nothing), export, and the `flask proposals` commands."""

import base64
import copy
import io
import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from jsonschema import Draft202012Validator
from PIL import Image
from sqlalchemy import func, select

from portal.auth.models import Role, User
from portal.extensions import db
from portal.proposals.interchange import (
    ImportRefused,
    export_document,
    import_document,
    schema,
    validate_document,
)
from portal.proposals.models import Proposal, ProposalFigure, ProposalRevision, ProposalState
from portal.proposals.services import save_draft
from portal.reference.codes import is_unit_code
from portal.reference.models import ResearchUnit
from tests import factories

EXAMPLE = Path(__file__).parent / "data" / "prd-2021-memorization.json"
DIRECTOR_EMAIL = "sylvain.lamprier@lip6.fr"


@pytest.fixture
def example() -> dict:
    """The example of /work/shared/examples, unchanged: a complete 2021 SCAI proposal."""
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def _call(*, open_now: bool = True) -> SimpleNamespace:
    """What the example refers to: the 2021 call with SCAI, and EDITE (ED130)."""
    scai = factories.initiative("SCAI")
    campaign = factories.campaign(2021, open_now=open_now)
    campaign.initiatives.append(scai)
    db.session.commit()
    school = factories.doctoral_school("ED130", acronym="EDITE")
    return SimpleNamespace(campaign=campaign, initiative=scai, school=school)


@pytest.fixture
def call(app_context) -> SimpleNamespace:
    return _call()


def _counts() -> dict[str, int]:
    models = (User, ResearchUnit, Proposal, ProposalRevision, ProposalFigure)
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model)) for model in models}


def _png(width: int = 120, height: int = 80) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def _write(tmp_path: Path, document: dict) -> str:
    path = tmp_path / "proposal.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return str(path)


def _short(document: dict) -> dict:
    """The example with a description well within the page limit."""
    return dict(document, description="## Context\n\nMemorization in deep networks, $\\mathcal{L}$.")


# --- The schema ---


def test_the_example_is_valid_against_the_schema(example):
    Draft202012Validator.check_schema(schema())
    validator = Draft202012Validator(schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert list(validator.iter_errors(example)) == []


def test_the_example_is_importable(call, example):
    assert validate_document(example) == []


def test_every_property_of_the_schema_is_documented():
    def walk(node, where):
        if isinstance(node, dict):
            for name, child in (node.get("properties") or {}).items():
                target = child
                if "$ref" in child and "description" not in child:
                    target = schema()["$defs"][child["$ref"].rsplit("/", 1)[1]]
                assert target.get("title") and target.get("description"), f"{where}.{name}"
            for key, child in node.items():
                if key not in ("if", "then", "else"):  # the co-supervisor's school rule, not fields
                    walk(child, f"{where}.{key}")
        elif isinstance(node, list):
            for child in node:
                walk(child, where)

    walk(schema(), "schema")


@pytest.mark.parametrize(
    "code",
    [
        "UMR7606",
        "UMR 7606",
        "umr-7606",
        "UPR3251",
        "EA 4512",
        "U1234",
        "UMRS1135",
        "LIP6",
        "UMR",
        "7606",
        "UMR76066",
        "XYZ1234",
        "",
    ],
)
def test_the_schema_accepts_the_unit_codes_the_portal_accepts(code):
    pattern = schema()["$defs"]["unit"]["properties"]["code"]["pattern"]
    assert bool(re.search(pattern, code)) == is_unit_code(code)


def _set(path: str, value):
    def change(document):
        *parents, last = path.split(".")
        node = document
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        node[last] = value

    return change


def _delete(key: str):
    return lambda document: document.pop(key)


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (_set("director.students.2.share", 150), "director.students.2.share"),
        (_set("director.students.1.share", "50"), "director.students.1.share"),
        (_set("director.students.0.start", "2021-13"), "director.students.0.start"),
        (_set("director.unit.code", "LAB 7606"), "director.unit.code"),
        (_set("co_supervisor.doctoral_school_other", "ED de Lyon"), "co_supervisor.doctoral_school_other"),
        (_set("co_supervisor.doctoral_school", None), "co_supervisor.doctoral_school_other"),
        (_delete("title"), "title"),
        (_set("title", "x" * 251), "title"),
        (_set("keywords", [f"keyword {n}" for n in range(9)]), "keywords"),
        (_set("keywords", []), "keywords"),
        (_set("language", "de"), "language"),
        (_set("format", "prd/2"), "format"),
        (_set("director.email", "sylvain.lamprier"), "director.email"),
        (_set("co_supervisor.email", "edouard oyallon@lip6.fr"), "co_supervisor.email"),
        (_set("director.hdr", "oui"), "director.hdr"),
        (_set("director.nickname", "Sly"), "director"),
        (_set("cotutelle.answer", None), "cotutelle.answer"),
        (_set("campaign", {"year": "2021"}), "campaign.year"),
    ],
)
def test_each_schema_problem_is_reported_with_its_path(call, example, change, path):
    change(example)
    problems = validate_document(example)
    assert [problem.path for problem in problems] == [path], problems


def test_a_co_supervisor_names_exactly_one_doctoral_school(call, example):
    example["co_supervisor"]["doctoral_school_other"] = "ED de Lyon"
    (problem,) = validate_document(example)
    assert "exactly one" in problem.message
    example["co_supervisor"].update(doctoral_school=None, doctoral_school_other="ED de Lyon")
    assert validate_document(example) == []


def test_no_co_supervisor_is_valid(call, example):
    example["co_supervisor"] = None
    assert validate_document(example) == []


def test_every_problem_is_reported_at_once(call, example):
    example["director"]["students"][2]["share"] = 150
    example["keywords"] = [f"keyword {n}" for n in range(9)]
    example["initiative"] = "NOPE"
    assert {problem.path for problem in validate_document(example)} == {
        "director.students.2.share",
        "keywords",
        "initiative",
    }


# --- What the document refers to ---


def test_an_unknown_campaign_year_is_refused(call, example):
    example["campaign"]["year"] = 2030
    assert [(p.path, p.message) for p in validate_document(example)] == [
        ("campaign.year", "There is no campaign for the year 2030.")
    ]


def test_an_unknown_initiative_is_refused(call, example):
    example["initiative"] = "XYZ"
    assert [p.path for p in validate_document(example)] == ["initiative"]


def test_an_initiative_outside_the_campaign_is_refused(call, example):
    factories.initiative("ISCD")
    example["initiative"] = "ISCD"
    (problem,) = validate_document(example)
    assert problem.path == "initiative" and "not part of the 2021 call" in problem.message


@pytest.mark.parametrize("who", ["director", "co_supervisor"])
def test_an_unknown_doctoral_school_is_refused(call, example, who):
    example[who]["doctoral_school"] = "ED999"
    assert [p.path for p in validate_document(example)] == [f"{who}.doctoral_school"]


def test_a_doctoral_school_is_found_by_number_too(call, example):
    example["director"]["doctoral_school"] = "ED130"
    assert validate_document(example) == []


# --- Import ---


def test_import_creates_a_passwordless_supervisor_account_from_the_director(call, example):
    proposal = import_document(example)
    db.session.commit()
    owner = db.session.scalar(select(User).where(User.email == DIRECTOR_EMAIL))
    assert proposal.owner == owner and not owner.has_password and owner.email_confirmed_at is None
    assert owner.roles == {Role.supervisor}
    assert (owner.last_name, owner.first_name, owner.title) == ("Lamprier", "Sylvain", "Assistant Professor")
    assert owner.address == "LIP6, Jussieu, Bat 26, 5eme étage" and owner.hdr is True
    assert owner.research_unit.code == "UMR7606" and owner.doctoral_school == call.school
    assert proposal.state is ProposalState.draft and proposal.campaign == call.campaign
    assert proposal.initiative == call.initiative and proposal.director_school == call.school
    assert proposal.title == "Memorization in Deep Learning" and len(proposal.revisions) == 1


def test_import_reuses_the_account_with_the_directors_email(call, example):
    existing = factories.user(DIRECTOR_EMAIL, Role.reviewer, first_name="Sylvain", last_name="L.")
    example["director"]["email"] = "Sylvain.Lamprier@LIP6.fr"
    before = _counts()["User"]
    proposal = import_document(example)
    db.session.commit()
    assert proposal.owner == existing and _counts()["User"] == before
    # The profile stays its owner's; the supervisor role is what owning a proposal needs.
    assert existing.last_name == "L." and existing.has_password
    assert existing.roles == {Role.reviewer, Role.supervisor}


def test_a_disabled_account_cannot_receive_a_proposal(call, example):
    factories.user(DIRECTOR_EMAIL, disabled=True)
    assert [p.path for p in validate_document(example)] == ["director.email"]


def test_import_keeps_doctoral_schools_by_number(call, example):
    proposal = import_document(example)
    assert proposal.content["director"]["doctoral_school"] == "ED130"
    assert proposal.content["co_supervisor"]["doctoral_school"] == "ED130"


def test_import_creates_the_research_units_not_yet_known(call, example):
    example["co_supervisor"]["unit"] = {
        "acronym": "LJLL",
        "name": "Laboratoire Jacques-Louis Lions",
        "code": "umr 7598",
    }
    import_document(example)
    db.session.commit()
    units = {unit.code: unit for unit in db.session.scalars(select(ResearchUnit))}
    assert set(units) == {"UMR7606", "UMR7598"}
    assert (units["UMR7598"].acronym, units["UMR7598"].name) == ("LJLL", "Laboratoire Jacques-Louis Lions")
    # A second import finds them.
    import_document(example)
    db.session.commit()
    assert _counts()["ResearchUnit"] == 2


def test_import_reuses_a_known_research_unit(call, example):
    known = factories.research_unit("UMR7606")
    proposal = import_document(example)
    assert proposal.owner.research_unit == known and _counts()["ResearchUnit"] == 1


def test_import_with_submit_submits_when_the_call_is_open(call, example):
    proposal = import_document(example, submit=True)
    db.session.commit()
    assert proposal.state is ProposalState.submitted and proposal.submitted_revision is not None


def test_a_refused_submission_leaves_nothing_once_rolled_back(call, example):
    example = _short(example)
    example["director"]["hdr"] = False
    before = _counts()
    with pytest.raises(ImportRefused) as refused:
        import_document(example, submit=True)
    assert [p.path for p in refused.value.problems] == ["director.hdr"]
    db.session.rollback()
    assert _counts() == before


def test_import_with_submit_is_refused_when_the_call_is_closed(app_context, example):
    _call(open_now=False)
    with pytest.raises(ImportRefused) as refused:
        import_document(_short(example), submit=True)
    assert [p.path for p in refused.value.problems] == ["campaign"]


def test_a_draft_may_be_imported_into_a_closed_call(app_context, example):
    _call(open_now=False)
    assert import_document(example).state is ProposalState.draft


# --- Figures ---


def _with_figure(document: dict, data: bytes, name: str = "symmetries") -> dict:
    document = copy.deepcopy(document)
    document["description"] += f"\n![A discriminator](figure:{name})\n"
    document.setdefault("figures", []).append(
        {"name": name, "media_type": "image/png", "data": base64.b64encode(data).decode()}
    )
    return document


def test_figures_are_imported_checked(call, example):
    proposal = import_document(_with_figure(example, _png()))
    (figure,) = proposal.figures
    assert (figure.name, figure.media_type, figure.width, figure.height) == (
        "symmetries",
        "image/png",
        120,
        80,
    )


@pytest.mark.parametrize(
    ("data", "path"),
    [(b"not an image at all", "figures.0.data"), (None, "figures.0.data")],
)
def test_a_bad_figure_is_refused(call, example, data, path):
    document = _with_figure(example, data or b"")
    if data is None:
        document["figures"][0]["data"] = "***not base64***"
    assert [p.path for p in validate_document(document)] == [path]


def test_figure_names_are_unique(call, example):
    document = _with_figure(_with_figure(example, _png()), _png(60, 60))
    assert [p.path for p in validate_document(document)] == ["figures.1.name"]


# --- Export and round trip ---


def _expected_export(original: dict) -> dict:
    """The original as exported: doctoral schools by number (content keeps schools by number)."""
    expected = copy.deepcopy(original)
    expected["director"]["doctoral_school"] = "ED130"
    expected["co_supervisor"]["doctoral_school"] = "ED130"
    return expected


def test_export_gives_back_the_imported_document(call, example):
    proposal = import_document(example)
    db.session.commit()
    exported = export_document(proposal)
    assert exported == _expected_export(example)
    assert validate_document(exported) == []
    again = import_document(exported)
    assert again.content == proposal.content and again.id != proposal.id


def test_export_and_reimport_keep_the_figures(call, example):
    proposal = import_document(_with_figure(example, _png()))
    db.session.commit()
    exported = export_document(proposal)
    assert base64.b64decode(exported["figures"][0]["data"]) == proposal.figures[0].data
    again = import_document(exported)
    db.session.commit()
    assert again.content == proposal.content
    assert [(f.name, f.media_type, f.data) for f in again.figures] == [
        (f.name, f.media_type, f.data) for f in proposal.figures
    ]


def test_export_of_a_revision(call, example):
    proposal = import_document(example)
    db.session.commit()
    save_draft(
        proposal=proposal,
        content=dict(proposal.content, title="A new title"),
        base_version=proposal.version,
        author=factories.user(),
    )
    db.session.commit()
    assert export_document(proposal)["title"] == "A new title"
    assert export_document(proposal, revision=proposal.revisions[0])["title"] == example["title"]


def test_export_keeps_answers_that_were_given(call, example):
    example["cotutelle"] = {"answer": True, "partner": "Université Laval", "country": "Canada"}
    example["other_initiative_interest"] = {"answer": False}
    exported = export_document(import_document(example))
    assert exported["cotutelle"] == example["cotutelle"]
    assert exported["other_initiative_interest"] == {"answer": False}


# --- Commands ---


def test_cli_import_prints_the_new_id(call, example, runner, tmp_path):
    result = runner.invoke(args=["proposals", "import", _write(tmp_path, example)])
    assert result.exit_code == 0, result.output
    proposal = db.session.get(Proposal, int(result.stdout.strip()))
    assert proposal.state is ProposalState.draft and proposal.owner.email == DIRECTOR_EMAIL


def test_cli_import_with_submit(call, example, runner, tmp_path):
    result = runner.invoke(args=["proposals", "import", "--submit", _write(tmp_path, _short(example))])
    assert result.exit_code == 0, result.output
    assert db.session.get(Proposal, int(result.stdout.strip())).state is ProposalState.submitted


def test_cli_import_lists_each_problem_with_its_path_and_keeps_nothing(call, example, runner, tmp_path):
    example["director"]["students"][2]["share"] = 150
    example["keywords"] = [f"keyword {n}" for n in range(9)]
    before = _counts()
    result = runner.invoke(args=["proposals", "import", _write(tmp_path, example)])
    assert result.exit_code != 0 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert any(line.startswith("director.students.2.share: ") for line in lines), lines
    assert any(line.startswith("keywords: ") for line in lines), lines
    assert _counts() == before


@pytest.mark.parametrize(
    ("open_now", "hdr", "reason"),
    [(True, False, "director.hdr: "), (False, True, "campaign: ")],
    ids=["director-without-hdr", "call-closed"],
)
def test_cli_submit_refused_keeps_nothing(app_context, example, runner, tmp_path, open_now, hdr, reason):
    _call(open_now=open_now)
    example = _short(example)
    example["director"]["hdr"] = hdr
    before = _counts()
    result = runner.invoke(args=["proposals", "import", "--submit", _write(tmp_path, example)])
    assert result.exit_code != 0 and result.stdout == ""
    assert reason in result.stderr, result.stderr
    assert _counts() == before


def test_cli_import_refuses_a_file_that_is_not_json(call, runner, tmp_path):
    path = tmp_path / "proposal.json"
    path.write_text("{not json", encoding="utf-8")
    result = runner.invoke(args=["proposals", "import", str(path)])
    assert result.exit_code != 0 and "not a UTF-8 JSON file" in result.stderr


def test_cli_export_prints_the_document_that_imports_again(call, example, runner, tmp_path):
    proposal = import_document(example)
    db.session.commit()
    result = runner.invoke(args=["proposals", "export", str(proposal.id)])
    assert result.exit_code == 0, result.output
    assert "Agnès Mustar" in result.stdout and '  "format": "prd/1",' in result.stdout
    exported = json.loads(result.stdout)
    assert exported == _expected_export(example)
    again = runner.invoke(args=["proposals", "import", _write(tmp_path, exported)])
    assert again.exit_code == 0, again.output
    assert db.session.get(Proposal, int(again.stdout.strip())).content == proposal.content


def test_cli_export_of_an_unknown_proposal_fails(app_context, runner):
    result = runner.invoke(args=["proposals", "export", "4242"])
    assert result.exit_code != 0 and "There is no proposal 4242." in result.stderr


def test_cli_pdf_writes_the_official_file(call, example, runner, tmp_path):
    proposal = import_document(_short(example), submit=True)
    db.session.commit()
    result = runner.invoke(args=["proposals", "pdf", str(proposal.id), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    path = Path(result.stdout.strip())
    assert path.parent == tmp_path / "out" and path.name == "SCAI – AAP 2021 – LAMPRIER.pdf"
    assert path.read_bytes().startswith(b"%PDF")
