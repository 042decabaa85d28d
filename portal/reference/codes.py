"""Shape of research unit codes (UMR7606, UMR 7606, UPR…, EA…, U1234) and their canonical form."""

import re

# Unit types used by French research units; the number follows, with or without a space or dash.
_UNIT_CODE = re.compile(r"^\s*(UMRS|UMR|UPR|UAR|USR|FRE|IRL|ERL|EA|UR|U)\s*-?\s*(\d{3,4})\s*$", re.IGNORECASE)


def is_unit_code(value: str) -> bool:
    return bool(_UNIT_CODE.match(value or ""))


def normalise_unit_code(value: str) -> str:
    """'umr 7606' -> 'UMR7606'. Raises ValueError on anything that is not a unit code."""
    match = _UNIT_CODE.match(value or "")
    if not match:
        raise ValueError(value)
    return f"{match.group(1).upper()}{match.group(2)}"
