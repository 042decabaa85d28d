"""A proposal from start to resubmission in Chromium (issue 3): every section filled with and without
JavaScript, the co-supervisor invited and co-editing, a stale save merged, submission, reopening,
resubmission and the history of the two submitted versions."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from sqlalchemy import select

from portal.auth.models import User
from portal.extensions import db
from portal.proposals.models import Proposal
from portal.reference.models import Campaign
from tests import factories
from tests.browser.accessibility import without_scripts
from tests.browser.conftest import DESKTOP, TIMEOUT_MS, LiveServer, PageProblems
from tests.browser.steps import data, sign_in
from tests.mailsink import MailSink

DIRECTOR = "sylvain.lamprier@example.org"
CO_SUPERVISOR = "marie.dubois@example.org"
# Autosave waits 2.5 s after the last keystroke, then posts: give it that on top of the usual wait.
AUTOSAVE_MS = 2_500 + TIMEOUT_MS
PAGE_COUNT = re.compile(r"^\s*\d+(\.\d)? of 3 pages\s*$")

DESCRIPTION = """## Context

Deep networks memorise their training data, yet they generalise.[^survey]

- first, measure memorisation;
- then, relate it to generalisation.

| Model | Parameters |
|-------|-----------:|
| ResNet-18 | 11 M |
| ViT-B | 86 M |

The loss is $L(\\theta) = \\frac{1}{n} \\sum_i \\ell(f_\\theta(x_i), y_i)$ and we bound it:

$$\\mathbb{E}[L] \\le \\hat{L} + \\sqrt{\\frac{C}{n}}$$

