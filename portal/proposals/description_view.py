"""The description as a page shows it: stored HTML, else its source while a task renders it.

The web never renders: the web HTML of a text is kept in `RenderedDescription`, keyed by the
text, the figures and the renderer's version, so that every process and every reader finds it.
A page whose text has no stored HTML queues its rendering (proposals/tasks.py, interactive
queue), waits at most RENDER_WAIT_SECONDS with its session released, and otherwise shows the
source with a notice that the formatted text is being prepared.
"""

import hashlib
import logging
import re
from collections.abc import Callable
from datetime import timedelta

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer

from portal.db import utcnow
from portal.documents.figures import FIGURE_NAME
from portal.documents.markdown import RENDERER_VERSION, web_description
from portal.extensions import db
from portal.proposals.limits import description_problem
from portal.proposals.models import Proposal, RenderedDescription, RenderState
from portal.proposals.printing import figure_stamps
from portal.tasks import INTERACTIVE, after_commit, records
from portal.tasks.waiting import wait_for

logger = logging.getLogger(__name__)

RENDER_DESCRIPTION = "proposals.render_description"

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


def page_html(proposal: Proposal, text: str) -> Markup:
    """The description's HTML for a page: from the store, else queued and waited for a moment.

    A text beyond the limits is never rendered, and one whose rendering overran or failed is
    shown as its source with a notice: never a 500, never a wait beyond RENDER_WAIT_SECONDS.
    """
    if description_problem(text) is not None:
        return source_html(text)
    key = render_key(text, figure_stamps(proposal))
    stored = db.session.scalar(select(RenderedDescription).where(RenderedDescription.key == key))
    if stored is None or _retry(stored):
        if records.failures(RENDER_DESCRIPTION, [key]):
            return source_html(text)  # its worker was killed on it: never tried again
        if records.to_queue(RENDER_DESCRIPTION, [key], stale_after=records.LOST_AFTER):
            after_commit(RENDER_DESCRIPTION, proposal.id, key, queue=INTERACTIVE)
        stored = wait_for(lambda session: _stored_or_failed(session, key))
        if stored is None:
            return source_html(text, preparing=True)
    if stored.state is not RenderState.ok:
        return source_html(text)
    return _with_figure_urls(stored.html, proposal)


def stored_html(proposal: Proposal, text: str) -> Markup:
    """The stored HTML of `text` (the preview, after its measure), else its source."""
    key = render_key(text, figure_stamps(proposal))
    stored = db.session.scalar(select(RenderedDescription).where(RenderedDescription.key == key))
    if stored is None or stored.state is not RenderState.ok:
        return source_html(text)
    return _with_figure_urls(stored.html, proposal)


def _stored_or_failed(session, key: str) -> RenderedDescription | None:
    stored = session.scalar(select(RenderedDescription).where(RenderedDescription.key == key))
    if stored is not None and not _retry(stored):
        return stored
    if records.failures(RENDER_DESCRIPTION, [key], session=session):
        return RenderedDescription(key=key, state=RenderState.failed)
    return None


def _retry(stored: RenderedDescription) -> bool:
    return stored.state is RenderState.failed and utcnow() - stored.created_at > FAILED_RETRY_AFTER


def render_and_store(key: str, text: str, figure_names: list[str]) -> None:
    """Render the web HTML of `text` and keep it under `key`, or keep that it failed (in a task
    only: the soft time limit stops it there). The caller commits."""
    try:
        html, state = web_description(text, figure_names=sorted(figure_names)), RenderState.ok
    except Exception:  # the soft time limit, a renderer bug: pages show the source
        logger.warning("description %s not rendered", key[:12], exc_info=True)
        html, state = None, RenderState.failed
    keep_rendering(key, state, html)


def keep_rendering(key: str, state: RenderState, html: str | None) -> None:
    row = db.session.scalar(select(RenderedDescription).where(RenderedDescription.key == key))
    if row is None:
        row = RenderedDescription(key=key)
    row.state, row.html, row.created_at = state, html, utcnow()
    # Two tasks may render the same text at once: the second insert finds the key taken.
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        logger.info("description %s stored meanwhile", key[:12])


def _with_figure_urls(html: str, proposal: Proposal) -> Markup:
    return with_figure_urls(
        html, lambda name: url_for("proposals.figure", proposal_id=proposal.id, name=name)
    )


def with_figure_urls(html: str, figure_url: Callable[[str], str]) -> Markup:
    """Stored HTML with each `figure:NAME` turned into `figure_url(NAME)` (the page's own route)."""

    def url(match: re.Match) -> str:
        name = match.group(1)
        if not FIGURE_NAME.match(name):
            return match.group(0)
        return f'<img src="{escape(figure_url(name))}"'

    # Stored by page_html from the sanitised renderer; only its own figure tags are rewritten.
    return Markup(_FIGURE_SRC.sub(url, html))  # noqa: S704


def stored_rendering(key: str) -> RenderedDescription | None:
    """The stored rendering under `key`, unless it failed long enough ago to be tried again; its
    HTML is read when first used (a page answering 304 never needs it)."""
    stored = db.session.scalar(
        select(RenderedDescription)
        .where(RenderedDescription.key == key)
        .options(defer(RenderedDescription.html))
    )
    return None if stored is None or _retry(stored) else stored


def source_html(text: str, *, preparing: bool = False) -> Markup:
    """The text as escaped plain source, under a notice that says why."""
    if preparing:
        notice = _("The formatted text is being prepared; its source is shown meanwhile. Reload in a moment.")
    else:
        notice = _("This description could not be displayed as formatted text; its source is shown.")
    return Markup('<p class="notice warning">{}</p><pre class="description-source">{}</pre>').format(
        notice, text
    )
