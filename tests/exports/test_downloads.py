"""The three files read back: CSV (BOM, no formula), XLSX (typed cells, frozen header), ZIP (named PDFs)."""

import contextvars
import csv
import io
import zipfile
from datetime import datetime

import pytest
from openpyxl import load_workbook

from portal.auth.models import Role
from portal.exports.bundle import _unique
from portal.exports.spreadsheets import neutralise
from portal.extensions import db
from portal.proposals.models import StoredPdf
from portal.proposals.printing import pdf_filename
from portal.reviews.models import SCALE_VALUES
from portal.reviews.services import committee_of
from tests import factories

HOSTILE = '=HYPERLINK("http://evil.test","x")'


@pytest.fixture
def hostile(app_context):
    call = _call(2033, "EXPH")
    proposal = factories.submitted_proposal(call, title=HOSTILE, keywords=["+cmd", "@SUM(A1)", "-2+3"])
    admin = factories.user("admin@example.org", Role.admin, two_factor=True)
    return proposal, admin


def _call(year: int, acronym: str):
    """A call with one initiative (made first: each factory commits)."""
    target = factories.initiative(acronym)
    call = factories.campaign(year)
    call.initiatives.append(target)
    db.session.commit()
    return call


def _rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).removeprefix("\ufeff"))))


def test_csv_has_a_bom_and_no_formula(hostile, client):
    proposal, admin = hostile
    client.sign_in_user(admin)
    response = client.get("/exports/proposals.csv", buffered=True)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"  # one charset, not two
    assert response.get_data().startswith(b"\xef\xbb\xbf")
    assert "attachment" in response.headers["Content-Disposition"]
    header, row = _rows(response)
    values = dict(zip(header, row, strict=True))
    assert values["Title"] == "'" + HOSTILE
    assert values["Keywords"] == "'+cmd; @SUM(A1); -2+3"
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)
    assert values["Director – number of PhD students"] == "1"
    assert values["Director – total supervision share (%)"] == "50"
    assert values["Director – PhD students"] == "Ada Martin (2022-09, contrat ANR, 50 %)"


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1"])
def test_neutralise(text):
    assert neutralise(text) == "'" + text
    assert neutralise("plain " + text) == "plain " + text


def test_xlsx_cells_are_typed_and_the_header_frozen(hostile, client):
    proposal, admin = hostile
    client.sign_in_user(admin)
    response = client.get("/exports/proposals.xlsx", buffered=True)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    assert sheet.freeze_panes == "A2"
    header = [cell.value for cell in sheet[1]]
    row = {title: cell for title, cell in zip(header, sheet[2], strict=True)}
    assert row["Id"].value == proposal.id and row["Call"].value == 2033
    assert row["Title"].value == HOSTILE and row["Title"].data_type == "s"  # text, not a formula
    assert row["Director – HDR"].value is True
    assert row["Director – number of PhD students"].value == 1
    assert isinstance(row["Submitted (Paris time)"].value, datetime)
    assert sheet.column_dimensions["D"].width > 20


def test_scores_of_the_committee(hostile, client):
    proposal, admin = hostile
    committee = committee_of(campaign=proposal.campaign, initiative=proposal.initiative)
    db.session.commit()
    best = {
        position: max(SCALE_VALUES[criterion.scale], key=lambda pair: pair[1])[0]
        for position, criterion in enumerate(committee.criteria)
    }
    factories.submitted_review(committee, proposal, factories.reviewer(), best)
    client.sign_in_user(admin)
    header, row = _rows(client.get("/exports/proposals.csv", buffered=True))
    values = dict(zip(header, row, strict=True))
    assert values["Weighted total"] == "1.0"
    assert values["Reviews"] == "1" and values["Rank"] == "1"


def _read_streamed(client, path: str):
    """GET and read the body in one context, as a server does, keeping the streamed response."""

    def run():
        response = client.client.get(path)
        return response, response.is_streamed, b"".join(response.iter_encoded())

    return contextvars.Context().run(run)


def test_zip_is_streamed_with_official_names(app_context, client, task_worker):
    call = _call(2034, "EXPZ")
    first = factories.submitted_proposal(call)
    owner = factories.user("curie@example.org")
    director = factories.complete_content(
        initiative=call.initiatives[0], school=factories.doctoral_school(), email=owner.email
    )["director"]
    second = factories.submitted_proposal(call, owner=owner, director={**director, "last_name": "Curie"})
    staff = factories.user(
        "prog@example.org", Role.programme_staff, scope=call.initiatives[0], two_factor=True
    )
    names = sorted(pdf_filename(p, p.submitted_revision.content) for p in (first, second))
    client.sign_in_user(staff)
    # The PDFs are not stored yet: the workers render them while the progress page waits.
    response, _streamed, _body = _read_streamed(client, "/exports/proposals.zip?campaign=2034")
    assert response.status_code == 303 and "/exports/prepare?campaign=2034" in response.location
    task_worker.wait_idle()
    response, streamed, body = _read_streamed(client, "/exports/proposals.zip?campaign=2034")
    assert response.status_code == 200 and streamed
    assert response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(body))
    assert sorted(archive.namelist()) == names
    assert all(archive.read(name).startswith(b"%PDF") for name in names)
    assert archive.testzip() is None
    # Both PDFs were rendered by the worker and stored; the ZIPs read them.
    assert db.session.query(StoredPdf).count() == 2
    _, _, again = _read_streamed(client, "/exports/proposals.zip?campaign=2034")
    assert sorted(zipfile.ZipFile(io.BytesIO(again)).namelist()) == names


