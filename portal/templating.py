"""Jinja helpers: dates shown in Europe/Paris in the user's language, labels of enums."""

import enum
from datetime import datetime

from flask import Flask
from flask_babel import format_date, format_time, get_locale
from flask_babel import gettext as _

from portal import labels
from portal.auth import tokens


def local_datetime(value: datetime | None, format: str = "medium") -> str:
    """A UTC datetime as the reader sees it: Europe/Paris, localised, to the minute.

    `format` is the date's length ("medium": 20 févr. 2027, "long": 20 février 2027); seconds and
    the UTC offset would only add noise for a deadline.
    """
    if value is None:
        return ""
    return f"{format_date(value, format)}, {format_time(value, 'short')}"


def cell(value) -> str:
    """Any column value as a table cell shows it."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return local_datetime(value)
    if isinstance(value, enum.Enum):
        return labels.label(value)
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    return str(value)


def register_template_helpers(app: Flask) -> None:
    app.add_template_filter(local_datetime, "datetime")
    app.add_template_filter(labels.label, "label")
    app.add_template_filter(cell, "cell")
    app.add_template_global(tokens.lifetime, "link_lifetime")
    app.context_processor(
        lambda: {"current_language": str(get_locale()), "languages": app.config["LANGUAGES"]}
    )
