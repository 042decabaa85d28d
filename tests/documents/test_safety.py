"""Nothing outside the bundled assets and the proposal's own figures reaches a PDF."""

import html.parser
import http.server
import secrets
import threading

import pytest

from portal.documents import render_description, render_proposal_pdf
from portal.documents.fetcher import FetchRefused, SafeURLFetcher
from portal.documents.layout import render_html
from tests.documents.conftest import pdf_text, reader

SVG_NS = "http://www.w3.org/2000/svg"


class _Recorder(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        self.server.requests.append(self.path)
        body = self.server.canary_svg.encode()
        self.send_response(200)
        self.send_header("Content-Type", "image/svg+xml")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    httpd.requests = []
    httpd.canary_svg = '<svg xmlns="http://www.w3.org/2000/svg"><text y="10">SERVEDCANARY</text></svg>'
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def canary(tmp_path):
    """Files on disk whose unique text must never show in a PDF."""
    word = "CANARY" + secrets.token_hex(6).upper()
    files = {
        "svg": f'<svg xmlns="{SVG_NS}" width="200" height="20"><text y="15">{word}</text></svg>',
        "css": f'body::before {{ content: "{word}"; }}',
        "txt": word,
    }
    paths = {}
    for kind, text in files.items():
        path = tmp_path / f"canary.{kind}"
        path.write_text(text)
        paths[kind] = path.as_uri()
    return word, paths


def hostile_html(base: str, files: dict) -> str:
    """Every way an HTML document can make WeasyPrint load something."""
    links = []
    for url in (f"{base}/img.svg", files["svg"]):
        links += [
            f'<img src="{url}" alt="">',
            f'<link rel="attachment" href="{url}">',
            f'<div style="background: url({url}); height: 2cm"></div>',
            f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" '
            f'height="20"><image href="{url}" width="100" height="20"/><image xlink:href="{url}"/></svg>',
            f'<object data="{url}"></object><embed src="{url}"><iframe src="{url}"></iframe>',
        ]
    css = (
        f'@import url("{base}/a.css"); @import url("{files["css"]}");'
        f'@font-face {{ font-family: X; src: url("{base}/f.ttf"); }}'
        f'@font-face {{ font-family: Y; src: url("{files["svg"]}"); }}'
        f'p {{ font-family: X, Y; list-style-image: url("{base}/l.png"); }}'
    )
    return (
        f'<html><head><link rel="stylesheet" href="{base}/s.css">'
        f'<link rel="stylesheet" href="{files["css"]}">'
        f"<style>{css}</style></head><body><p>visible</p>{''.join(links)}"
        f'<p style="background-image: url({files["svg"]})">end</p></body></html>'
    )


def test_weasyprint_fetches_nothing_through_any_html_vector(server, canary):
    word, files = canary
    base = f"http://127.0.0.1:{server.server_port}"
    document = render_html(hostile_html(base, files), figures={})
    pdf = document.write_pdf()
    text = pdf_text(pdf)
    assert "visible" in text
    assert word not in text and "SERVEDCANARY" not in text
    assert word.encode() not in pdf
    assert not reader(pdf).attachments
    assert server.requests == []
    refused = set(document.url_fetcher.refused)
    assert any(url.startswith("http://127.0.0.1") for url in refused)
    for kind in ("svg", "css"):
        assert files[kind] in refused


def test_the_server_would_be_reached_by_weasyprint_own_fetcher(server):
    """The recorder works: without our fetcher, WeasyPrint does fetch the URL."""
    from weasyprint import HTML

    HTML(string=f'<img src="http://127.0.0.1:{server.server_port}/img.svg">').render()
    assert server.requests == ["/img.svg"]


def test_markdown_images_links_and_smuggled_html_reach_nothing(server, canary, content, context):
    word, files = canary
    base = f"http://127.0.0.1:{server.server_port}"
    content["description"] = (
        f"Intro.\n\n![remote]({base}/a.png)\n\n![local]({files['svg']})\n\n"
        f"![figure that does not exist](figure:../../etc/passwd)\n\n"
        f"Inline ![x]({base}/b.png) and [a file link]({files['txt']}).\n\n"
        f'<img src="{base}/c.png"><link rel="attachment" href="{files["txt"]}">\n\n'
        f"<style>@import url({base}/d.css); body {{ background: url({files['svg']}) }}</style>\n\n"
        f'<svg><image href="{base}/e.png"/></svg> <object data="{files["svg"]}"></object>\n\n'
        f"$$\\href{{{base}/f}}{{x}}$$\n\nEnd."
    )
    pdf = render_proposal_pdf(content, context=context, figures={})
    text = pdf_text(pdf)
    assert "Intro." in text and "End." in text
    assert word not in text and "SERVEDCANARY" not in text
    assert server.requests == []
    assert not reader(pdf).attachments
    assert not any(page.images for page in reader(pdf).pages)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.png",
        "https://example.org/x.png",
        "ftp://example.org/x",
        "file:///etc/passwd",
        "data:image/svg+xml,<svg/>",
        "prd-asset:../../config.py",
        "prd-asset:fonts/../../__init__.py",
        "prd-asset:/etc/passwd",
        "figure:../secret",
        "figure:missing.png",
        "FILE:///etc/passwd",
        "javascript:alert(1)",
    ],
)
def test_fetcher_refuses(url, canary):
    fetcher = SafeURLFetcher(figures={})
    with pytest.raises(FetchRefused):
        fetcher.fetch(url)
    with pytest.raises(FetchRefused):
        fetcher(url)


def test_fetcher_serves_bundled_fonts_and_own_figures(png_figure):
    fetcher = SafeURLFetcher(figures={"plot.png": png_figure})
    font = fetcher.fetch("prd-asset:fonts/LiberationSerif-Regular.ttf")
    assert font.read(4) == b"\x00\x01\x00\x00"
    figure = fetcher.fetch("figure:plot.png")
    assert figure.read() == png_figure.data and figure.content_type == "image/png"


class _Elements(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))


def parse(markup: str) -> list:
    parser = _Elements()
    parser.feed(markup)
    return parser.elements


def test_preview_html_is_sanitised():
    html = render_description(
        "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n"
        "[click](javascript:alert(1)) [data](data:text/html,<script>alert(1)</script>) "
        '[vb](vbscript:msgbox) <a href="javascript:alert(1)" onclick="x">a</a> '
        "[ok](https://example.org) [mail](mailto:a@b.org) [rel](/admin) [^1]\n\n"
        '![x" onerror="alert(1)](figure:plot.png)\n\n[^1]: note',
        figure_src=lambda name: f"/figures/{name}",
    )
    elements = parse(str(html))
    tags = {tag for tag, _ in elements}
    assert "script" not in tags and "img" in tags
    for tag, attributes in elements:
        for name, value in attributes:
            assert not name.startswith("on"), (tag, name)
            if name in ("href", "src"):
                assert value.startswith(("https:", "mailto:", "#fn", "/figures/")), (tag, name, value)
    assert 'href="https://example.org"' in html and 'href="mailto:a@b.org"' in html
    assert 'href="/admin"' not in html
    assert 'href="#fn1"' in html
    assert '<img src="/figures/plot.png" alt="x&#34; onerror=&#34;alert(1)">' in html
