"""The preview's stylesheet is generated; a stale copy would misplace formulas in the preview."""

from pathlib import Path

from portal.documents.web_css import STATIC_PATH, description_stylesheet


def test_the_static_description_stylesheet_is_current():
    path = Path(__file__).resolve().parents[2] / STATIC_PATH
    assert path.read_text(encoding="utf-8") == description_stylesheet(), "run `make assets`"
