"""The description as a page shows it: stored HTML, or one bounded rendering, or its source.

Pages never render on a GET what was rendered before: the web HTML of a text is kept in
`RenderedDescription`, keyed by the text, the figures and the renderer's version, so that every
process and every reader finds it. What still renders for a request goes through `page_html`,
the one place to switch to a task queue (enqueue, wait a few seconds, else show the source).
"""

import hashlib
import logging
import re
from datetime import timedelta

from flask import current_app, url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.db import utcnow
from portal.documents.figures import FIGURE_NAME
from portal.documents.markdown import RENDERER_VERSION, web_description
from portal.documents.worker import render_with_time_limit
from portal.extensions import db
from portal.proposals.limits import description_problem
from portal.proposals.models import Proposal, RenderedDescription, RenderState
from portal.proposals.printing import figure_stamps

logger = logging.getLogger(__name__)

# A render that failed is not tried again for this long: a text that overran the time limit
# opens at once for every later reader, and one that failed under a passing load gets a new try.
FAILED_RETRY_AFTER = timedelta(hours=1)
# The stored HTML names figures `figure:NAME`, not by URL: the URL holds the proposal's id (and
# the site's prefix), so the same text with the same figures is stored once.
_FIGURE_SRC = re.compile(r'<img src="figure:([^"]+)"')


def render_key(text: str, figures: dict) -> str:
    """The store's key: the renderer's version, the text, and each figure's name and hash."""
    digest = hashlib.sha256(f"{RENDERER_VERSION}\0{text}".encode())
    for name in sorted(figures):
        digest.update(f"\0{name}\0{figures[name].sha256}".encode())
    return digest.hexdigest()


def page_html(proposal: Proposal, text: str, *, store: bool = True, seconds: float | None = None) -> Markup:
    """The description's HTML for a page: from the store, else rendered within the time limit.

    A text beyond the limits is never rendered, and one whose rendering overran or failed is
    shown as its source with a notice: never a 500, never a wait beyond the time limit. With
    `store=False` (the live preview of unsaved text) nothing is written.
    """
    if description_problem(text) is not None:
        return source_html(text)
    figures = figure_stamps(proposal)
    key = render_key(text, figures)
    stored = db.session.scalar(select(RenderedDescription).where(RenderedDescription.key == key))
    if stored is None or _retry(stored):
        stored = _render(key, text, figures, store=store, seconds=seconds, row=stored)
    if stored.state is not RenderState.ok:
        return source_html(text)
    return _with_figure_urls(stored.html, proposal)


def _retry(stored: RenderedDescription) -> bool:
    return stored.state is RenderState.failed and utcnow() - stored.created_at > FAILED_RETRY_AFTER


def _render(key, text, figures, *, store, seconds, row) -> RenderedDescription:
    limit = current_app.config["RENDER_TIME_LIMIT"] if seconds is None else seconds
    try:
        html = render_with_time_limit(web_description, text, figure_names=sorted(figures), seconds=limit)
        state = RenderState.ok
    except Exception:  # a timeout, a dead worker, a renderer bug: the page shows the source
        logger.warning("description %s not rendered", key[:12], exc_info=True)
        html, state = None, RenderState.failed
    if row is None or not store:
        row = RenderedDescription(key=key)
    row.state, row.html, row.created_at = state, html, utcnow()
    if store:
        _keep(row)
    return row


def _keep(row: RenderedDescription) -> None:
    # Two readers may render the same text at once: the second insert finds the key taken.
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        logger.info("description %s stored meanwhile", row.key[:12])


def _with_figure_urls(html: str, proposal: Proposal) -> Markup:
    def url(match: re.Match) -> str:
        name = match.group(1)
        if not FIGURE_NAME.match(name):
            return match.group(0)
        return f'<img src="{escape(url_for("proposals.figure", proposal_id=proposal.id, name=name))}"'

    # Stored by page_html from the sanitised renderer; only its own figure tags are rewritten.
    return Markup(_FIGURE_SRC.sub(url, html))  # noqa: S704


def source_html(text: str) -> Markup:
    """The text as escaped plain source, under a notice that says why."""
    notice = _("This description could not be displayed as formatted text; its source is shown.")
    return Markup('<p class="notice warning">{}</p><pre class="description-source">{}</pre>').format(
        notice, text
    )
