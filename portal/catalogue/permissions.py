"""Who manages a call's publication, who unpublishes a subject, who corrects its public text.

Programme staff manage the publication of a call they take part in (one of its initiatives is
theirs) and unpublish the subjects of their initiatives; administrators do both everywhere. The
director alone corrects the public text. A subject one may not manage answers 404, as an
unknown id; a call, 403.
"""

from flask import abort
from flask_login import current_user

from portal.auth.models import User
from portal.catalogue.models import PublicSubject
from portal.extensions import db
from portal.reference.models import Campaign


def manages_call(user: User, campaign: Campaign) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_admin or bool(user.staff_initiative_ids() & {i.id for i in campaign.initiatives})


def manages_subject(user: User, subject: PublicSubject) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_admin or subject.proposal.initiative_id in user.staff_initiative_ids()


def managed_call(campaign_id: int) -> Campaign:
    """The call, for those who manage its publication (403 for others: a call is no secret)."""
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        abort(404)
    if not manages_call(current_user, campaign):
        abort(403)
    return campaign


def managed_subject(subject_id: int) -> PublicSubject:
    subject = db.session.get(PublicSubject, subject_id)
    if subject is None or not manages_subject(current_user, subject):
        abort(404)
    return subject


def corrected_subject(subject_id: int) -> PublicSubject:
    """The subject, for its director only; its managers are refused (403), anyone else finds nothing."""
    subject = db.session.get(PublicSubject, subject_id)
    if subject is None or not current_user.is_authenticated:
        abort(404)
    if subject.proposal.owner_id != current_user.id:
        abort(403 if manages_subject(current_user, subject) else 404)
    return subject
