"""The consent box of the PRD form: shown as last answered, checked and kept at submission."""

from portal.auth.models import User
from portal.catalogue.consent_form import ConsentForm, contact_problem
from portal.catalogue.services import record_submission, subject_of
from portal.proposals.models import Proposal


def prefill_consent(form: ConsentForm, proposal: Proposal) -> None:
    """The answer of the last submission (a reopened proposal keeps it), else unticked."""
    subject = subject_of(proposal)
    if subject is not None:
        form.consent.data = subject.consent_at is not None
        form.contact_email.data = subject.contact_email


def consent_is_valid(form: ConsentForm) -> bool:
    """The contact address can be shown; its error is put next to it otherwise."""
    problem = contact_problem((form.contact_email.data or "").strip())
    if problem is not None:
        form.contact_email.errors = [problem]
    return problem is None


def record_consent(form: ConsentForm, *, proposal: Proposal, by: User) -> None:
    """Keep this submission's answer (after the submission itself, in its transaction)."""
    contact = (form.contact_email.data or "").strip() if form.consent.data else ""
    record_submission(proposal=proposal, consent=bool(form.consent.data), contact_email=contact, by=by)
