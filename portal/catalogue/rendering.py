"""The public text's HTML: the stored rendering of the preview, never rendered in a request.

The public text is usually the submitted one, whose rendering the preview already stored; a
correction's text is queued for rendering when it is saved. A page that finds no rendering
shows the source with a notice, queues the work once, and does not wait: a visitor's page is
never held by a render.
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask import url_for
from markupsafe import Markup

from portal.catalogue.models import PublicSubject
from portal.proposals.description_view import render_key, source_html, stored_rendering, with_figure_urls
from portal.proposals.limits import description_problem
from portal.proposals.models import RenderState
from portal.proposals.printing import figure_stamps
from portal.tasks import INTERACTIVE, after_commit, publish, records

RENDER_PUBLIC = "catalogue.render_description"


@dataclass(frozen=True)
class PublicHtml:
    # Made when the page is rendered, not for a 304.
    make: Callable[[], Markup]
    # The stored rendering, or the source for good (a text beyond the limits, a failed render):
    # the page may be cached; False while the rendering is awaited.
    final: bool
    key: str

    @property
    def html(self) -> Markup:
        return self.make()


def public_key(subject: PublicSubject) -> str:
    return render_key(subject.content.get("description") or "", figure_stamps(subject.proposal))


def public_html(subject: PublicSubject) -> PublicHtml:
    """The subject's description as its public page shows it."""
    text = subject.content.get("description") or ""
    key = public_key(subject)
    if description_problem(text) is not None:
        return PublicHtml(lambda: source_html(text), True, key)
    stored = stored_rendering(key)
    if stored is None:
        if not records.failures(RENDER_PUBLIC, [key]) and records.to_queue(
            RENDER_PUBLIC, [key], stale_after=records.LOST_AFTER
        ):
            publish(RENDER_PUBLIC, subject.id, key, queue=INTERACTIVE)  # nothing to commit: send now
        return PublicHtml(lambda: source_html(text, preparing=True), False, key)
    if stored.state is not RenderState.ok:
        return PublicHtml(lambda: source_html(text), True, key)
    year = subject.proposal.campaign.year
    figure_url = lambda name: url_for("public.figure", year=year, subject_id=subject.id, name=name)  # noqa: E731
    return PublicHtml(lambda: with_figure_urls(stored.html, figure_url), True, key)


def render_after_commit(subject: PublicSubject) -> None:
    """Queue the rendering of a new public text once its change commits, unless it is stored.

    No task record here: it commits in a session of its own, which would wait on the change's
    own transaction (SQLite); the task is idempotent, and a page that finds nothing queues again.
    """
    key = public_key(subject)
    if stored_rendering(key) is None:
        after_commit(RENDER_PUBLIC, subject.id, key, queue=INTERACTIVE)
