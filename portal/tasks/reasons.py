"""Why a piece of work failed, stored untranslated and translated where it is read.

A task runs on a worker, without the reader's language: a reason written there in words would
reach a French director in English. So a translatable reason (a lazy message, with its values) is
stored as its message id and values, and `readable` translates it in the language of the page or
e-mail that shows it. Any other text (an unexpected error's) is stored and shown as it is.
"""

import json

from flask_babel import gettext, ngettext
from flask_babel.speaklater import LazyString

_TRANSLATORS = {"gettext": gettext, "ngettext": ngettext}


def storable(reason) -> str:
    """The text to store for `reason`: a lazy message as JSON, anything else as its text."""
    translator = getattr(reason, "_func", None)
    if isinstance(reason, LazyString) and getattr(translator, "__name__", None) in _TRANSLATORS:
        # Flask-Babel's lazy strings keep the call they will make: its message ids and values.
        values = {name: _plain(value) for name, value in reason._kwargs.items()}
        return json.dumps({"message": translator.__name__, "args": list(reason._args), "values": values})
    return str(reason)


def _plain(value):
    return value if isinstance(value, int | float) else str(value)


def readable(stored: str | None) -> str:
    """The stored reason in the reader's language (the text itself when it is not a message)."""
    if not stored or not stored.startswith('{"message"'):
        return stored or ""
    try:
        found = json.loads(stored)
        return _TRANSLATORS[found["message"]](*found["args"], **found["values"])
    except (ValueError, KeyError, TypeError):
        return stored
