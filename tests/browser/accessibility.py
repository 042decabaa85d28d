"""axe-core's checks on the page as it is now, in the page's own Chromium.

axe-core is the npm build bundled by the axe-playwright-python wheel (requirements-dev.txt): the
tests read it from the installed package, never from a CDN. It is evaluated through the DevTools
protocol, which the pages' strict Content-Security-Policy does not govern, so the pages are
checked with their real headers.
"""

import json
import os
import re
import weakref
from functools import cache
from importlib.resources import files

from playwright.sync_api import Page

# What fails a test; "moderate" and "minor" findings are left to review.
FAILING_IMPACTS = ("serious", "critical")
# A file to which every check appends its page and all its findings, one JSON line each, for the
# per-page review of the findings that do not fail (`AXE_REPORT=axe.jsonl make test`).
REPORT = os.environ.get("AXE_REPORT")
_SCRIPT = re.compile(r"<script\b.*?</script>", re.S | re.I)
# Pages of contexts with JavaScript turned off, where nothing can be evaluated (it never returns).
_without_scripts: "weakref.WeakSet[Page]" = weakref.WeakSet()


def without_scripts(page: Page) -> Page:
    """Mark a page of a context made with `java_script_enabled=False`."""
    _without_scripts.add(page)
    return page


@cache
def _axe_source() -> str:
    return files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")


def serious_violations(page: Page) -> list[str]:
    """Each serious or critical violation as 'rule (impact): selector, selector…'."""
    if page in _without_scripts:
        return _violations_of_copy(page)
    return _violations(page)


def _violations_of_copy(page: Page) -> list[str]:
    """A page without JavaScript is checked as a copy: its HTML, scripts left out, served at its
    own address (so its stylesheets load) to a page that may run axe."""
    html, url = _SCRIPT.sub("", page.content()), page.url
    context = page.context.browser.new_context(viewport=page.viewport_size)
    try:
        copy = context.new_page()
        copy.route(url, lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8"))
        copy.goto(url)
        return _violations(copy)
    finally:
        context.close()


def _violations(page: Page) -> list[str]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " targets: v.nodes.map(n => n.target.join(' '))}))"
    )
    if REPORT:
        found = [{"id": v["id"], "impact": v["impact"], "nodes": len(v["targets"])} for v in violations]
        line = {"url": page.url, "width": (page.viewport_size or {}).get("width"), "violations": found}
        with open(REPORT, "a", encoding="utf-8") as report:
            report.write(json.dumps(line) + "\n")
    return [
        f"{v['id']} ({v['impact']}: {v['help']}): {', '.join(v['targets'][:5])}"
        for v in violations
        if v["impact"] in FAILING_IMPACTS
    ]
