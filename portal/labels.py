"""Translated names of the enum values shown on pages."""

import enum

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

from portal.auth.models import Role
from portal.proposals.models import ProposalState
from portal.reference.models import CampaignPhase, CampaignState, InitiativeKind
from portal.reviews.conflicts import ConflictStatus
from portal.reviews.models import (
    ConflictVerdict,
    ContractRelease,
    Outcome,
    Preference,
    Recommendation,
    ReferralOutcome,
    ReviewState,
    ReviewVisibility,
    Scale,
)
from portal.reviews.phases import ReviewPhase

_LABELS: dict[enum.Enum, object] = {
    Role.supervisor: _l("Thesis supervisor"),
    Role.reviewer: _l("Reviewer"),
    Role.school_staff: _l("Doctoral school staff"),
    Role.programme_staff: _l("Programme staff"),
    Role.admin: _l("Administrator"),
    CampaignState.draft: _l("Draft"),
    CampaignState.published: _l("Published"),
    CampaignState.archived: _l("Archived"),
    CampaignPhase.preparing: _l("In preparation"),
    CampaignPhase.upcoming: _l("Not open yet"),
    CampaignPhase.open: _l("Open"),
    CampaignPhase.closed: _l("Closed"),
    CampaignPhase.archived: _l("Archived"),
    InitiativeKind.initiative: _l("Initiative"),
    InitiativeKind.institute: _l("Institute"),
    ProposalState.draft: _l("Draft"),
    ProposalState.submitted: _l("Submitted"),
    ProposalState.withdrawn: _l("Withdrawn"),
    Outcome.funded: _l("Funded"),
    Outcome.waiting_list: _l("On the waiting list"),
    Outcome.not_funded: _l("Not funded"),
    Outcome.referred: _l("Referred to another initiative"),
    ContractRelease.declined: _l("Contract declined"),
    ContractRelease.withdrawn: _l("Proposal withdrawn"),
    ReferralOutcome.taken_up: _l("Taken up"),
    ReferralOutcome.not_taken_up: _l("Not taken up"),
    Preference.eager: _l("Eager to review"),
    Preference.willing: _l("Willing to review"),
    Preference.not_willing: _l("Not willing to review"),
    Recommendation.strong_accept: _l("Strongly support"),
    Recommendation.accept: _l("Support"),
    Recommendation.weak_accept: _l("Weakly support"),
    Recommendation.reject: _l("Do not support"),
    ReviewState.draft: _l("Draft"),
    ReviewState.submitted: _l("Submitted"),
    ReviewVisibility.after_own: _l("After submitting their own review"),
    ReviewVisibility.always: _l("Always"),
    ReviewVisibility.never: _l("Never (only staff see all reviews)"),
    Scale.one_to_five: _l("1 to 5"),
    Scale.one_to_ten: _l("1 to 10"),
    Scale.a_to_d: _l("A to D (A best)"),
    ConflictStatus.certain: _l("Certain"),
    ConflictStatus.suspected: _l("Suspected"),
    ConflictStatus.confirmed: _l("Confirmed"),
    ConflictStatus.waived: _l("Waived"),
    ConflictStatus.declared: _l("Declared"),
    ConflictVerdict.confirmed: _l("Confirmed"),
    ConflictVerdict.waived: _l("Waived"),
    ReviewPhase.call_open: _l("Call still open"),
    ReviewPhase.reviewing: _l("Reviewing"),
    ReviewPhase.deliberation: _l("Deliberation"),
    ReviewPhase.published: _l("Decisions published"),
}


def label(value: enum.Enum) -> str:
    return str(_LABELS.get(value, getattr(value, "value", value)))


def choices(enum_class: type[enum.Enum]) -> list[SelectChoice]:
    """The options of a select field over an enum, with translated labels."""
    return [SelectChoice(member.value, _LABELS[member]) for member in enum_class]
