"""The search form of /subjects/search: a GET form, every field bounded where it enters."""

from flask import current_app, g
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import SearchField, SelectField
from wtforms.validators import Length, Optional

from portal.catalogue import stamp
from portal.catalogue.search import MAX_QUERY, Filters
from portal.extensions import db
from portal.reference.models import Campaign, CampaignState, DoctoralSchool, Initiative, ResearchUnit
from portal.reviews.models import Outcome

#: The form's fields that narrow the list (the same names in the JSON export's address).
FILTERS = ("call", "initiative", "school", "unit", "language", "outcome")


def _read_references() -> tuple[list, ...]:
    return tuple(
        db.session.execute(query).all()
        for query in (
            select(Campaign.year, Campaign.name)
            .where(Campaign.state != CampaignState.draft)
            .order_by(Campaign.year.desc()),
            select(Initiative.acronym, Initiative.name).order_by(Initiative.acronym),
            select(DoctoralSchool.number, DoctoralSchool.acronym).order_by(DoctoralSchool.number),
            select(ResearchUnit.code, ResearchUnit.acronym).order_by(ResearchUnit.acronym),
        )
    )


def _references() -> tuple[list, ...]:
    """The calls, initiatives, schools and units the filters offer, read once per catalogue
    stamp (a change to any of them changes it)."""
    current = g.public_key[0] if g.get("public_key") else stamp.current()
    known = current_app.extensions.get("search_references")
    if current is None or known is None or known[0] != current:
        known = (current, _read_references())
        if current is not None:
            current_app.extensions["search_references"] = known
    return known[1]


class SearchForm(FlaskForm):
    """Words and filters; each filter's choices are what exists (`with_choices`)."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    q = SearchField(_l("Words"), validators=[Optional(), Length(max=MAX_QUERY)])
    call = SelectField(_l("Call"), validators=[Optional()])
    initiative = SelectField(_l("Initiative or institute"), validators=[Optional()])
    school = SelectField(_l("Doctoral school"), validators=[Optional()])
    unit = SelectField(_l("Research unit"), validators=[Optional()])
    language = SelectField(_l("Language of the description"), validators=[Optional()])
    outcome = SelectField(_l("Decision"), validators=[Optional()])

    def with_choices(self) -> "SearchForm":
        """Fill the choices from the reference data: any other value is refused by `validate`."""
        any_ = [("", _l("Any"))]
        calls, initiatives, schools, units = _references()
        self.call.choices = any_ + [(str(year), name) for year, name in calls]
        self.initiative.choices = any_ + [(acronym, f"{acronym} – {name}") for acronym, name in initiatives]
        self.school.choices = any_ + [(number, f"{number} {acronym}".strip()) for number, acronym in schools]
        self.unit.choices = any_ + [(code, f"{acronym} ({code})") for code, acronym in units]
        self.language.choices = any_ + [("fr", _l("French")), ("en", _l("English"))]
        self.outcome.choices = any_ + [
            (Outcome.funded.value, _l("Funded")),
            (Outcome.waiting_list.value, _l("Waiting list")),
        ]
        return self

    def filters(self) -> Filters:
        """The filters chosen; call after a successful `validate`."""
        initiative_id = None
        if self.initiative.data:
            initiative_id = db.session.scalar(
                select(Initiative.id).where(Initiative.acronym == self.initiative.data)
            )
        return Filters(
            year=int(self.call.data) if self.call.data else None,
            initiative_id=initiative_id,
            school=self.school.data or None,
            unit=self.unit.data or None,
            language=self.language.data or None,
            outcome=Outcome(self.outcome.data) if self.outcome.data else None,
        )
