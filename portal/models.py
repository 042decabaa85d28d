"""Imports every model, so that Alembic and the mappers see the whole schema."""

from portal.auth.models import RecoveryCode, Role, RoleGrant, User  # noqa: F401
from portal.proposals.models import (  # noqa: F401
    Proposal,
    ProposalEditor,
    ProposalFigure,
    ProposalRevision,
    StoredPdf,
)
from portal.reference.models import (  # noqa: F401
    Campaign,
    DoctoralSchool,
    Initiative,
    ResearchUnit,
)
from portal.reviews.models import (  # noqa: F401
    Assignment,
    Bid,
    Committee,
    CommitteeMember,
    Criterion,
    Decision,
    DeclaredConflict,
    DiscussionPost,
    Review,
)

# isort: split
from portal.audit.models import AuditEvent  # noqa: F401
from portal.catalogue import (
    search_index,  # noqa: F401  (the subjects' full-text index: its DDL, its sync)
    stamp,  # noqa: F401  (the catalogue stamp's flush events)
)
from portal.catalogue.models import CallPublication, CatalogueStamp, PublicRevision, PublicSubject  # noqa: F401
from portal.dashboards.models import SchoolOpinion  # noqa: F401
from portal.notifications.models import OutboxMessage  # noqa: F401
from portal.proposals.measure_models import MeasureRequest, StoredMeasure  # noqa: F401
from portal.tasks.models import TaskRecord  # noqa: F401
