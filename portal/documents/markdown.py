"""The description's Markdown to safe HTML, for the web preview and the PDF alike."""

import hashlib
import re
import secrets
from collections.abc import Callable, Iterable
from importlib.metadata import version
from pathlib import Path

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin

from portal.documents.figures import FIGURE_NAME
from portal.documents.math import FormulaBudget, FormulaSource, render_math


def _renderer_version() -> str:
    # What can change the web HTML of a text: this code and the libraries that parse and typeset.
    digest = hashlib.sha256()
    for name in ("markdown.py", "math.py"):
        digest.update((Path(__file__).parent / name).read_bytes())
    for package in ("markdown-it-py", "mdit-py-plugins", "ziamath", "latex2mathml", "nh3"):
        digest.update(f"\0{package}={version(package)}".encode())
    return digest.hexdigest()[:16]


RENDERER_VERSION = _renderer_version()

FigureSource = Callable[[str], str | None]

_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "s", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "sup", "sub", "table", "thead", "tbody", "tr", "th", "td",
    "section", "figure", "figcaption", "span", "div",
}  # fmt: skip
_ATTRIBUTES = {
    "a": {"href", "id", "title"},
    "li": {"id"},
    "ol": {"start"},
    "code": {"class"},
    "pre": {"class"},
}
_CLASSES = {
    "th": {"align-left", "align-center", "align-right"},
    "td": {"align-left", "align-center", "align-right"},
    "sup": {"footnote-ref"},
    "a": {"footnote-backref"},
    "hr": {"footnotes-sep"},
    "section": {"footnotes"},
    "ol": {"footnotes-list"},
    "li": {"footnote-item"},
    "span": {"image-refused"},
    "figure": {"figure"},
}
_SCHEMES = {"http", "https", "mailto"}
_FOOTNOTE_ANCHOR = re.compile(r"^#fn(ref)?[0-9]+(:[0-9]+)?$")
_ALIGN = re.compile(r"^text-align:(left|center|right)$")


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.enable("table").enable("strikethrough")
    md.use(footnote_plugin).use(dollarmath_plugin, allow_labels=False, double_inline=True)
    md.core.ruler.push("prd_figures_and_tables", _mark_figures_and_tables)
    return md


def _mark_figures_and_tables(state) -> None:
    """An image alone in its paragraph is a figure; table alignment becomes a class (no style)."""
    tokens = state.tokens
    for i, token in enumerate(tokens):
        if token.type in ("th_open", "td_open") and "style" in token.attrs:
            match = _ALIGN.match(str(token.attrs.pop("style")))
            if match:
                token.attrSet("class", f"align-{match.group(1)}")
        if token.type != "inline" or not (0 < i < len(tokens) - 1):
            continue
        children = [c for c in token.children or [] if not (c.type == "text" and not c.content.strip())]
        if tokens[i - 1].type == "paragraph_open" and len(children) == 1 and children[0].type == "image":
            tokens[i - 1].hidden = tokens[i + 1].hidden = True
            children[0].meta["figure"] = True


_MD = _markdown()


class _Render:
    """One rendering: trusted fragments (formulas, images) wait behind unguessable placeholders."""

    def __init__(self, figure_src: FigureSource, formula_src: FormulaSource | None = None):
        self.figure_src = figure_src
        self.formula_src = formula_src
        self.nonce = secrets.token_hex(8)
        self.fragments: list[str] = []
        self.budget = FormulaBudget()
        self.renderer = None

    def hold(self, markup: str) -> str:
        self.fragments.append(str(markup))
        return f"PRDX{self.nonce}N{len(self.fragments) - 1}Z"

    def release(self, html: str) -> str:
        pattern = re.compile(rf"PRDX{self.nonce}N([0-9]+)Z")
        return pattern.sub(lambda m: self.fragments[int(m.group(1))], html)

    def math(self, tokens, idx, options, env) -> str:
        token = tokens[idx]
        display = token.type.startswith("math_block") or token.type == "math_inline_double"
        markup = render_math(token.content, display=display, budget=self.budget, src=self.formula_src)
        held = self.hold(markup)
        return f"\n{held}\n" if token.type.startswith("math_block") else held

    def image(self, tokens, idx, options, env) -> str:
        token = tokens[idx]
        src = str(token.attrs.get("src", ""))
        alt = self.renderer.renderInlineAsText(token.children or [], options, env)
        url = None
        if src.startswith("figure:") and FIGURE_NAME.match(src[len("figure:") :]):
            url = self.figure_src(src[len("figure:") :])
        if url is None:
            return self.hold(Markup('<span class="image-refused">[{}]</span>').format(alt or src))
        img = self.hold(Markup('<img src="{}" alt="{}">').format(url, alt))
        if not token.meta.get("figure"):
            return img
        caption = self.renderer.renderInline(token.children or [], options, env)
        return f'<figure class="figure">{img}<figcaption>{caption}</figcaption></figure>\n'


def render_description(
    markdown_text: str, *, figure_src: FigureSource, formula_src: FormulaSource | None = None
) -> Markup:
    """Safe HTML for a description: no raw HTML, only allowed tags, links and images.

    Formulas are inline SVG; given `formula_src` (the print document), `<img>` tags whose URL
    `formula_src(formula)` returns.
    """
    render = _Render(figure_src, formula_src)
    env: dict = {}
    # Never cut: callers check the portal's limits (proposals/limits.py) before rendering.
    tokens = _MD.parse(markdown_text, env)
    html = _render_with(tokens, env, render)
    clean = nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        allowed_classes=_CLASSES,
        url_schemes=_SCHEMES,
        url_relative=lambda url: url if _FOOTNOTE_ANCHOR.match(url) else None,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    # Sanitised above; the released fragments are our own escaped images and ziamath's SVG.
    return Markup(render.release(clean))  # noqa: S704


def web_description(markdown_text: str, *, figure_names: Iterable[str]) -> str:
    """The description's web HTML, each figure an `<img src="figure:NAME">` for the page to point
    to its own URL; a module-level function, so that the render worker can run it."""
    names = frozenset(figure_names)
    return str(
        render_description(markdown_text, figure_src=lambda name: f"figure:{name}" if name in names else None)
    )


_MATH_RULES = ("math_inline", "math_inline_double", "math_block", "math_block_label")


def _render_with(tokens: list[Token], env: dict, render: _Render) -> str:
    # A renderer per call: the rules close over this call's placeholders and budget.
    renderer = type(_MD.renderer)(_MD)
    renderer.rules.update(_MD.renderer.rules)
    for name in _MATH_RULES:
        renderer.rules[name] = render.math
    renderer.rules["image"] = render.image
    render.renderer = renderer
    return renderer.render(tokens, _MD.options, env)
