"""The dashboard's filters (a GET form) and the school's opinion (a POST form)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SearchField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from portal.dashboards.opinions import OPINIONS
from portal.exports.forms import ExportFilterForm

SORTS = {
    "saved": _l("Last saved"),
    "submitted": _l("Submitted"),
    "title": _l("Title"),
}


class DashboardFilterForm(ExportFilterForm):
    """The export filters (call, initiative, school) and the dashboard's own."""

    state = SelectField(
        _l("State"),
        default="",
        choices=[
            SelectChoice("", _l("All")),
            SelectChoice("draft", _l("Draft")),
            SelectChoice("submitted", _l("Submitted")),
            SelectChoice("withdrawn", _l("Withdrawn")),
        ],
    )
    cotutelle = SelectField(
        _l("Cotutelle"),
        default="",
        choices=[SelectChoice("", _l("All")), SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))],
    )
    language = SelectField(
        _l("Language"),
        default="",
        choices=[
            SelectChoice("", _l("All")),
            SelectChoice("en", _l("English")),
            SelectChoice("fr", _l("French")),
        ],
    )
    q = SearchField(_l("Search titles, names, units, keywords"), default="")
    sort = SelectField(
        _l("Sort by"), default="saved", choices=[SelectChoice(*item) for item in SORTS.items()]
    )


class OpinionForm(FlaskForm):
    opinion = RadioField(
        _l("Opinion of the doctoral school"),
        choices=[SelectChoice(opinion.value, label) for opinion, label in OPINIONS.items()],
        validators=[DataRequired()],
    )
    comment = TextAreaField(_l("Comment"), validators=[Length(max=4000)])


class RemindForm(FlaskForm):
    """The confirmation of the reminders: nothing to fill, the CSRF token and the scope's filters."""
