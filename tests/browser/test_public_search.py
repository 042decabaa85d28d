"""A visitor who is not signed in searches the demo's subjects, in French and in English, with and
without accents, and follows the feed of the subject found."""

import feedparser
from playwright.sync_api import Page, expect

from portal.demo.seed import seed_demo
from portal.extensions import db
from tests.browser.steps import data
from tests.browser.test_public_catalogue import FUNDED_EN, FUNDED_FR


def _search(page: Page, box: str, words: str) -> None:
    page.get_by_role("searchbox", name=box).fill(words)
    page.get_by_role("searchbox", name=box).press("Enter")


def test_a_visitor_finds_a_funded_subject_by_a_word_of_its_description(open_page, live, shot):
    with data(live):
        seed_demo()
        db.session.commit()
    page = open_page(locale="fr-FR")
    page.goto("/subjects/")
    # "généralisent" is in the description of the French subject only, not in its title or keywords.
    _search(page, "Chercher parmi les sujets", "généralisent")
    expect(page.get_by_role("status")).to_have_text("1 sujet trouvé")
    expect(page.get_by_role("link", name=FUNDED_FR)).to_be_visible()
    shot(page, "recherche avec accent")
    _search(page, "Mots", "generalisent")
    expect(page.get_by_role("status")).to_have_text("1 sujet trouvé")
    expect(page.get_by_role("searchbox", name="Mots")).to_have_value("generalisent")
    shot(page, "recherche sans accent")

    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("searchbox", name="Words")).to_have_value("generalisent")
    _search(page, "Words", "renumbered molecule")  # "renumbered", "molecule": stemmed in English
    expect(page.get_by_role("status")).to_have_text("1 subject found")
    _search(page, "Words", "Réseaux")
    expect(page.get_by_role("link", name=FUNDED_FR)).to_be_visible()
    _search(page, "Words", "reseau")
    expect(page.get_by_role("link", name=FUNDED_FR)).to_be_visible()
    page.get_by_role("combobox", name="Decision").select_option("funded")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status")).to_have_text("1 subject found")
    shot(page, "search in english with a filter")

    page.get_by_role("link", name=FUNDED_FR).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(FUNDED_FR)
    feed_link = page.get_by_role("link", name="Atom feed of this call")
    answer = page.request.get(feed_link.get_attribute("href"))
    assert answer.ok and answer.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(answer.body())
    assert not feed.bozo and feed.version == "atom10"
    titles = [entry.title for entry in feed.entries]
    assert FUNDED_FR in titles and FUNDED_EN in titles