[^survey]: Zhang et al., *Understanding deep learning requires rethinking generalization*, 2017.
"""
# Far more than the call's 3 pages.
TOO_LONG = "## Context\n\n" + "\n\n".join(
    ["A long paragraph about memorisation and generalisation. " * 12] * 40
)


@pytest.fixture
def call(live: LiveServer) -> dict:
    """An open call with one initiative, a doctoral school capped at 100 %, and a director with an HDR."""
    with data(live):
        school = factories.doctoral_school("ED130", acronym="EDITE", supervision_cap=100)
        factories.doctoral_school("ED386", acronym="EDMH")
        initiative = factories.initiative("SCAI", name="Sorbonne Center for Artificial Intelligence")
        campaign = factories.campaign(2026, name="AAP 2026")
        campaign.initiatives.append(initiative)
        db.session.commit()
        factories.user(
            DIRECTOR,
            first_name="Sylvain",
            last_name="Lamprier",
            hdr=True,
            doctoral_school=school,
        )
        return {"school": school.number, "initiative": initiative.acronym, "campaign": campaign.id}


def proposal_id(page: Page) -> int:
    match = re.search(r"/proposals/(\d+)/edit", page.url)
    assert match, page.url
    return int(match.group(1))


def saved(live: LiveServer, number: int) -> Proposal:
    with data(live):
        proposal = db.session.get(Proposal, number)
        db.session.expunge(proposal)
        return proposal


def start_proposal(page: Page) -> int:
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="My proposals").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My proposals")
    expect(page.get_by_role("main")).to_contain_text("AAP 2026")
    page.get_by_role("button", name="Start a proposal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New proposal")
    return proposal_id(page)


def section(page: Page, name: str) -> Locator:
    """A numbered fieldset of the form, by its legend."""
    return page.locator("#proposal-form").get_by_role("group", name=re.compile(rf"^\d {re.escape(name)}"))


def students(page: Page, who: str) -> Locator:
    return page.locator(f'[data-students="{who}"]')


def fill_student(block: Locator, number: int, name: str, start: str, funding: str, share: str) -> None:
    """Row `number` (from 1) of a students table, found by the labels a screen reader reads."""
    block.get_by_label(f"Name {number}", exact=True).fill(name)
    block.get_by_label(f"First enrolment {number}", exact=True).fill(start)
    block.get_by_label(f"Funding {number}", exact=True).fill(funding)
    block.get_by_label(f"Share (%) {number}", exact=True).fill(share)


def remove_student(block: Locator, number: int) -> None:
    row = block.get_by_role("row").filter(has=block.page.get_by_label(f"Name {number}", exact=True))
    row.get_by_role("button", name="Remove").click()


def flash(page: Page) -> Locator:
    """The messages at the top of the page (the form's save status is another live region)."""
    return page.locator(".flashes[role=status]")


def test_director_fills_every_section_with_javascript_then_submits_twice(
    page: Page, live: LiveServer, call: dict, mail_server: MailSink, shot
):
    sign_in(page, live.app, DIRECTOR, factories.PASSWORD)
    number = start_proposal(page)
    status = page.locator("#save-status")

    project = section(page, "The project")
    project.get_by_label("Initiative or institute").select_option("SCAI")
    project.get_by_label("Title of the doctoral research project").fill("Memorization in deep networks")
    project.get_by_label("Keywords").fill("deep learning, generalization, memorization")
    project.get_by_label("English", exact=True).check()

    director = section(page, "Thesis director (holding an HDR)")
    # Pre-filled from the profile.
    expect(director.get_by_label("Last name", exact=True)).to_have_value("Lamprier")
    expect(director.get_by_label("E-mail", exact=True)).to_have_value(DIRECTOR)
    expect(director.get_by_label(re.compile("^I hold an HDR"))).to_be_checked()
    director.get_by_label("Title or position").fill("Professeur des universités")
    director.get_by_label("Professional address").fill("4 place Jussieu\n75005 Paris")
    director.get_by_label("Acronym of the unit").fill("LIP6")
    director.get_by_label("Unit name").fill("Laboratoire d'informatique de Paris 6")
    director.get_by_label("Unit code").fill("UMR7606")
    director.get_by_label("Doctoral school").select_option(call["school"])

    mine = students(page, "director")
    expect(mine.locator("[data-student-count]")).to_have_text("0 students")
    expect(mine.get_by_text("None (Néant).")).to_be_visible()
    cap_warning = mine.get_by_text("The total share is above the cap of the doctoral school.")
    expect(cap_warning).to_be_hidden()
    mine.get_by_role("button", name="Add a student").click()
    # The new row takes the focus, so the director types straight on.
    expect(mine.get_by_label("Name 1", exact=True)).to_be_focused()
    # The row the script adds is the server's: the same names and placeholders.
    expect(mine.get_by_label("First enrolment 1", exact=True)).to_have_attribute("placeholder", "2024-09")
    expect(mine.get_by_label("Funding 1", exact=True)).to_have_attribute(
        "placeholder", "e.g. contrat doctoral, CIFRE"
    )
    # A share typed with its sign counts in the live total as the server reads it.
    fill_student(mine, 1, "Ada Martin", "2022-09", "Contrat doctoral", "60 %")
    expect(mine.locator("[data-student-count]")).to_have_text("1 student")
    expect(mine.locator("[data-share-total]")).to_have_text("60")
    expect(mine.get_by_text("None (Néant).")).to_be_hidden()
    mine.get_by_role("button", name="Add a student").click()
    fill_student(mine, 2, "Bruno Leroy", "2023-10", "CIFRE", "50")
    expect(mine.locator("[data-student-count]")).to_have_text("2 students")
    expect(mine.locator("[data-share-total]")).to_have_text("110")
    expect(mine).to_contain_text("cap of the doctoral school: 100 %")
    expect(cap_warning).to_be_visible()
    shot(page, "two students over the cap", phone=False)

    co = section(page, "Co-supervisor (optional)")
    co.get_by_label("E-mail", exact=True).fill(CO_SUPERVISOR)
    co.get_by_label("Last name", exact=True).fill("Dubois")
    co.get_by_label("First name", exact=True).fill("Marie")
    co.get_by_label("Title or position").fill("Maîtresse de conférences")
    co.get_by_label("Acronym of the unit").fill("LPTMS")
    co.get_by_label("Unit name").fill("Laboratoire de physique théorique et modèles statistiques")
    co.get_by_label("Unit code").fill("UMR8626")
    co.get_by_label("Or, if outside the alliance, its doctoral school").fill(
        "ED 564 Physique en Île-de-France"
    )

    questions = section(page, "Questions")
    # The radio buttons carry only "Yes"/"No" as names: the question is not tied to them.
    questions.locator('input[name="interest"][value="yes"]').check()
    questions.get_by_label("If so, which one(s), and why?").fill("PEPR IA: learning theory.")
    questions.locator('input[name="cotutelle"][value="yes"]').check()
    questions.get_by_label("Partner university").fill("Université de Genève")
    questions.get_by_label("Country").fill("Switzerland")

    description = section(page, "Description of the doctoral research project")
    count = description.locator("#page-count")
    preview = description.locator("#description-preview")
    # JavaScript hides the Preview button: the preview is live.
    expect(description.get_by_role("button", name="Preview and count pages")).to_be_hidden()
    expect(count).to_have_text(PAGE_COUNT)
    editor = description.get_by_label("Description of the doctoral research project", exact=True)
    editor.fill(TOO_LONG)
    expect(count).to_have_class(re.compile(r"\bover\b"))
    over = count.inner_text()
    assert float(over.split()[0]) > 3, over
    editor.fill(DESCRIPTION)
    expect(count).not_to_have_class(re.compile(r"\bover\b"))
    expect(count).to_have_text(PAGE_COUNT)
    assert float(count.inner_text().split()[0]) < 1
    expect(preview.get_by_role("heading", name="Context")).to_be_visible()
    expect(preview.get_by_role("listitem")).to_have_count(3)  # the two items and the footnote
    expect(preview.get_by_role("table")).to_contain_text("ResNet-18")
    expect(preview.locator(".footnote-ref")).to_have_count(1)
    expect(preview).to_contain_text("Understanding deep learning requires rethinking generalization")
    expect(preview.locator("svg.math-inline")).to_have_count(1)
    expect(preview.locator(".math-display svg")).to_have_count(1)
    expect(preview.locator("svg.math-inline")).to_have_attribute(
        "aria-label", re.compile(r"\\frac\{1\}\{n\}")
    )

    expect(status).to_have_text("All changes saved.", timeout=AUTOSAVE_MS)
    shot(page, "every section filled and autosaved")

    content = saved(live, number).content
    assert content["initiative"] == "SCAI"
    assert content["title"] == "Memorization in deep networks"
    assert content["keywords"] == ["deep learning", "generalization", "memorization"]
    assert content["language"] == "en"
    # Browsers send a textarea's line breaks as CRLF.
    assert content["director"]["address"].replace("\r\n", "\n") == "4 place Jussieu\n75005 Paris"
    assert content["director"]["unit"] == {
        "acronym": "LIP6",
        "name": "Laboratoire d'informatique de Paris 6",
        "code": "UMR7606",
    }
    assert content["director"]["doctoral_school"] == call["school"]
    assert content["director"]["students"] == [
        {"name": "Ada Martin", "start": "2022-09", "funding": "Contrat doctoral", "share": 60},
        {"name": "Bruno Leroy", "start": "2023-10", "funding": "CIFRE", "share": 50},
    ]
    assert content["co_supervisor"]["last_name"] == "Dubois"
    assert content["co_supervisor"]["doctoral_school"] is None
    assert content["co_supervisor"]["doctoral_school_other"] == "ED 564 Physique en Île-de-France"
    assert content["other_initiative_interest"] == {"answer": True, "details": "PEPR IA: learning theory."}
    assert content["cotutelle"] == {
        "answer": True,
        "partner": "Université de Genève",
        "country": "Switzerland",
    }
    assert content["description"] == DESCRIPTION

    # Removing a row inline brings the total back under the cap.
    remove_student(mine, 2)
    expect(mine.locator("[data-student-count]")).to_have_text("1 student")
    expect(mine.locator("[data-share-total]")).to_have_text("60")
    expect(cap_warning).to_be_hidden()
    expect(mine.get_by_role("button", name="Add a student")).to_be_focused()
    expect(status).to_have_text("Unsaved changes.")
    expect(status).to_have_text("All changes saved.", timeout=AUTOSAVE_MS)
    assert [row["name"] for row in saved(live, number).content["director"]["students"]] == ["Ada Martin"]

    # Submission.
    page.get_by_role("button", name="Submit the proposal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Submission receipt")
    receipt = page.locator(".receipt")
    expect(receipt).to_contain_text("Your proposal is submitted.")
    expect(receipt).to_contain_text("Memorization in deep networks")
    expect(receipt).to_contain_text(f"PRD-2026-{number:04d}")
    expect(receipt).to_contain_text("AAP 2026 · SCAI")
    first_version = receipt.locator("dt:text-is('Submitted version') + dd").inner_text()
    assert f"PRD-2026-{number:04d}" in MailSink.text(mail_server.last_to(DIRECTOR))
    shot(page, "receipt")

    page.get_by_role("link", name="Proposal page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Memorization in deep networks")
    expect(page.get_by_role("main")).to_contain_text("Submitted on")
    expect(page.get_by_role("link", name="Edit", exact=True)).to_have_count(0)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Reopen to change it").click()
    expect(flash(page)).to_contain_text("The proposal is a draft again.")
    # Reopened to change it: the form opens at once.
    expect(page).to_have_url(re.compile(r"/proposals/\d+/edit$"))
    title = section(page, "The project").get_by_label("Title of the doctoral research project")
    expect(title).to_have_value("Memorization in deep networks")
    title.fill("Memorization and generalization in deep networks")
    page.get_by_role("button", name="Submit the proposal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Submission receipt")
    expect(receipt).to_contain_text("Memorization and generalization in deep networks")
    second_version = receipt.locator("dt:text-is('Submitted version') + dd").inner_text()
    assert int(second_version) > int(first_version)
    # The first receipt, the notice that it was reopened, the second receipt.
    subjects = [message["Subject"] for message in mail_server.to(DIRECTOR)]
    assert len(subjects) == 3 and subjects[1].startswith("Proposal reopened")

    page.get_by_role("link", name="Proposal page").click()
    page.get_by_role("link", name="History").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "History of “Memorization and generalization in deep networks”"
    )
    history = page.get_by_role("table")
    submitted_rows = history.get_by_role("row").filter(has=page.locator(".badge", has_text="submitted"))
    expect(submitted_rows).to_have_count(2)
    expect(submitted_rows.first.get_by_role("cell").first).to_have_text(second_version)
    expect(submitted_rows.last.get_by_role("cell").first).to_have_text(first_version)
    expect(history).to_contain_text("Sylvain Lamprier")
    shot(page, "history")

    # The draft version saved between the two submissions holds the change of title.
    edited = history.get_by_role("row").filter(
        has=page.get_by_role("cell", name=str(int(second_version) - 1), exact=True)
    )
    edited.get_by_role("link", name="Changes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare versions")
    changes = page.locator("dl.changes")
    expect(changes.locator("dt")).to_have_text(["Title of the doctoral research project"])
    expect(changes.locator("del")).to_have_text("Memorization in deep networks")
    expect(changes.locator("ins")).to_have_text("Memorization and generalization in deep networks")

    # The two submitted versions side by side.
    page.get_by_label("From version").select_option(first_version)
    page.get_by_label("to version").select_option(second_version)
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("main")).to_contain_text(f"Version {first_version} (")
    expect(changes.locator("dt")).to_have_text(["Title of the doctoral research project"])
    expect(changes.locator("ins")).to_have_text("Memorization and generalization in deep networks")
    shot(page, "changes between the two submitted versions")
    assert saved(live, number).state.value == "submitted"


