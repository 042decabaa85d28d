"""Fixtures for the documents package: the example proposal, its print context, PDF readers."""

import copy
import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from portal.documents import PrintContext

EXAMPLE = Path("/work/shared/examples/prd-2021-memorization.json")
_FALLBACK = Path(__file__).parent / "prd-2021-memorization.json"


@pytest.fixture(scope="session")
def example_content() -> dict:
    path = EXAMPLE if EXAMPLE.exists() else _FALLBACK
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def content(example_content) -> dict:
    return copy.deepcopy(example_content)


@pytest.fixture(scope="session")
def context() -> PrintContext:
    return PrintContext(
        campaign_year=2021,
        initiative_acronym="SCAI",
        initiative_name="Sorbonne Center for Artificial Intelligence",
        deadline_text="avant le 20 février",
        contact_email="cd_instituts_et_initiatives@listes.upmc.fr",
        director_school_label="ED130 EDITE",
        co_supervisor_school_label="ED130 EDITE",
        submitted_at_text="19 février 2021 à 18:04",
    )


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in reader(pdf).pages)


def link_uris(pdf: bytes) -> list[str]:
    uris = []
    for page in reader(pdf).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                uris.append(str(action["/URI"]))
    return uris


def image_count(pdf: bytes) -> int:
    # WeasyPrint shares one resource dictionary between pages: count distinct images.
    return len({image.data for page in reader(pdf).pages for image in page.images})


def make_png(size=(40, 30), color=(200, 30, 30)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def png_figure():
    from portal.documents import prepare_figure

    return prepare_figure("plot.png", make_png())


def font_names(pdf: bytes) -> set[str]:
    names = set()
    for page in reader(pdf).pages:
        fonts = page["/Resources"].get_object().get("/Font") or {}
        for font in fonts.values():
            # A Type 3 font (the formulas' text layer) has a /Name, not a /BaseFont.
            font = font.get_object()
            names.add(str(font.get("/BaseFont") or font["/Name"]))
    return names
