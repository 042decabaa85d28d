"""Issue 6: doctoral-school staff filter the proposals they follow, record the school's opinion, and
download the filtered selection as a ZIP of official PDFs (through the progress page) and as XLSX."""

import io
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Download, Page, expect

from portal.auth.models import Role
from tests import factories
from tests.browser import staff_world as world
from tests.browser.conftest import LiveServer
from tests.browser.steps import data, flash, proposals_table, sign_in, unlabelled_controls

STAFF = "nadia.benali@example.org"
COMMENT = "The unit already hosts four students on this topic; the second year is vague."
# The school's submitted SCAI proposals: the selection the filters must leave. Surname -> title.
SELECTED = {
    "Lefèvre": "Certified robustness of graph neural networks",
    "Rousseau": "Causal discovery in single-cell data",
}
# In ED130's scope but filtered out (another initiative; a draft), and out of its scope (ED386).
OTHER_INITIATIVE = "Sparse solvers for exascale machines"
DRAFT = "Unfinished draft on federated learning"
OTHER_SCHOOL = "Optimal transport for climate models"
# Up to this many missing PDFs are rendered within the request. The selection has two, which are
# rendered by the background job behind the progress page, as a whole call's would be.
SYNC_RENDER_LIMIT = 1
RENDERING_MS = 30_000


@pytest.fixture
def call(live: LiveServer) -> dict:
    with data(live):
        campaign = world.open_call("ISCD", "SCAI")
        edite, edmh = world.school("ED130", "EDITE"), world.school("ED386", "EDMH")
        ids = {}
        for n, (surname, title) in enumerate(SELECTED.items()):
            owner = world.director(f"director{n}@example.org", "Camille", surname, edite)
            ids[title] = world.submitted(campaign, "SCAI", owner, title).id
        owner = world.director("paul.martin@example.org", "Paul", "Martin", edite)
        world.submitted(campaign, "ISCD", owner, OTHER_INITIATIVE)
        owner = world.director("lea.durand@example.org", "Léa", "Durand", edite)
        world.draft(campaign, "SCAI", owner, DRAFT)
        owner = world.director("hugo.petit@example.org", "Hugo", "Petit", edmh)
        world.submitted(campaign, "SCAI", owner, OTHER_SCHOOL)
        staff = world.staff(STAFF, Role.school_staff, edite, "Nadia", "Benali")
        return {"ids": ids, "staff": staff}


def downloaded(download: Download) -> bytes:
    return Path(download.path()).read_bytes()