@pytest.fixture
def page_without_javascript(
    live: LiveServer, chromium: Browser, page_problems: PageProblems
) -> Iterator[Page]:
    context = chromium.new_context(
        base_url=live.url, viewport=DESKTOP, locale="en-GB", java_script_enabled=False
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = without_scripts(context.new_page())
    page_problems.watch(page)
    yield page
    context.close()
    unexpected = page_problems.unexpected()
    assert not unexpected, "the browser reported problems:\n" + "\n".join(unexpected)


def test_a_refused_submission_lists_its_problems_and_each_link_takes_the_keyboard_to_its_field(
    page: Page, live: LiveServer, call: dict, page_problems: PageProblems, shot
):
    page_problems.allow(r"status of 422")
    sign_in(page, live.app, DIRECTOR, factories.PASSWORD)
    start_proposal(page)
    page.get_by_role("button", name="Submit the proposal").click()
    summary = page.locator("#problems")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("The proposal cannot be submitted yet")
    shot(page, "problems listed")
    link = summary.get_by_role("link", name=re.compile("^Keywords:"))
    link.focus()
    page.keyboard.press("Enter")
    expect(section(page, "The project").get_by_label("Keywords")).to_be_focused()


def test_the_form_works_without_javascript(page_without_javascript: Page, live: LiveServer, call: dict, shot):
    page = page_without_javascript
    sign_in(page, live.app, DIRECTOR, factories.PASSWORD)
    number = start_proposal(page)
    project = section(page, "The project")
    project.get_by_label("Initiative or institute").select_option("SCAI")
    project.get_by_label("Title of the doctoral research project").fill("Typed before the round-trip")
    project.get_by_label("Keywords").fill("robustness")
    mine = students(page, "director")
    expect(mine.get_by_text("None (Néant).")).to_be_visible()

    mine.get_by_role("button", name="Add a student").click()
    expect(project.get_by_label("Title of the doctoral research project")).to_have_value(
        "Typed before the round-trip"
    )
    expect(project.get_by_label("Keywords")).to_have_value("robustness")
    expect(mine.get_by_role("row")).to_have_count(2)  # the header and the new row
    fill_student(mine, 1, "Ada Martin", "2022-09", "Contrat doctoral", "60")
    mine.get_by_role("button", name="Add a student").click()
    expect(mine.get_by_label("Name 1", exact=True)).to_have_value("Ada Martin")
    fill_student(mine, 2, "Bruno Leroy", "2023-10", "CIFRE", "50")
    # The server counts on every round-trip.
    mine.get_by_role("button", name="Add a student").click()
    expect(mine.locator("[data-student-count]")).to_have_text("2 students")
    expect(mine.locator("[data-share-total]")).to_have_text("110")
    expect(mine.get_by_text("The total share is above the cap of the doctoral school.")).to_be_visible()
    expect(mine.get_by_role("row")).to_have_count(4)
    shot(page, "three rows without javascript", phone=False)

    remove_student(mine, 1)
    expect(mine.get_by_role("row")).to_have_count(3)
    expect(mine.get_by_label("Name 1", exact=True)).to_have_value("Bruno Leroy")
    expect(mine.get_by_label("Share (%) 1", exact=True)).to_have_value("50")
    expect(mine.get_by_label("Name 2", exact=True)).to_have_value("")
    # A field without an error must not say aria-invalid="None", which screen readers read as invalid.
    assert mine.get_by_label("Name 1", exact=True).get_attribute("aria-invalid") is None
    expect(mine.locator("[data-share-total]")).to_have_text("50")
    expect(mine.get_by_text("The total share is above the cap of the doctoral school.")).to_be_hidden()

    description = section(page, "Description of the doctoral research project")
    count = description.locator("#page-count")
    expect(count).to_have_text("Press “Preview” to count the pages.")
    description.get_by_label("Description of the doctoral research project", exact=True).fill(DESCRIPTION)
    # The draft is saved, then a page shows the count (it refreshes itself until a worker made it).
    description.get_by_role("button", name="Preview and count pages").click()
    expect(page.locator("#page-count")).to_have_text(PAGE_COUNT)
    preview = page.locator("#description-preview")
    expect(preview.get_by_role("heading", name="Context")).to_be_visible()
    expect(preview.locator("svg.math-inline")).to_have_count(1)
    expect(preview.locator(".math-display svg")).to_have_count(1)
    shot(page, "preview without javascript")
    page.get_by_role("link", name="Back to the form").click()
    expect(project.get_by_label("Title of the doctoral research project")).to_have_value(
        "Typed before the round-trip"
    )

    page.get_by_role("button", name="Save draft").first.click()
    expect(flash(page)).to_contain_text("No changes to save.")
    content = saved(live, number).content
    assert content["title"] == "Typed before the round-trip"
    assert content["keywords"] == ["robustness"]
    # The empty row is dropped; the removed one stays removed.
    assert content["director"]["students"] == [
        {"name": "Bruno Leroy", "start": "2023-10", "funding": "CIFRE", "share": 50}
    ]
    assert content["description"] == DESCRIPTION


def test_co_supervisor_co_edits_and_stale_saves_are_merged(
    page: Page,
    open_page,
    live: LiveServer,
    call: dict,
    mail_server: MailSink,
    page_problems: PageProblems,
    shot,
):
    # Chromium logs each refused save (409) as a console error; those are the point of this test.
    page_problems.allow(r"status of 409")
    with data(live):
        campaign = db.session.get(Campaign, call["campaign"])
        owner = db.session.scalar(select(User).where(User.email == DIRECTOR))
        content = factories.complete_content(
            initiative=campaign.initiatives[0], school=owner.doctoral_school, email=DIRECTOR
        )
        number = factories.proposal(owner, campaign_row=campaign, content=content).id

    sign_in(page, live.app, DIRECTOR, factories.PASSWORD)
    page.goto(f"/proposals/{number}/edit")
    co_editors = page.get_by_role("region", name="Co-editors")
    co_editors.get_by_label("E-mail of the person to invite").fill(CO_SUPERVISOR)
    co_editors.get_by_role("button", name="Send the invitation").click()
    expect(flash(page)).to_contain_text(f"Invitation sent to {CO_SUPERVISOR}.")
    expect(co_editors).to_contain_text(f"{CO_SUPERVISOR} — invited")
    expect(co_editors).to_contain_text("not accepted yet")

    message = mail_server.last_to(CO_SUPERVISOR)
    assert "Sylvain Lamprier" in MailSink.text(message)
    link = mail_server.link_in(message)
    assert f"{live.url}{link}" in MailSink.text(message)

    # The co-supervisor, in a browser of her own, has no account yet.
    other = open_page()
    other.goto(link)
    expect(other.get_by_role("heading", level=1)).to_have_text("Invitation to co-edit")
    expect(other.get_by_role("main")).to_contain_text(
        "Sylvain Lamprier invites you to edit the proposal “Memorization in deep networks” with them."
    )
    # Her name, for the history and "last saved by" (pre-filled when the director typed it).
    other.get_by_label("First name").fill("Marie")
    other.get_by_label("Last name").fill("Dubois")
    other.get_by_label("Title or position").fill("Chargée de recherche CNRS")
    other.get_by_label("New password").fill("a long enough secret")
    other.get_by_label("Repeat the password").fill("a long enough secret")
    shot(other, "invitation")
    other.get_by_role("button", name="Create my account and accept").click()
    expect(flash(other)).to_contain_text("You can now edit “Memorization in deep networks”.")
    other_title = section(other, "The project").get_by_label("Title of the doctoral research project")
    other_title.fill("Memorization and generalization in deep networks")
    other.get_by_role("button", name="Save draft").first.click()
    expect(flash(other)).to_contain_text("Draft saved.")
    assert saved(live, number).title == "Memorization and generalization in deep networks"

    # The director's page still holds the version she opened: her save is refused, nothing is lost.
    title = section(page, "The project").get_by_label("Title of the doctoral research project")
    expect(title).to_have_value("Memorization in deep networks")
    title.fill("Memorization in deep neural networks")
    page.get_by_role("button", name="Save draft").first.click()
    conflict = page.get_by_role("alert").filter(has_text="Someone saved a newer version")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("Marie Dubois saved this proposal on")
    title_change = conflict.locator("dt:text-is('Title of the doctoral research project') + dd")
    expect(title_change.locator("del")).to_have_text("Memorization and generalization in deep networks")
    expect(title_change.locator("ins")).to_have_text("Memorization in deep neural networks")
    expect(title).to_have_value("Memorization in deep neural networks")
    shot(page, "save conflict")
    assert saved(live, number).title == "Memorization and generalization in deep networks"

    title.fill("Memorization and generalization in deep neural networks")
    # She adds a student too, saved with her title.
    director_students = students(page, "director")
    director_students.get_by_role("button", name="Add a student").click()
    fill_student(director_students, 2, "Léa Moreau", "2024-09", "contrat doctoral", "30")
    page.get_by_role("button", name="Save draft").first.click()
    expect(flash(page)).to_contain_text("Draft saved.")
    expect(page.get_by_role("alert")).to_have_count(0)
    assert saved(live, number).title == "Memorization and generalization in deep neural networks"

    # Now the co-supervisor's page is the stale one. She changes another field, the description:
    # her autosave merges it with the director's title and student, without asking.
    other_description = section(other, "Description of the doctoral research project").get_by_label(
        "Description of the doctoral research project", exact=True
    )
    hers = "## Context\n\nA longer description of the project, by the co-supervisor."
    other_description.fill(hers)
    other_status = other.locator("#save-status")
    expect(other_status).to_have_text(
        "Merged with Sylvain Lamprier's changes to Title of the doctoral research project, "
        "Thesis director › PhD students currently supervised.",
        timeout=AUTOSAVE_MS,
    )
    # The director's changes are on her screen, so that her next save keeps them.
    expect(other_title).to_have_value("Memorization and generalization in deep neural networks")
    expect(students(other, "director").get_by_label("Name 2", exact=True)).to_have_value("Léa Moreau")
    expect(students(other, "director").locator("[data-share-total]")).to_have_text("80")
    shot(other, "autosave merged", phone=False)
    merged = saved(live, number).content
    assert merged["title"] == "Memorization and generalization in deep neural networks"
    assert merged["description"] == hers
    assert [row["name"] for row in merged["director"]["students"]] == ["Ada Martin", "Léa Moreau"]
    # Each sees the other's change after a reload.
    other.reload()
    expect(other_title).to_have_value("Memorization and generalization in deep neural networks")
    expect(other_description).to_have_value(hers)
    page.reload()
    description = section(page, "Description of the doctoral research project").get_by_label(
        "Description of the doctoral research project", exact=True
    )
    expect(description).to_have_value(hers)
    expect(title).to_have_value("Memorization and generalization in deep neural networks")

    # Then both rewrite the same paragraph. The director's autosave goes first, with new keywords.
    section(page, "The project").get_by_label("Keywords").fill("deep learning, memorization")
    description.fill(hers.replace("A longer", "A much longer"))
    expect(page.locator("#save-status")).to_have_text("All changes saved.", timeout=AUTOSAVE_MS)
    other_description.fill(hers.replace("the project", "the doctoral project"))
    expect(other_status).to_have_text(
        "Sylvain Lamprier changed the same fields. Your changes are not saved yet: "
        "press “Save draft” to compare the two and merge.",
        timeout=AUTOSAVE_MS,
    )
    assert saved(live, number).content["description"] == hers.replace("A longer", "A much longer")
    # Pressing "Save draft", as the message says, must not ask "Leave site?" first. The page shows
    # the description side by side, and nothing else: the keywords are merged in the form already.
    dialogs: list[str] = []
    other.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    other.get_by_role("button", name="Save draft").first.click()
    other_conflict = other.get_by_role("alert").filter(has_text="Someone saved a newer version")
    expect(other_conflict).to_contain_text("Sylvain Lamprier saved this proposal on")
    expect(other_conflict).to_contain_text("you both changed the fields below")
    expect(other_conflict.locator("dt")).to_have_text(["Description of the doctoral research project"])
    expect(other_conflict).to_contain_text("Already in the form, not saved yet: their changes to Keywords.")
    expect(other_conflict.locator("pre.diff")).to_contain_text("A much longer description")
    expect(other_description).to_have_value(hers.replace("the project", "the doctoral project"))
    other_keywords = section(other, "The project").get_by_label("Keywords")
    expect(other_keywords).to_have_value("deep learning, memorization")
    shot(other, "overlapping edits side by side")
    other_description.fill(
        hers.replace("A longer", "A much longer").replace("the project", "the doctoral project")
    )
    other.get_by_role("button", name="Save draft").first.click()
    expect(flash(other)).to_contain_text("Draft saved.")
    assert dialogs == []
    final = saved(live, number).content
    assert final["title"] == "Memorization and generalization in deep neural networks"
    assert final["keywords"] == ["deep learning", "memorization"]
    assert final["description"] == (
        "## Context\n\nA much longer description of the doctoral project, by the co-supervisor."
    )
