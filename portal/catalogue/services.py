"""The catalogue's changes: a call's policy, the consent at submission, the director's
corrections, unpublishing. Each flushes, writes the audit log and leaves the commit to the caller."""

from datetime import datetime

from sqlalchemy import select

from portal.audit.services import record
from portal.auth.models import User
from portal.catalogue.content import corrected, public_content
from portal.catalogue.models import (
    CONSENT_WORDING_VERSION,
    CallPublication,
    PublicationPolicy,
    PublicRevision,
    PublicSubject,
    RevisionSource,
)
from portal.catalogue.rendering import render_after_commit
from portal.db import utcnow
from portal.extensions import db
from portal.proposals.models import Proposal
from portal.proposals.printing import submitted_content
from portal.reference.models import Campaign


class NotPublished(Exception):
    """The subject is not public now: there is no public version to correct."""


def subject_of(proposal: Proposal) -> PublicSubject | None:
    return db.session.scalar(select(PublicSubject).where(PublicSubject.proposal_id == proposal.id))


def set_policy(*, campaign: Campaign, policy: PublicationPolicy, by: User) -> CallPublication:
    """Choose what the call publishes; takes effect on every public page at once."""
    row = db.session.get(CallPublication, campaign.id)
    if row is None:
        row = CallPublication(campaign_id=campaign.id)
        db.session.add(row)
    previous = row.policy
    row.policy, row.updated_by_id, row.updated_at = policy, by.id, utcnow()
    db.session.flush()
    record("publication.policy_set", actor=by, obj=campaign, policy=policy, previous=previous)
    return row


def _add_revision(
    subject: PublicSubject, content: dict, *, source: RevisionSource, by: User, note: str = "", now: datetime
) -> PublicRevision:
    number = subject.revisions[-1].number + 1 if subject.revisions else 1
    revision = PublicRevision(
        number=number, source=source, content=content, note=note, author_id=by.id, created_at=now
    )
    subject.revisions.append(revision)
    subject.revision_number, subject.revised_at = number, now
    subject.title, subject.language, subject.content = content["title"], content["language"], content
    return revision


def record_submission(
    *, proposal: Proposal, consent: bool, contact_email: str, by: User, now: datetime | None = None
) -> PublicSubject | None:
    """Keep the director's answer to the consent box of this submission.

    Ticked: the submitted version becomes the public text (a new revision), with the contact
    chosen. Not ticked: any earlier consent is withdrawn, and the subject is never shown.
    """
    now = now or utcnow()
    subject = subject_of(proposal)
    if not consent:
        if subject is not None and subject.consent_at is not None:
            subject.consent_at = subject.consent_wording = subject.consent_by_id = None
            db.session.flush()
            record("subject.consent_withdrawn", actor=by, obj=proposal)
        return subject
    content = public_content(
        proposal, submitted_content(proposal) or proposal.content, contact_email=contact_email
    )
    if subject is None:
        subject = PublicSubject(proposal=proposal, title="", language="fr", content={})
        db.session.add(subject)
    subject.consent_at, subject.consent_wording, subject.consent_by_id = now, CONSENT_WORDING_VERSION, by.id
    _add_revision(subject, content, source=RevisionSource.submission, by=by, now=now)
    db.session.flush()
    record(
        "subject.consent_given",
        actor=by,
        obj=proposal,
        wording=CONSENT_WORDING_VERSION,
        revision=subject.revision_number,
    )
    render_after_commit(subject)
    return subject


def correct(
    *,
    subject: PublicSubject,
    title: str,
    keywords: list[str],
    description: str,
    contact_email: str,
    position_filled: bool,
    note: str,
    by: User,
    published: bool,
    now: datetime | None = None,
) -> PublicRevision | None:
    """A new revision of the public text; the submitted version is not touched. None when
    nothing changed."""
    if not published:
        raise NotPublished(subject.id)
    content = corrected(
        subject.content,
        title=title,
        keywords=keywords,
        description=description,
        contact_email=contact_email,
        position_filled=position_filled,
    )
    if content == subject.content:
        return None
    revision = _add_revision(
        subject, content, source=RevisionSource.correction, by=by, note=note, now=now or utcnow()
    )
    db.session.flush()
    record("subject.corrected", actor=by, obj=subject.proposal, revision=revision.number, note=note)
    render_after_commit(subject)
    return revision


def unpublish(*, subject: PublicSubject, reason: str, by: User, now: datetime | None = None) -> None:
    """Take the subject off every public page, with the reason (kept, and in the audit log)."""
    if subject.unpublished_at is not None:
        return
    subject.unpublished_at, subject.unpublished_by_id, subject.unpublish_reason = (
        now or utcnow(),
        by.id,
        reason,
    )
    db.session.flush()
    record("subject.unpublished", actor=by, obj=subject.proposal, reason=reason)


def republish(*, subject: PublicSubject, by: User) -> None:
    """Undo an unpublication: the call's policy decides again."""
    if subject.unpublished_at is None:
        return
    reason = subject.unpublish_reason
    subject.unpublished_at = subject.unpublished_by_id = subject.unpublish_reason = None
    db.session.flush()
    record("subject.republished", actor=by, obj=subject.proposal, previous_reason=reason)
