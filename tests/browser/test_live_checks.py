"""Issue 15, point 11: the form checks as the director types or leaves a field, beside the field and
in the words of the server's rule, in English and in French; the focus stays where it is."""

import re

from playwright.sync_api import Locator, Page, expect

from portal.auth.models import User
from portal.db import utcnow
from portal.extensions import db
from portal.timezones import utc_to_paris
from tests import factories
from tests.browser.steps import data, shown, sign_in

KEYWORDS = "Give between 1 and %(limit)d keywords."
HDR = "The thesis director must hold an HDR (habilitation à diriger des recherches)."
FUTURE = "The first enrolment cannot be in the future."
SAME = "The co-supervisor must be someone other than the thesis director."
CAP = "The total share is above the cap of the doctoral school."


def message(page: Page, field: Locator) -> Locator:
    """The live message of a field: the element its aria-describedby names for the check."""
    return page.locator(f"#{field.get_attribute('id')}-check")


def expect_said(page: Page, field: Locator, text: str) -> None:
    expect(message(page, field)).to_have_text(text)
    expect(field).to_have_attribute("aria-describedby", re.compile(rf"\b{field.get_attribute('id')}-check\b"))
    expect(field).to_have_attribute("aria-invalid", "true")


def test_each_rule_is_checked_while_the_form_is_filled_in_both_languages(open_page, live, shot):
    with data(live):
        school = factories.doctoral_school("ED130", acronym="EDITE", supervision_cap=300)
        owner = factories.user("director@example.org", first_name="Sylvain", last_name="Lamprier")
        target = factories.initiative()
        campaign = factories.campaign()
        campaign.initiatives.append(target)
        content = factories.complete_content(initiative=target, school=school, email=owner.email)
        number = factories.proposal(owner, campaign_row=campaign, content=content).id
        owner_id = owner.id
        next_year = f"{utc_to_paris(utcnow()).year + 1}-01"

    page = open_page()
    sign_in(page, live.app, "director@example.org", factories.PASSWORD)
    page.goto(f"/proposals/{number}/edit")
    en = {text: shown(live.app, text, "en") for text in (HDR, FUTURE, SAME, CAP)}

    # Typing: the message comes beside the field, the focus stays in it.
    keywords = page.get_by_label("Keywords", exact=True)
    keywords.fill("")
    keywords.press_sequentially("a; b; c; d; e; f; g; h; i")
    expect_said(page, keywords, shown(live.app, KEYWORDS, "en", limit=8))
    expect(keywords).to_be_focused()
    expect(message(page, keywords)).to_have_attribute("aria-live", "polite")

    hdr = page.get_by_label(re.compile("^I hold an HDR"))
    hdr.uncheck()
    expect_said(page, hdr, en[HDR])

    director = page.locator('[data-students="director"]')
    start = director.get_by_label("First enrolment 1", exact=True)
    start.fill(next_year)
    start.blur()  # leaving the field checks at once
    expect_said(page, start, en[FUTURE])

    # The total against the cap of the school (300 % for EDITE), the warning tied to each share.
    share = director.get_by_label("Share (%) 1", exact=True)
    share.fill("320 %")
    warning = director.locator("[data-cap-warning]")
    expect(warning).to_have_text(en[CAP])
    expect(director.locator("[data-share-total]")).to_have_text("320")
    expect(director).to_contain_text("(cap of the doctoral school: 300 %)")
    expect(share).to_have_attribute("aria-describedby", re.compile(r"\bstudents-director-cap\b"))

    # The co-supervisor typed with the director's names: said on the address, though not typed there.
    co = page.locator("#proposal-form").get_by_role("group", name=re.compile(r"^3 "))
    co.get_by_label("E-mail", exact=True).fill("s.lamprier@example.net")
    co.get_by_label("Last name", exact=True).fill("Lamprier")
    co.get_by_label("First name", exact=True).fill("Sylvain")
    co_email = co.get_by_label("E-mail", exact=True)
    expect_said(page, co_email, en[SAME])
    shot(page, "live checks beside their fields")

    # Each message leaves as its field is put right.
    keywords.fill("memorization; generalization")
    expect(message(page, keywords)).to_have_text("")
    expect(keywords).not_to_have_attribute("aria-invalid", "true")
    hdr.check()
    expect(message(page, hdr)).to_have_text("")
    start.fill("2022-09")
    expect(message(page, start)).to_have_text("")
    share.fill("50")
    expect(warning).to_have_text("")
    expect(share).not_to_have_attribute("aria-describedby", re.compile("students-director-cap"))
    co.get_by_label("First name", exact=True).fill("Marie")
    expect(message(page, co_email)).to_have_text("")

    # In French, the French words of the same rules.
    with data(live):
        db.session.get(User, owner_id).locale = "fr"
        db.session.commit()
    page.goto(f"/proposals/{number}/edit")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    mots = page.get_by_label(shown(live.app, "Keywords", "fr"), exact=True)
    mots.fill("a, b, c, d, e, f, g, h, i")
    expect_said(page, mots, shown(live.app, KEYWORDS, "fr", limit=8))
    debut = page.locator('[data-students="director"]').get_by_label(
        shown(live.app, "First enrolment", "fr") + " 1", exact=True
    )
    debut.fill(next_year)
    expect_said(page, debut, shown(live.app, FUTURE, "fr"))
    assert shown(live.app, FUTURE, "fr") != en[FUTURE]
    shot(page, "live checks in French")
