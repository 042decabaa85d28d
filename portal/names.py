"""How a person's name is written: one rule for pages, e-mails, the PDF, its metadata and file name.

- A name is shown in the person's own spelling: first name(s), then surname, as typed, spaces
  tidied. No letter changes case, because no rule can guess "McAdam", "DeWitt" or "de Broglie".
- Where a name identifies the person in a list or a document (tables, the school's e-mails, the PDF
  and its author, the file name, whose surname the official instructions put in capitals), the
  surname is in capitals *except its leading particles*, which stay in lower case as French usage
  writes them: "Jean d'ALEMBERT", "Jean de LA FONTAINE", "Johannes van der WAALS",
  "Claude LÉVI-STRAUSS". A particle is recognised only at the start of the surname, only when
  something follows it (so that "Da" or "Van" alone stay a whole surname: "DA"), and only when
  typed in lower case: "De Gaulle" gives "DE GAULLE" (unless the whole surname is in capitals).
- Greetings ("Hello Marie Dubois,") use the person's spelling unchanged.
docs/proposals.md, "Names", gives the same rule with examples.
"""

import re
from collections.abc import Mapping
from typing import Any

_SPACES = re.compile(r"\s+")
# Longest first, so that "de la" wins over "de". An apostrophe particle joins the next word.
_PARTICLES = sorted(
    (
        "d'",
        "de l'",
        "de la",
        "de",
        "du",
        "des",
        "van der",
        "van den",
        "van de",
        "van",
        "von der",
        "von",
        "di",
        "da",
        "del",
        "della",
        "dos",
        "das",
        "ten",
        "ter",
    ),
    key=len,
    reverse=True,
)


def tidy(text: Any) -> str:
    """Spaces collapsed and trimmed; the typographic apostrophe kept as typed."""
    return _SPACES.sub(" ", str(text or "")).strip()


def _particle_length(surname: str) -> int:
    """How many leading characters of `surname` are particles (0 when none).

    A particle is one typed in lower case ("de la Tour"): a capital says the word belongs to the
    surname ("de La Fontaine", "De Gaulle"). A surname typed all in capitals tells nothing, so
    there the particles are recognised whatever their case ("D'ALEMBERT").
    """
    typed = surname.replace("\u2019", "'")
    if typed == typed.upper():
        typed = typed.lower()
    for particle in _PARTICLES:
        if not typed.startswith(particle):
            continue
        rest = surname[len(particle) :]
        if particle.endswith("'"):
            if rest.strip():
                return len(particle)
        elif rest.startswith(" ") and rest.strip():
            return len(particle) + 1
    return 0


def surname_in_capitals(surname: Any) -> str:
    """'d'Alembert' → "d'ALEMBERT", 'de La Fontaine' → 'de LA FONTAINE', 'Lévi-Strauss' → 'LÉVI-STRAUSS'."""
    surname = tidy(surname)
    cut = _particle_length(surname)
    return surname[:cut].lower() + surname[cut:].upper()


def _parts(person: Mapping | Any) -> tuple[str, str]:
    if isinstance(person, Mapping):
        return tidy(person.get("first_name")), tidy(person.get("last_name"))
    return tidy(getattr(person, "first_name", "")), tidy(getattr(person, "last_name", ""))


def spoken_name(person: Mapping | Any) -> str:
    """'Marie Dubois', as the person typed it: greetings."""
    first, last = _parts(person)
    return f"{first} {last}".strip()


def formal_name(person: Mapping | Any) -> str:
    """'Marie DUBOIS', 'Jean d'ALEMBERT': lists, the school's e-mails, the PDF and its author."""
    first, last = _parts(person)
    return f"{first} {surname_in_capitals(last)}".strip()


def listed_name(person: Mapping | Any) -> str:
    """'DUBOIS Marie', 'd'ALEMBERT Jean': a list sorted by surname."""
    first, last = _parts(person)
    return f"{surname_in_capitals(last)} {first}".strip()
