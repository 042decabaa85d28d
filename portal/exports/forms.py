"""The filter form of the exports page (a GET form: the filters are the download links' query string)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import SelectChoice, SelectField

from portal.extensions import db
from portal.reference.models import Campaign, DoctoralSchool, Initiative


class ExportFilterForm(FlaskForm):
    class Meta:
        csrf = False  # nothing changes: the form only builds download links

    campaign = SelectField(_l("Call"), default="")
    initiative = SelectField(_l("Initiative or institute"), default="")
    school = SelectField(_l("Doctoral school of the director"), default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        anything = [SelectChoice("", _l("All"))]
        campaigns = db.session.scalars(select(Campaign).order_by(Campaign.year.desc()))
        initiatives = db.session.scalars(select(Initiative).order_by(Initiative.acronym))
        schools = db.session.scalars(select(DoctoralSchool).order_by(DoctoralSchool.number))
        self.campaign.choices = anything + [SelectChoice(str(c.year), c.name) for c in campaigns]
        self.initiative.choices = anything + [
            SelectChoice(i.acronym, f"{i.acronym} — {i.name}") for i in initiatives
        ]
        self.school.choices = anything + [SelectChoice(s.number, f"{s.number} {s.acronym}") for s in schools]
