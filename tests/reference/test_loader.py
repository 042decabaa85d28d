"""Reference data from JSON and CSV files: created or updated by key, all or nothing."""

import json

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.reference.codes import is_unit_code, normalise_unit_code
from portal.reference.files import parse_file
from portal.reference.loader import KIND_NAMES, LoadError, load_data
from portal.reference.models import Campaign, CampaignPhase, DoctoralSchool, Initiative, ResearchUnit
from portal.timezones import utc_to_paris

YEAR = {
    "initiatives": [
        {"acronym": "scai", "name": "Sorbonne Center for AI", "contact_email": "scai@example.org"},
        {
            "acronym": "ISCD",
            "name": "Calcul et données",
            "kind": "institute",
            "contact_email": "i@example.org",
        },
    ],
    "doctoral_schools": [
        {
            "number": "ED 130",
            "acronym": "EDITE",
            "name": "EDITE de Paris",
            "contact_email": "edite@example.org",
            "supervision_cap": 300,
        }
    ],
    "research_units": [{"code": "umr 7606", "acronym": "LIP6", "name": "Laboratoire d'informatique"}],
    "campaigns": [
        {
            "year": 2021,
            "opens_at": "2020-12-01T09:00",
            "closes_at": "2021-02-20T23:59",
            "contact_email": "programme@example.org",
            "state": "published",
            "initiatives": ["SCAI", "ISCD"],
        }
    ],
}


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("UMR7606", "UMR7606"),
        ("UMR 7606", "UMR7606"),
        ("upr3251", "UPR3251"),
        ("EA 4567", "EA4567"),
        ("U1234", "U1234"),
    ],
)
def test_unit_codes_of_known_shapes(raw, canonical):
    assert is_unit_code(raw)
    assert normalise_unit_code(raw) == canonical


@pytest.mark.parametrize("raw", ["", "LIP6", "UMR", "7606", "UMR76066", "XYZ1234"])
def test_other_unit_codes_are_refused(raw):
    assert not is_unit_code(raw)


def test_json_file_creates_then_updates(app_context):
    report = load_data(YEAR)
    db.session.commit()
    assert report.created == {"initiatives": 2, "doctoral_schools": 1, "research_units": 1, "campaigns": 1}
    campaign = db.session.scalar(select(Campaign))
    assert campaign.name == "AAP 2021"
    assert [i.acronym for i in campaign.initiatives] == ["ISCD", "SCAI"]
    # 23:59 in Paris in February is 22:59 UTC, and is shown back as 23:59 in Paris.
    assert campaign.closes_at.hour == 22 and utc_to_paris(campaign.closes_at).hour == 23
    assert campaign.phase() is CampaignPhase.closed
    assert db.session.scalar(select(ResearchUnit)).code == "UMR7606"
    assert db.session.scalar(select(DoctoralSchool)).number == "ED130"

    changed = json.loads(json.dumps(YEAR))
    changed["initiatives"][0]["name"] = "Sorbonne Center for Artificial Intelligence"
    report = load_data(changed)
    db.session.commit()
    assert report.updated["initiatives"] == 2 and report.created["initiatives"] == 0
    assert db.session.scalar(select(func.count()).select_from(Initiative)) == 2
    assert db.session.scalar(select(Initiative).where(Initiative.acronym == "SCAI")).name.endswith(
        "Intelligence"
    )


@pytest.mark.parametrize(
    ("kind", "change", "message"),
    [
        ("initiatives", {"contact_email": "not-an-address"}, "valid e-mail"),
        ("doctoral_schools", {"number": "130"}, "ED130"),
        ("doctoral_schools", {"supervision_cap": 50}, "between 100 and 1000"),
        ("research_units", {"code": "LIP6"}, "UMR7606"),
        ("campaigns", {"closes_at": "2020-11-01T00:00"}, "after"),
        ("campaigns", {"initiatives": ["NOPE"]}, "unknown initiative"),
        ("campaigns", {"opens_at": "1st December"}, "date-time"),
        ("campaigns", {"state": "running"}, "one of"),
        ("campaigns", {"ignored_mail_domains": ["cnrs.fr", "not a domain"]}, "is not an e-mail domain"),
        ("campaigns", {"ignored_mail_domains": [f"u{n}.fr" for n in range(21)]}, "At most 20 domains"),
    ],
)
def test_a_bad_row_loads_nothing_and_says_where(app_context, kind, change, message):
    data = json.loads(json.dumps(YEAR))
    data[kind][0].update(change)
    with pytest.raises(LoadError) as error:
        load_data(data)
    db.session.rollback()
    assert message in str(error.value) and f"{KIND_NAMES[kind]}, item 1" in str(error.value)
    assert db.session.scalar(select(func.count()).select_from(Initiative)) == 0


def test_a_call_lists_the_mail_domains_its_conflict_rule_ignores(app_context):
    data = json.loads(json.dumps(YEAR))
    data["campaigns"][0]["ignored_mail_domains"] = ["Sorbonne-Universite.fr", "@cnrs.fr"]
    load_data(data)
    db.session.commit()
    assert db.session.scalar(select(Campaign)).ignored_mail_domains == ["sorbonne-universite.fr", "cnrs.fr"]
    load_data({"initiatives": YEAR["initiatives"]})
    header = "year,opens_at,closes_at,contact_email,initiatives,ignored_mail_domains\n"
    row = "2022,2021-12-01T09:00,2022-02-20T23:59,p@example.org,SCAI,sorbonne-universite.fr; cnrs.fr\n"
    load_data(parse_file("campaigns.csv", (header + row).encode()))
    db.session.commit()
    latest = db.session.scalar(select(Campaign).where(Campaign.year == 2022))
    assert latest.ignored_mail_domains == ["sorbonne-universite.fr", "cnrs.fr"]


def test_csv_files_one_kind_each(app_context):
    units = (
        "\ufeffcode,acronym,name\n"
        "UMR7606,LIP6,Laboratoire d'informatique\n"
        "UMR 7598,LJLL,Jacques-Louis Lions\n"
    )
    load_data(parse_file("units.csv", units.encode()))
    schools = "number,acronym,name,contact_email,in_alliance\nED386,SMPC,Maths,ed386@example.org,non\n"
    load_data(parse_file("schools.csv", schools.encode()))
    db.session.commit()
    assert sorted(db.session.scalars(select(ResearchUnit.code))) == ["UMR7598", "UMR7606"]
    assert db.session.scalar(select(DoctoralSchool)).in_alliance is False


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("data.txt", b"{}", ".json or .csv"),
        ("data.json", b"{not json", "not valid"),
        ("data.csv", b"foo,bar\n1,2\n", "header"),
        ("data.json", "{}".encode("utf-16"), "UTF-8"),
        ("data.json", b'{"people": []}', "keys"),
    ],
)
def test_unreadable_files_are_explained(name, content, message, app_context):
    with pytest.raises(LoadError) as error:
        load_data(parse_file(name, content))
    assert message in str(error.value)


def test_flask_reference_load_command(app_context, runner, tmp_path):
    path = tmp_path / "year.json"
    path.write_text(json.dumps(YEAR), encoding="utf-8")
    result = runner.invoke(args=["reference", "load", str(path)])
    assert result.exit_code == 0, result.output
    assert "campaigns: 1 created" in result.output
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"initiatives": [{"acronym": "X"}]}), encoding="utf-8")
    result = runner.invoke(args=["reference", "load", str(bad)])
    assert result.exit_code == 1 and "Nothing was loaded" in result.output
