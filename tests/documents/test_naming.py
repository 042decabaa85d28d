"""The official file name and its Content-Disposition header."""

from email.message import EmailMessage
from urllib.parse import unquote

from werkzeug.http import parse_options_header

from portal.documents import content_disposition, official_filename


def test_official_filename():
    assert official_filename("SCAI", 2021, "Lamprier") == "SCAI – AAP 2021 – LAMPRIER.pdf"
    assert official_filename("SCAI", 2021, "Ménard") == "SCAI – AAP 2021 – MÉNARD.pdf"
    assert official_filename("SCAI", 2021, "Lamprier", ordinal=2) == "SCAI – AAP 2021 – LAMPRIER (2).pdf"
    assert "\u2013" in official_filename("SCAI", 2021, "x")


def test_illegal_characters_are_stripped():
    name = official_filename("IS/CD", "2021", 'de la "Tour"*: <x>|?\\')
    assert not set('/\\:*?"<>|') & set(name)
    # The particles stay in lower case (portal/names.py).
    assert name == "IS CD – AAP 2021 – de la TOUR X.pdf"


def test_content_disposition_round_trip():
    filename = official_filename("SCAI", 2021, "Ménard", ordinal=2)
    header = content_disposition(filename)
    assert header.startswith("attachment; filename=\"SCAI - AAP 2021 - MENARD (2).pdf\"; filename*=UTF-8''")
    assert header.isascii()
    _, options = parse_options_header(header)
    assert options["filename"] == filename
    extended = header.split("filename*=", 1)[1]
    charset, _, encoded = extended.split("'", 2)
    assert charset == "UTF-8" and unquote(encoded, encoding="utf-8", errors="strict") == filename
    message = EmailMessage()
    message["Content-Disposition"] = header
    assert message.get_content_disposition() == "attachment"


HARD_SURNAMES = {
    "Ørsted": "ORSTED",
    "Strauß": "STRAUSS",
    "Œuvray": "OEUVRAY",
    "Łukasiewicz": "LUKASIEWICZ",
    "Dvořák": "DVORAK",
    "Þórsdóttir": "THORSDOTTIR",
    "Ærøskøbing": "AEROSKOBING",
    "İnönü": "INONU",
    "Núñez-García": "NUNEZ-GARCIA",
}


def test_the_ascii_name_transliterates_letters_without_dropping_any():
    for surname, expected in HARD_SURNAMES.items():
        filename = official_filename("SCAI", 2021, surname)
        header = content_disposition(filename)
        assert f'filename="SCAI - AAP 2021 - {expected}.pdf"' in header, header
        # The UTF-8 name stays exact.
        assert unquote(header.split("filename*=UTF-8''", 1)[1]) == filename
