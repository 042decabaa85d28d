"""Translated names of the enum values shown on pages."""

import enum

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

from portal.auth.models import Role
from portal.proposals.models import ProposalState
from portal.reference.models import CampaignPhase, CampaignState, InitiativeKind

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
}


def label(value: enum.Enum) -> str:
    return str(_LABELS.get(value, getattr(value, "value", value)))


def choices(enum_class: type[enum.Enum]) -> list[SelectChoice]:
    """The options of a select field over an enum, with translated labels."""
    return [SelectChoice(member.value, _LABELS[member]) for member in enum_class]
