"""Shape of research unit codes (UMR7606, UMR 7606, UPR…, EA…, UR…, IRL…, U1234) and their
canonical form: the one check every form, file and rule uses."""

import re

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

# Unit types used by French research units; the number follows, with or without a space or dash.
_UNIT_CODE = re.compile(r"^\s*(UMRS|UMR|UPR|UAR|USR|FRE|IRL|ERL|EA|UR|U)\s*-?\s*(\d{3,4})\s*$", re.IGNORECASE)

UNIT_CODE_MESSAGE = _l(
    "Enter a unit code: a unit type (UMR, UPR, EA, UR, IRL…) and its number, such as UMR 7606 or EA 4512."
)


def is_unit_code(value: str) -> bool:
    return bool(_UNIT_CODE.match(value or ""))


def normalise_unit_code(value: str) -> str:
    """'umr 7606' -> 'UMR7606'. Raises ValueError on anything that is not a unit code."""
    match = _UNIT_CODE.match(value or "")
    if not match:
        raise ValueError(value)
    return f"{match.group(1).upper()}{match.group(2)}"


class UnitCode:
    """WTForms validator: a typed code is stored in its canonical form (UMR7606).

    A code of another shape is refused where the form is strict (the profile). The proposal form
    keeps it in the draft, as it keeps everything typed; the submission rules refuse it with the
    same message (proposals/rules.py).
    """

    def __call__(self, form, field) -> None:
        value = (field.data or "").strip()
        if not value:
            return
        if is_unit_code(value):
            field.data = normalise_unit_code(value)
        elif getattr(form, "strict", False):
            raise ValidationError(UNIT_CODE_MESSAGE)