def test_school_staff_filter_give_an_opinion_and_export_the_selection(
    page: Page, live: LiveServer, call: dict, monkeypatch, review_shot
):
    monkeypatch.setitem(live.app.config, "EXPORT_SYNC_RENDER_LIMIT", SYNC_RENDER_LIMIT)
    sign_in(page, live.app, STAFF, factories.PASSWORD, totp_secret=call["staff"].secret)
    school_section = page.get_by_role("region", name="Doctoral school staff")
    school_section.get_by_role("link", name="Proposals followed").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Proposals followed")
    table = proposals_table(page)
    # Everything of the school, drafts included; nothing of ED386.
    expect(table.locator("caption")).to_have_text("4 proposals")
    expect(table).not_to_contain_text(OTHER_SCHOOL)

    filters = page.get_by_role("search")
    filters.get_by_label("Initiative or institute").select_option("SCAI")
    filters.get_by_label("State").select_option("submitted")
    filters.get_by_role("button", name="Apply the filters").click()
    expect(page).to_have_url(re.compile(r"initiative=SCAI"))
    expect(table.locator("caption")).to_have_text("2 proposals")
    for title in SELECTED.values():
        expect(table).to_contain_text(title)
    for title in (OTHER_INITIATIVE, DRAFT, OTHER_SCHOOL):
        expect(table).not_to_contain_text(title)
    review_shot(page, "school staff dashboard filtered")

    title = SELECTED["Lefèvre"]
    row = table.get_by_role("row").filter(has_text=title)
    # The form is folded in the row; its controls are named after the proposal for screen readers.
    row.get_by_text("Give the opinion").click()
    expect(row.get_by_role("group", name=f"Opinion of the doctoral school — {title}")).to_be_visible()
    row.get_by_label("Reserved").check()
    row.get_by_label(f"Comment — {title}").fill(COMMENT)
    row.get_by_role("button", name=f"Record the opinion — {title}").click()
    expect(flash(page)).to_contain_text(f"Opinion recorded on “{title}”.")
    # Back on the same filtered page, the opinion shown in the row and kept in the form.
    expect(filters.get_by_label("Initiative or institute")).to_have_value("SCAI")
    expect(filters.get_by_label("State")).to_have_value("submitted")
    expect(row.locator(".badge.opinion-reserved")).to_have_text("Reserved")
    expect(row.locator(".opinion-comment")).to_have_text(COMMENT)
    row.get_by_text("Change the opinion").click()
    expect(row.get_by_label("Reserved")).to_be_checked()
    other_row = table.get_by_role("row").filter(has_text=SELECTED["Rousseau"])
    expect(other_row.locator(".opinion-comment")).to_have_count(0)
    # Nothing of the committee's work is shown to the school, which gives its opinion beside it.
    expect(page.get_by_role("columnheader", name="Committee review")).to_have_count(0)
    assert unlabelled_controls(page) == []
    review_shot(page, "school staff dashboard with an opinion")

    # The exports page, from the dashboard: the same initiative, chosen already.
    page.get_by_role("link", name="Exports page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Exports")
    expect(page.get_by_label("Initiative or institute")).to_have_value("SCAI")
    expect(page.get_by_role("main")).to_contain_text("2 submitted proposals match.")
    menu = page.get_by_role("navigation", name="Main menu")
    expect(menu.get_by_role("link", name="Exports")).to_have_attribute("aria-current", "page")
    expect(menu.get_by_role("link", name="Proposals followed")).to_be_visible()

    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Table (Excel)").click()
    assert re.fullmatch(r"PRD SCAI \d{4}-\d\d-\d\d\.xlsx", xlsx_download.value.suggested_filename)
    sheet = load_workbook(io.BytesIO(downloaded(xlsx_download.value))).active
    header, *rows = sheet.iter_rows(values_only=True)
    assert header[:4] == ("Id", "Call", "Initiative", "Title"), header
    assert "Director – doctoral school" in header and "Submitted (Paris time)" in header
    # The committee's scores are for programme staff only.
    assert "Weighted total" not in header
    by_title = {row[header.index("Title")]: row for row in rows}
    assert set(by_title) == set(SELECTED.values()), list(by_title)
    for title, row in by_title.items():
        assert row[header.index("Id")] == call["ids"][title]
        assert row[header.index("Initiative")] == "SCAI"
        assert row[header.index("Director – doctoral school")] == "ED130"
    # The opinion recorded above travels with the table, for the programme to read.
    opinion = by_title[SELECTED["Lefèvre"]]
    assert opinion[header.index("School opinion")] == "Reserved"
    assert opinion[header.index("School opinion – comment")] == COMMENT
    assert opinion[header.index("School opinion – given by")] == "Nadia Benali"
    assert by_title[SELECTED["Rousseau"]][header.index("School opinion")] is None

    page.get_by_role("link", name="PDFs (ZIP)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Preparing the PDFs")
    expect(page.locator("progress")).to_have_attribute("max", "2")
    review_shot(page, "zip being prepared", phone=False)
    # The page reloads itself every 5 seconds until every PDF is stored.
    expect(page.get_by_role("status")).to_have_text("All 2 PDFs are ready.", timeout=RENDERING_MS)
    with page.expect_download() as zip_download:
        page.get_by_role("link", name="Download the ZIP file").click()
    assert re.fullmatch(r"PRD SCAI \d{4}-\d\d-\d\d\.zip", zip_download.value.suggested_filename)
    with zipfile.ZipFile(io.BytesIO(downloaded(zip_download.value))) as archive:
        assert sorted(archive.namelist()) == [
            "SCAI \u2013 AAP 2026 \u2013 LEFÈVRE.pdf",
            "SCAI \u2013 AAP 2026 \u2013 ROUSSEAU.pdf",
        ]
        for name in archive.namelist():
            assert archive.read(name).startswith(b"%PDF-"), name
