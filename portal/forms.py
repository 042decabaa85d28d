"""Form pieces shared by several domains."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import SelectChoice, SelectField

from portal.extensions import db


def optional_id(value) -> int | None:
    if value in (None, "", "None"):
        return None
    return int(value)


class ModelSelectField(SelectField):
    """A select over the rows of a reference table; its data is the chosen row's id (or None).

    Options are read when the form is built, so a row added by an administrator appears at once.
    """

    def __init__(self, label=None, validators=None, *, model, optional=False, order_by=None, **kw):
        self._model = model
        self._optional = optional
        self._order_by = order_by
        super().__init__(
            label,
            validators,
            coerce=optional_id,
            choices=self._load_choices,
            invalid_choice_message=_l("Choose one of the options in the list."),
            **kw,
        )

    def _load_choices(self):
        model = self._model
        order = self._order_by or getattr(model, "acronym", None) or model.id
        rows = db.session.scalars(select(model).order_by(order)).all()
        choices = [SelectChoice(row.id, str(row)) for row in rows]
        if self._optional:
            choices.insert(0, SelectChoice("", _l("— none —")))
        return choices

    def pre_validate(self, form):
        if self.data is None and self._optional:
            return
        super().pre_validate(form)
