"""The actions the portal records, with the label staff read."""

from flask_babel import lazy_gettext as _l

ACTIONS = {
    "proposal.created": _l("Proposal created"),
    "proposal.saved": _l("Draft saved"),
    "proposal.submitted": _l("Proposal submitted"),
    "proposal.reopened": _l("Proposal reopened"),
    "proposal.withdrawn": _l("Proposal withdrawn"),
    "proposal.restored": _l("Earlier version restored"),
    "proposal.extension_granted": _l("Extension granted"),
    "proposal.pdf_downloaded": _l("PDF downloaded"),
    "co_editor.invited": _l("Co-editor invited"),
    "co_editor.accepted": _l("Co-editor invitation accepted"),
    "co_editor.revoked": _l("Co-editor removed"),
    "co_supervisor.looked_up": _l("Co-supervisor looked up by e-mail"),
    "committee.member_added": _l("Reviewer added to the committee"),
    "committee.member_removed": _l("Reviewer removed from the committee"),
    "conflict.declared": _l("Conflict of interest recorded"),
    "conflict.confirmed": _l("Suspected conflict of interest confirmed"),
    "conflict.waived": _l("Suspected conflict of interest waived"),
    "assignment.created": _l("Reviewer assigned"),
    "assignment.removed": _l("Reviewer unassigned"),
    "review.submitted": _l("Review submitted"),
    "decisions.set": _l("Decisions recorded"),
    "decisions.published": _l("Decisions published"),
    "decision.published": _l("Decision published to the director"),
    "role.granted": _l("Role granted"),
    "role.revoked": _l("Role revoked"),
    "account.disabled": _l("Account disabled"),
    "account.enabled": _l("Account enabled"),
    "auth.signed_in": _l("Signed in"),
    "auth.sign_in_refused": _l("Sign-in refused"),
    "export.downloaded": _l("Export downloaded"),
    "email_template.updated": _l("E-mail wording changed"),
    "email_template.reset": _l("E-mail wording reset to the default"),
    "publication.policy_set": _l("Publication of the call's subjects changed"),
    "subject.consent_given": _l("Consent to publication given"),
    "subject.consent_withdrawn": _l("Consent to publication withdrawn"),
    "subject.corrected": _l("Public version corrected"),
    "subject.unpublished": _l("Subject unpublished"),
    "subject.republished": _l("Subject published again"),
}


def action_label(action: str) -> str:
    return str(ACTIONS.get(action, action))