def test_missing_pdfs_are_prepared_by_the_workers(app_context, client, task_worker):
    call = _call(2035, "EXPG")
    factories.submitted_proposal(call)
    admin = factories.user("admin@example.org", Role.admin, two_factor=True)
    client.sign_in_user(admin)
    response = client.get("/exports/proposals.zip?campaign=2035")
    assert response.status_code == 303 and "/exports/prepare?campaign=2035" in response.location
    task_worker.wait_idle()
    answer = client.get("/exports/prepare?campaign=2035")
    assert "All 1 PDFs are ready." in answer.get_data(as_text=True) and "Refresh" not in answer.headers
    response = client.get("/exports/proposals.zip?campaign=2035", buffered=True)
    assert response.status_code == 200
    assert len(zipfile.ZipFile(io.BytesIO(response.get_data())).namelist()) == 1


def test_prepare_page_refreshes_while_pdfs_are_missing_and_queues_each_once(app_context, client, monkeypatch):
    from portal.exports import routes

    call = _call(2036, "EXPR")
    factories.submitted_proposal(call)
    admin = factories.user("admin@example.org", Role.admin, two_factor=True)
    published = []
    # A broker that takes the task and never runs it: the page keeps waiting.
    monkeypatch.setattr(routes, "publish", lambda name, *args: published.append((name, args)))
    client.sign_in_user(admin)
    for _ in range(3):
        answer = client.get("/exports/prepare?campaign=2036")
        assert answer.headers["Refresh"] == "5"
        assert "0 of 1 ready" in answer.get_data(as_text=True)
    # Every visit reloads the page, but the render is queued once, not once per visit.
    assert len(published) == 1
    # The reader may stop the reloading (WCAG 2.2.1), then look again by hand.
    stopped = client.get("/exports/prepare?campaign=2036&refresh=off")
    assert "Refresh" not in stopped.headers and "0 of 1 ready" in stopped.get_data(as_text=True)
    assert 'href="/exports/prepare?campaign=2036"' in stopped.get_data(as_text=True)


def test_a_pdf_that_cannot_be_made_is_reported_and_not_tried_again(app_context, client, task_worker):
    from portal.proposals.models import ProposalRevision

    call = _call(2038, "EXPF")
    proposal = factories.submitted_proposal(call)
    # A text beyond the limits, written straight into the database: the renderer refuses it.
    revision = db.session.scalars(
        db.select(ProposalRevision)
        .where(ProposalRevision.proposal_id == proposal.id)
        .order_by(ProposalRevision.number)
    ).all()[-1]
    revision.content = {**revision.content, "description": "x" * 200_001}
    db.session.commit()
    admin = factories.user("admin@example.org", Role.admin, two_factor=True)
    client.sign_in_user(admin)
    assert client.get("/exports/proposals.zip?campaign=2038").status_code == 303
    task_worker.wait_idle()
    answer = client.get("/exports/prepare?campaign=2038")
    assert "1 PDF could not be rendered" in answer.get_data(as_text=True) and "Refresh" not in answer.headers
    task_worker.wait_idle()
    assert db.session.query(StoredPdf).count() == 0


def test_same_names_are_told_apart():
    used: set[str] = set()
    assert _unique("SCAI – AAP 2021 – MARTIN.pdf", used) == "SCAI – AAP 2021 – MARTIN.pdf"
    assert _unique("SCAI – AAP 2021 – MARTIN.pdf", used) == "SCAI – AAP 2021 – MARTIN (2).pdf"
    assert _unique("SCAI – AAP 2021 – MARTIN.pdf", used) == "SCAI – AAP 2021 – MARTIN (3).pdf"


def test_cli_writes_the_zip(app_context, runner, tmp_path):
    call = _call(2037, "EXPC")
    proposal = factories.submitted_proposal(call)
    out = tmp_path / "out" / "call.zip"
    result = runner.invoke(args=["exports", "zip", "--campaign", "2037", "--out", str(out)])
    assert result.exit_code == 0, result.output
    archive = zipfile.ZipFile(out)
    assert archive.namelist() == [pdf_filename(proposal, proposal.submitted_revision.content)]
    assert archive.read(archive.namelist()[0]).startswith(b"%PDF")
    empty = tmp_path / "empty.zip"
    result = runner.invoke(
        args=["exports", "zip", "--campaign", "2037", "--initiative", "NONE", "--out", str(empty)]
    )
    assert result.exit_code == 0 and zipfile.ZipFile(empty).namelist() == []
