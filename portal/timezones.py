"""Europe/Paris is the time of the calls; the database keeps UTC; pages show Paris time."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time
from flask_babel import get_locale

PARIS = ZoneInfo("Europe/Paris")


def paris_to_utc(value: datetime) -> datetime:
    """A wall-clock time in Paris (naive) or an aware time, as UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=PARIS)
    return value.astimezone(UTC)


def utc_to_paris(value: datetime) -> datetime:
    return value.astimezone(PARIS)


# Our English readers are academics in Europe: "20 Feb 2027, 23:59" reads better to them than the
# American "Feb 20, 2027, 11:59 PM" that Babel's plain "en" gives.
_DATE_LOCALES = {"en": Locale.parse("en_GB")}


def _date_locale() -> Locale:
    locale = get_locale() or Locale.parse("fr")
    return _DATE_LOCALES.get(str(locale), locale)


def local_datetime(value: datetime | None, format: str = "medium") -> str:
    """A UTC datetime as the reader sees it: Europe/Paris, localised, to the minute.

    `format` is the date's length ("medium": 20 févr. 2027, "long": 20 février 2027); seconds and
    the UTC offset would only add noise for a deadline.
    """
    if value is None:
        return ""
    # A naive value can only come from our own UTC columns or code: it is UTC.
    paris = utc_to_paris(value if value.tzinfo else value.replace(tzinfo=UTC))
    locale = _date_locale()
    return f"{format_date(paris, format, locale=locale)}, {format_time(paris, 'short', locale=locale)}"


def local_time(value: datetime) -> str:
    """The hour and minute of a UTC datetime in Paris, as the reader writes it ("14:02")."""
    paris = utc_to_paris(value if value.tzinfo else value.replace(tzinfo=UTC))
    return format_time(paris, "short", locale=_date_locale())
