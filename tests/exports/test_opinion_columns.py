"""The doctoral school's opinion in the CSV and the XLSX for every role; scores for programme staff only."""

import csv
import io
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from portal.dashboards.models import Opinion, SchoolOpinion
from portal.extensions import db
from portal.reviews.models import Decision, Outcome
from portal.reviews.services import committee_of
from tests.conftest import FormClient

SCORES = ["Weighted total", "Reviews", "Rank", "Decision"]
OPINION = ["School opinion", "School opinion – comment", "School opinion – given by"]
WHEN = "School opinion – date (Paris time)"


@pytest.fixture
def opinion(world):
    """A reserved opinion on `first`, given in winter (Paris = UTC + 1), and a decision on it."""
    world.school_staff.first_name, world.school_staff.last_name = "Irène", "Joliot"
    row = SchoolOpinion(
        proposal_id=world.first.id,
        opinion=Opinion.reserved,
        comment="=Funding unclear",
        author_id=world.school_staff.id,
    )
    db.session.add(row)
    db.session.flush()
    row.updated_at = datetime(2031, 1, 15, 9, 30, tzinfo=UTC)
    committee_of(campaign=world.call, initiative=world.initiative_a)
    db.session.add(
        Decision(proposal_id=world.first.id, rank=1, outcome=Outcome.funded, decided_by_id=world.admin.id)
    )
    db.session.commit()
    return row


def _csv(client) -> dict[int, dict[str, str]]:
    response = client.get("/exports/proposals.csv", buffered=True)
    assert response.status_code == 200
    header, *rows = csv.reader(io.StringIO(response.get_data(as_text=True).removeprefix("\ufeff")))
    return {int(row[0]): dict(zip(header, row, strict=True)) for row in rows}


def _xlsx(client) -> dict[int, dict[str, object]]:
    response = client.get("/exports/proposals.xlsx", buffered=True)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    header, *rows = sheet.iter_rows(values_only=True)
    return {row[0]: dict(zip(header, row, strict=True)) for row in rows}


@pytest.mark.parametrize("who", ["school_staff", "programme_staff", "admin"])
def test_every_exporting_role_gets_the_opinion_in_the_csv(world, opinion, client, who):
    client.sign_in_user(getattr(world, who))
    row = _csv(client)[world.first.id]
    assert [row[title] for title in OPINION] == ["Reserved", "'=Funding unclear", "Irène Joliot"]
    assert row[WHEN] == "2031-01-15 10:30"  # Paris time


def test_the_xlsx_has_the_opinion_columns(world, opinion, client):
    client.sign_in_user(world.programme_staff)
    rows = _xlsx(client)
    row = rows[world.first.id]
    assert [row[title] for title in OPINION] == ["Reserved", "=Funding unclear", "Irène Joliot"]
    assert row[WHEN] == datetime(2031, 1, 15, 10, 30)
    assert all(rows[world.second.id][title] is None for title in [*OPINION, WHEN])


def test_programme_staff_get_the_committee_columns(world, opinion, client):
    client.sign_in_user(world.programme_staff)
    row = _xlsx(client)[world.first.id]
    assert row["Decision"] == "Funded" and row["Rank"] == 1 and row["Reviews"] == 0
    assert _csv(client)[world.first.id]["Decision"] == "Funded"


def test_school_staff_exports_have_no_scores(world, opinion, client):
    client.sign_in_user(world.school_staff)
    for rows in (_csv(client), _xlsx(client)):
        row = rows[world.first.id]
        assert not set(SCORES) & set(row)
        assert "Funded" not in {str(value) for value in row.values()}
        assert row["School opinion"] == "Reserved"


def test_the_opinion_in_french(world, opinion, app):
    client = FormClient(app.test_client(), language="fr")
    client.sign_in_user(world.school_staff)
    row = _xlsx(client)[world.first.id]
    assert row["Avis de l’ED"] == "Réservé"
    assert row["Avis de l’ED – date (heure de Paris)"] == datetime(2031, 1, 15, 10, 30)
