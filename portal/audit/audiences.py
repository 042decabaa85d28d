"""Who reads each kind of event on a proposal's audit trail.

Administrators read every event. Anyone else reads a proposal's trail as what they are to that
proposal, and sees only the events meant for that audience: the committee's work is for the
programme staff who run the committee, never for the doctoral school (which gives its opinion
beside the committee, not inside it) nor for the applicants; the applicants read the life of
their own proposal and what was done to it for them, not who downloaded it.
"""

import enum

from portal.auth.models import User
from portal.proposals.models import Proposal
from portal.proposals.permissions import can_edit


class Audience(enum.Enum):
    programme = "programme"  # programme staff of the proposal's initiative: its committee's managers
    school = "school"  # staff of the director's doctoral school
    editors = "editors"  # the director and the co-editors who accepted


_P, _S, _E = Audience.programme, Audience.school, Audience.editors
# The proposal's own life: what its editors did, and what staff did to it for them.
LIFE = frozenset({_P, _S, _E})
# The committee's work, and reads of the proposal by the committee or staff.
COMMITTEE = frozenset({_P})
# Events of no proposal's trail (accounts, roles, exports, e-mail wording): administrators only.
ADMINISTRATORS: frozenset[Audience] = frozenset()

AUDIENCES: dict[str, frozenset[Audience]] = {
    "proposal.created": LIFE,
    "proposal.saved": LIFE,
    "proposal.submitted": LIFE,
    "proposal.reopened": LIFE,
    "proposal.withdrawn": LIFE,
    "proposal.restored": LIFE,
    "proposal.merged": LIFE,
    "proposal.extension_granted": LIFE,
    # Downloads by reviewers and by staff are one action: the doctoral school must not learn from
    # it who reviews, so it is the committee's.
    "proposal.pdf_downloaded": COMMITTEE,
    "co_editor.invited": LIFE,
    "co_editor.accepted": LIFE,
    "co_editor.revoked": LIFE,
    # Who the editors looked up, and whether a profile was shown: theirs, and the administrators'.
    "co_supervisor.looked_up": frozenset({_E}),
    "committee.member_added": COMMITTEE,
    "committee.member_removed": COMMITTEE,
    "conflict.declared": COMMITTEE,
    "conflict.confirmed": COMMITTEE,
    "conflict.waived": COMMITTEE,
    "assignment.created": COMMITTEE,
    "assignment.removed": COMMITTEE,
    "review.submitted": COMMITTEE,
    "reviews.reminded": COMMITTEE,
    "decisions.set": COMMITTEE,
    "decisions.published": COMMITTEE,
    # The school sees nothing of the decisions (docs/dashboards.md); the director is told.
    "decision.published": frozenset({_P, _E}),
    "committee.privacy_changed": COMMITTEE,
    # Written by the chair or staff: its director reads the summary itself, not who wrote it.
    "summary.saved": COMMITTEE,
    "summary.removed": COMMITTEE,
    "decisions.over_quota": COMMITTEE,
    # The director is told of both (e-mails): they read them on the trail too.
    "contract.released": frozenset({_P, _E}),
    "contract.offered": frozenset({_P, _E}),
    # Its comment is written for the other initiative: the director is told by e-mail, without it.
    "referral.created": COMMITTEE,
    "referral.outcome": COMMITTEE,
    "role.granted": ADMINISTRATORS,
    "role.revoked": ADMINISTRATORS,
    "reference.unit_added_from_entries": ADMINISTRATORS,
    "account.disabled": ADMINISTRATORS,
    "account.enabled": ADMINISTRATORS,
    "auth.signed_in": ADMINISTRATORS,
    "auth.sign_in_refused": ADMINISTRATORS,
    "export.downloaded": ADMINISTRATORS,
    "email_template.updated": ADMINISTRATORS,
    "email_template.reset": ADMINISTRATORS,
    "publication.policy_set": ADMINISTRATORS,
    # The public life of the subject: its editors, its programme and its school all see it online.
    "subject.consent_given": LIFE,
    "subject.consent_withdrawn": LIFE,
    "subject.corrected": LIFE,
    "subject.unpublished": LIFE,
    "subject.republished": LIFE,
}


def audiences_of(user: User, proposal: Proposal) -> frozenset[Audience]:
    """What `user` is to `proposal` on its trail (administrators aside: they read everything)."""
    if not user.is_authenticated:
        return frozenset()
    found = set()
    if proposal.initiative_id is not None and proposal.initiative_id in user.staff_initiative_ids():
        found.add(Audience.programme)
    if proposal.director_school_id is not None and proposal.director_school_id in user.staff_school_ids():
        found.add(Audience.school)
    if can_edit(user, proposal):
        found.add(Audience.editors)
    return frozenset(found)


def actions_for(audiences: frozenset[Audience]) -> list[str]:
    """The actions any of these audiences may read, for the trail's query."""
    return sorted(action for action, readers in AUDIENCES.items() if readers & audiences)
