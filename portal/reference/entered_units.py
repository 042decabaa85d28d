"""Research units typed by hand (in profiles and proposals) that the reference list lacks, and
the administrators' one click that adds one to it."""

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select

from portal.audit.services import record
from portal.auth.models import User
from portal.extensions import db
from portal.proposals.models import Proposal
from portal.reference.codes import is_unit_code, normalise_unit_code
from portal.reference.models import ResearchUnit
from portal.reference.unit_form import ACRONYM_MAX, NAME_MAX, listed_unit, set_profile_unit

PEOPLE = ("director", "co_supervisor")


@dataclass
class EnteredUnit:
    code: str
    names: Counter = field(default_factory=Counter)  # (acronym, name) as typed, and how often
    proposals: set[int] = field(default_factory=set)
    profiles: int = 0

    @property
    def acronym(self) -> str:
        return self.names.most_common(1)[0][0][0]

    @property
    def name(self) -> str:
        return self.names.most_common(1)[0][0][1]

    @property
    def variants(self) -> list[tuple[str, str]]:
        return [pair for pair, _count in self.names.most_common()[1:]]


def _typed_rows():
    """(code, acronym, name, proposal id or None) of every unit typed in a profile or a proposal."""
    profiles = select(User.unit_code, User.unit_acronym, User.unit_name).where(
        User.research_unit_id.is_(None), User.unit_code != ""
    )
    for code, acronym, name in db.session.execute(profiles):
        yield code, acronym, name, None
    # Read in the database from the JSON document: three short strings per person, not the content.
    for who in PEOPLE:
        columns = [Proposal.content[(who, "unit", key)].as_string() for key in ("code", "acronym", "name")]
        query = select(Proposal.id, *columns).where(columns[0].is_not(None), columns[0] != "")
        for proposal_id, code, acronym, name in db.session.execute(query):
            yield code, acronym, name, proposal_id


def entered_units() -> list[EnteredUnit]:
    """Units typed with a well-formed code, an acronym and a name, whose code the list lacks."""
    listed = set(db.session.scalars(select(ResearchUnit.code)))
    found: dict[str, EnteredUnit] = {}
    for code, acronym, name, proposal_id in _typed_rows():
        acronym, name = (acronym or "").strip(), (name or "").strip()
        if not (is_unit_code(code) and acronym and name):
            continue  # an incomplete draft: the submission rules ask for the rest
        code = normalise_unit_code(code)
        if code in listed:
            continue
        entry = found.setdefault(code, EnteredUnit(code))
        entry.names[(acronym[:ACRONYM_MAX], name[:NAME_MAX])] += 1
        if proposal_id is None:
            entry.profiles += 1
        else:
            entry.proposals.add(proposal_id)
    return sorted(found.values(), key=lambda entry: entry.code)


class UnitAlreadyListed(ValueError):
    def __init__(self, unit: ResearchUnit):
        super().__init__(unit.code)
        self.unit = unit


def add_entered_unit(*, code: str, acronym: str, name: str) -> ResearchUnit:
    """Add a typed unit to the reference list; the profiles that typed its code now point to it."""
    code = normalise_unit_code(code)
    existing = listed_unit(code)
    if existing is not None:
        raise UnitAlreadyListed(existing)
    unit = ResearchUnit(code=code, acronym=acronym.strip(), name=name.strip())
    db.session.add(unit)
    profiles = db.session.scalars(
        select(User).where(User.research_unit_id.is_(None), User.unit_code == code)
    ).all()
    for user in profiles:
        set_profile_unit(user, {"code": code})
    db.session.flush()
    record(
        "reference.unit_added_from_entries",
        obj=unit,
        code=code,
        acronym=unit.acronym,
        name=unit.name,
        profiles=len(profiles),
    )
    return unit
