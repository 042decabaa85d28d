"""Jinja helpers: dates shown in Europe/Paris in the user's language, labels of enums."""

import enum
from datetime import datetime

from flask import Flask
from flask_babel import get_locale
from flask_babel import gettext as _

from portal import labels, names
from portal.auth import tokens
from portal.timezones import local_datetime


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
    app.add_template_filter(names.formal_name, "formal_name")
    app.add_template_filter(names.listed_name, "listed_name")
    app.add_template_filter(cell, "cell")
    app.add_template_global(tokens.lifetime, "link_lifetime")
    app.context_processor(
        lambda: {"current_language": str(get_locale()), "languages": app.config["LANGUAGES"]}
    )
