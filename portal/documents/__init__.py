"""Proposal documents: Markdown and math to HTML, print layout and page measure, the official PDF.

Works from plain `prd/1` dictionaries; knows nothing of the database models.
"""

from portal.documents.errors import DescriptionTooLong, DocumentError, FigureError, RenderTimeout
from portal.documents.figures import MAX_FIGURE_BYTES, MAX_FIGURE_PIXELS, FigureImage, prepare_figure
from portal.documents.hashing import TEMPLATE_VERSION, content_hash
from portal.documents.layout import PageMeasure, measure_description
from portal.documents.limits import DescriptionLimits, limit_problem
from portal.documents.markdown import RENDERER_VERSION, render_description, web_description
from portal.documents.math import MAX_FORMULA_CHARS, MAX_FORMULAS, math_css
from portal.documents.naming import content_disposition, official_filename
from portal.documents.pdf import PrintContext, render_proposal_pdf

__all__ = [
    "MAX_FIGURE_BYTES",
    "MAX_FIGURE_PIXELS",
    "MAX_FORMULAS",
    "MAX_FORMULA_CHARS",
    "RENDERER_VERSION",
    "TEMPLATE_VERSION",
    "DescriptionLimits",
    "DescriptionTooLong",
    "DocumentError",
    "FigureError",
    "FigureImage",
    "PageMeasure",
    "PrintContext",
    "RenderTimeout",
    "content_disposition",
    "content_hash",
    "math_css",
    "limit_problem",
    "measure_description",
    "official_filename",
    "prepare_figure",
    "render_description",
    "render_proposal_pdf",
    "web_description",
]
