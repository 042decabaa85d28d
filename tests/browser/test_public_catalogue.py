"""A visitor who is not signed in reads the demo's published subjects, in French and in English."""

from playwright.sync_api import Page, expect

from portal.demo.seed import seed_demo
from portal.extensions import db
from tests.browser.steps import data

FUNDED_FR = "Optimisation non convexe et généralisation des réseaux profonds"
FUNDED_EN = "Graph neural networks for molecular property prediction"


def _figure_loaded(page: Page) -> bool:
    """Every figure of the description drawn, once the browser has fetched it (a figure may still
    be on its way when the page's text is there: wait for it, a few seconds at most)."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('.public-description img')].every(img => img.complete)",
        timeout=10_000,
    )
    return page.evaluate(
        "() => [...document.querySelectorAll('.public-description img')].every(img => img.naturalWidth > 0)"
    )


def test_a_visitor_reads_a_subject_with_its_formulas_and_figure_in_both_languages(
    open_page, live, apps, shot
):
    with data(live):
        seed_demo()
        db.session.commit()
    apps.task_worker.wait_idle()  # the public texts are formatted once, by the worker
    page = open_page(locale="fr-FR")
    page.goto("/")
    page.get_by_role("link", name="Sujets de thèse").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sujets de thèse")
    shot(page, "les appels qui publient")
    page.get_by_role("link", name="AAP 2021").click()
    expect(page.get_by_role("heading", level=2)).to_have_count(3)
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    shot(page, "la liste des sujets de 2021")

    page.get_by_role("link", name=FUNDED_FR).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(FUNDED_FR)
    expect(page.locator(".public-description .math-display svg")).to_have_count(1)
    expect(page.locator(".public-description figcaption")).to_contain_text("Figure 1")
    assert _figure_loaded(page)
    expect(page.get_by_role("link", name="these-scai@universite-demo.test")).to_be_visible()
    shot(page, "un sujet financé, sa formule et sa figure")

    subject_path = page.url.split("?")[0]
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url.split("?")[0] == subject_path  # the switch keeps the page
    expect(page.get_by_role("heading", name="How to apply")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_attribute("lang", "fr")
    shot(page, "the same subject in english")

    page.get_by_role("link", name="AAP 2021").click()
    page.get_by_role("link", name=FUNDED_EN).click()
    expect(page.locator(".public-description .math-display svg")).to_have_count(1)
    assert _figure_loaded(page)
    shot(page, "an english subject")

    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_have_text(FUNDED_EN)
    shot(page, "printed", phone=False)
