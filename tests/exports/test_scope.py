"""Each staff role exports exactly its own scope, on every route; the selection is one query."""

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook
from sqlalchemy import event

from portal.exports.selection import Filters, selected_ids
from portal.extensions import db

# buffered=True: the body is read within the request's own context (FormClient isolates each
# request); test_downloads.py reads a streamed body as a server does.


def _csv_ids(response) -> list[int]:
    text = response.get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    return sorted(int(row[0]) for row in rows[1:])


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("school_staff", ("first", "third")),
        ("other_school_staff", ()),
        ("programme_staff", ("first", "second")),
        ("admin", ("first", "second", "third")),
    ],
)
def test_each_role_sees_its_own_scope(world, client, who, expected):
    ids = sorted(getattr(world, name).id for name in expected)
    assert sorted(selected_ids(Filters(), user=getattr(world, who))) == ids
    client.sign_in_user(getattr(world, who))
    response = client.get("/exports/proposals.csv", buffered=True)
    assert response.status_code == 200
    assert _csv_ids(response) == ids
    page = client.get("/exports/").get_data(as_text=True)
    assert f"{len(ids)} submitted proposal" in page


def test_filters_narrow_the_scope(world):
    admin = world.admin
    assert selected_ids(Filters(campaign=2031), user=admin) == [world.first.id, world.second.id]
    assert selected_ids(Filters(initiative="EXPB"), user=admin) == [world.third.id]
    assert sorted(selected_ids(Filters(school=world.school.number), user=admin)) == sorted(
        [world.first.id, world.third.id]
    )
    assert selected_ids(Filters(campaign=2031, school=world.school.number), user=admin) == [world.first.id]
    # Programme staff of EXPA filtering on EXPB get nothing: a filter never widens the scope.
    assert selected_ids(Filters(initiative="EXPB"), user=world.programme_staff) == []


def test_selection_is_one_query(world):
    user, filters = world.school_staff, Filters(campaign=2031, initiative="EXPA", school=world.school.number)
    user.staff_school_ids(), user.staff_initiative_ids(), user.is_admin  # the user's own rows, loaded
    expected = [world.first.id]
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        found = selected_ids(filters, user=user)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert found == expected
    assert len(statements) == 1, statements


def test_other_school_gets_empty_files(world, client):
    client.sign_in_user(world.other_school_staff)
    assert _csv_ids(client.get("/exports/proposals.csv", buffered=True)) == []
    response = client.get("/exports/proposals.zip", buffered=True)
    assert response.status_code == 200
    assert zipfile.ZipFile(io.BytesIO(response.get_data())).namelist() == []
    sheet = load_workbook(io.BytesIO(client.get("/exports/proposals.xlsx").get_data())).active
    assert sheet.max_row == 1


def test_scores_only_for_programme_staff_and_admins(world, client):
    client.sign_in_user(world.school_staff)
    header = client.get("/exports/proposals.csv", buffered=True).get_data(as_text=True).splitlines()[0]
    assert "Weighted total" not in header
    client.sign_out()
    client.sign_in_user(world.programme_staff)
    header = client.get("/exports/proposals.csv", buffered=True).get_data(as_text=True).splitlines()[0]
    assert "Weighted total" in header and "Decision" in header


@pytest.mark.parametrize("who", ["school_staff", "programme_staff", "admin"])
def test_dashboard_links_to_the_exports(world, client, who):
    client.sign_in_user(getattr(world, who))
    assert 'href="/exports/"' in client.get("/").get_data(as_text=True)
