"""The rendering of public texts, on the interactive queue (catalogue/rendering.py)."""

from celery import shared_task

from portal.catalogue.models import PublicSubject
from portal.catalogue.rendering import RENDER_PUBLIC, public_key
from portal.extensions import db
from portal.proposals.description_view import keep_rendering, render_and_store
from portal.proposals.models import RenderState
from portal.proposals.printing import figure_stamps
from portal.tasks import records


@shared_task(name=RENDER_PUBLIC)
def render_public_description(subject_id: int, key: str) -> None:
    """The web HTML of the subject's public text, if `key` is still its text's."""
    subject = db.session.get(PublicSubject, subject_id)
    if subject is None or public_key(subject) != key:
        records.succeeded(RENDER_PUBLIC, key)  # corrected meanwhile: its page asks for the new one
        return
    if records.start(RENDER_PUBLIC, key) is not None:
        keep_rendering(key, RenderState.failed, None)  # killed on it: the page shows the source
        db.session.commit()
        return
    render_and_store(key, subject.content.get("description") or "", sorted(figure_stamps(subject.proposal)))
    db.session.commit()
    records.succeeded(RENDER_PUBLIC, key)
