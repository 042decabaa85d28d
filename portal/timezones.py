"""Europe/Paris is the time of the calls; the database keeps UTC."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def paris_to_utc(value: datetime) -> datetime:
    """A wall-clock time in Paris (naive) or an aware time, as UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=PARIS)
    return value.astimezone(UTC)


def utc_to_paris(value: datetime) -> datetime:
    return value.astimezone(PARIS)
