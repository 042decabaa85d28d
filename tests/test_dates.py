"""Dates are shown in Paris time, day first and on a 24-hour clock, in both languages."""

from datetime import UTC, datetime

import pytest

from tests import factories


@pytest.mark.parametrize(
    ("language", "shown"),
    [("en", "20 February 2027, 23:59"), ("fr", "20 février 2027, 23:59")],
)
def test_a_deadline_reads_day_first_in_paris_time(app_context, client, language, shown):
    # 22:59 UTC in winter is 23:59 in Paris.
    factories.campaign(
        2027, closes_at=datetime(2027, 2, 20, 22, 59, tzinfo=UTC), opens_at=datetime(2026, 12, 1, tzinfo=UTC)
    )
    client.sign_in_user(factories.user(locale=language))
    page = client.get("/").get_data(as_text=True)
    assert shown in page
    assert "PM" not in page
