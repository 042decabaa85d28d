"""A small real PNG as a proposal's figure."""

import io

from PIL import Image

from portal.documents.figures import prepare_figure
from portal.extensions import db
from portal.proposals.printing import figure_row


def png_bytes(color=(40, 90, 160)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), color).save(buffer, format="PNG")
    return buffer.getvalue()


def add_figure(proposal, name: str) -> None:
    proposal.figures.append(figure_row(prepare_figure(name, png_bytes(), max_bytes=1_000_000)))
    db.session.commit()
