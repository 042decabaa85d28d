"""Time the page count and the official PDF against a plain WeasyPrint baseline (no pass/fail).

.venv/bin/python -m bench.pdf               # medians over RUNS interleaved rounds, ratios to the baseline
.venv/bin/python -m bench.pdf --runs 15     # more rounds on a busy machine
.venv/bin/python -m bench.pdf --profile     # plus cProfile's top functions of a cold PDF

Every round runs every measure once, in turn, so that a load that comes and goes (other tests on
the machine) weighs on the baseline and on the measures alike; the spread column is the
interquartile range of a measure's rounds, as a percentage of its median. The CPU columns count
this process's CPU time (`time.process_time`), which other processes' load barely changes: on a
busy machine their ratios are the better estimate of the wall-clock ratios of an idle one.
"""

import contextlib
import cProfile
import gc
import io
import json
import os
import pstats
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from markdown_it import MarkdownIt  # noqa: E402
from weasyprint import HTML  # noqa: E402

from portal.documents import (  # noqa: E402
    PrintContext,
    measure_description,
    render_proposal_pdf,
)
from portal.documents.layout import (  # noqa: E402
    clear_layout_cache,
    description_document,
    front_document,
)
from portal.documents.pdf import front_html, write_pdf  # noqa: E402

RUNS = 9
EXAMPLE = ROOT / "tests" / "documents" / "prd-2021-memorization.json"
BASELINE = "baseline (markdown-it + WeasyPrint defaults)"
TARGETS = {
    "page count": 0.7,
    "PDF, cold": 1.2,
    "PDF after a page count": 0.6,
    "PDF cached download (Flask)": 0.05,
}


def nothing() -> None:
    return None


def run_rounds(
    measures: dict[str, tuple[Callable, Callable]], runs: int
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Wall and CPU milliseconds of each measure, `runs` interleaved rounds; setups are not timed."""
    wall: dict[str, list[float]] = {name: [] for name in measures}
    cpu: dict[str, list[float]] = {name: [] for name in measures}
    for _ in range(runs):
        for name, (call, setup) in measures.items():
            setup()
            gc.collect()  # the previous run's garbage is not this run's cost
            started, started_cpu = time.perf_counter(), time.process_time()
            call()
            wall[name].append((time.perf_counter() - started) * 1000)
            cpu[name].append((time.process_time() - started_cpu) * 1000)
    return wall, cpu


def spread(values: list[float]) -> float:
    """Interquartile range over median, in %."""
    if len(values) < 4:
        return 0.0
    q1, _, q3 = statistics.quantiles(values, n=4)
    return 100 * (q3 - q1) / statistics.median(values)


def main() -> None:
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else RUNS
    content = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    context = PrintContext(campaign_year=2021, initiative_acronym="SCAI", director_school_label="ED130 EDITE")
    description = content["description"]
    plain_html = f"<html><body style='font-family: serif'>{MarkdownIt().render(description)}</body></html>"

    def baseline():
        HTML(string=plain_html).write_pdf()

    def page_count():
        measure_description(description, figures={}, language="en")

    def pdf():
        render_proposal_pdf(content, context=context, figures={})

    def count_then_clear():
        clear_layout_cache()
        page_count()

    # The parts of a cold PDF, each alone (the layouts' caches cleared before each).
    front = front_html(content, context, 3)

    def description_layout():
        description_document(description, figures={}, language="en")

    def front_layout():
        front_document(front)

    def joined_layout():
        clear_layout_cache()
        body = description_document(description, figures={}, language="en")
        pages = front_document(front)
        return pages.copy(pages.pages + body.pages)

    joined = joined_layout()

    def write_only_pdf():
        write_pdf(joined)

    download = flask_download()
    for warm in (baseline, page_count, pdf, download):  # fonts, imports, formula cache
        warm()
    measures = {
        BASELINE: (baseline, nothing),
        "page count": (page_count, clear_layout_cache),
        "PDF, cold": (pdf, clear_layout_cache),
        "PDF after a page count": (pdf, count_then_clear),
        "PDF cached download (Flask)": (download, nothing),
        "  cold part: description layout": (description_layout, clear_layout_cache),
        "  cold part: front pages layout": (front_layout, clear_layout_cache),
        "  cold part: write_pdf (PDF/UA)": (write_only_pdf, nothing),
    }
    wall, cpu = run_rounds(measures, runs)
    base, base_cpu = statistics.median(wall[BASELINE]), statistics.median(cpu[BASELINE])
    print(f"{runs} rounds; {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f} at the end")
    print(
        f"{'measure':44} {'wall ms':>8} {'×base':>6} {'spread':>7} {'CPU ms':>8} {'×base':>6} {'target':>7}"
    )
    for name, values in wall.items():
        value, value_cpu = statistics.median(values), statistics.median(cpu[name])
        target = TARGETS.get(name)
        ratios = (value / base, value_cpu / base_cpu)
        mark = ("✔" if max(ratios) <= target else "✘" if min(ratios) > target else "~") if target else ""
        cpu_text = f"{value_cpu:8.1f} {value_cpu / base_cpu:6.2f}"
        print(
            f"{name:44} {value:8.1f} {value / base:6.2f} {spread(values):6.0f}% {cpu_text}"
            f" {f'≤ {target}' if target else '':>7} {mark}"
        )
    if "--profile" in sys.argv:
        profile(pdf)


def flask_download() -> Callable[[], None]:
    """A GET of a submitted proposal's stored PDF through the Flask test client, ready to time.

    The app is built with the test configuration on a temporary SQLite database; the example is
    imported and submitted into an open 2021 call (initiative SCAI, school EDITE), its director
    signed in (Flask-Login's session keys, set through the test client's session), and the PDF
    fetched once: that first GET renders it and stores it in `stored_pdfs` under its content hash.
    The returned call is a later download, served from that table.
    """
    from config import TestConfig
    from portal import create_app
    from portal.extensions import db
    from portal.proposals.interchange import import_document
    from tests import factories

    directory = tempfile.mkdtemp(prefix="prd-bench-")
    database = Path(directory) / "bench.sqlite3"
    config = type(
        "BenchConfig",
        (TestConfig,),
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "MAIL_BACKEND": "log"},
    )
    app = create_app(config)
    with app.app_context():
        db.create_all()
        scai = factories.initiative("SCAI")
        campaign = factories.campaign(2021, open_now=True)
        campaign.initiatives.append(scai)
        db.session.commit()
        factories.doctoral_school("ED130", acronym="EDITE")
        proposal = import_document(json.loads(EXAMPLE.read_text(encoding="utf-8")), submit=True)
        db.session.commit()
        url, user_id = f"/proposals/{proposal.id}/pdf", proposal.owner.get_id()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user_id
        session["_fresh"] = True
    first = client.get(url)
    assert first.status_code == 200 and first.data.startswith(b"%PDF"), first.status_code

    def download() -> None:
        response = client.get(url)
        assert response.status_code == 200 and response.data == first.data
        response.close()

    def cleanup() -> None:
        with contextlib.suppress(OSError):
            database.unlink()
            os.rmdir(directory)

    import atexit

    atexit.register(cleanup)
    return download


def download_ms(runs: int = RUNS) -> float:
    """Median milliseconds of a cached download through the Flask test client (see flask_download)."""
    download = flask_download()
    download()
    return statistics.median(run_rounds({"download": (download, nothing)}, runs)[0]["download"])


def profile(call) -> None:
    """cProfile over 5 cold PDFs (the layouts' caches cleared): top functions, cumulative and own time."""
    profiler = cProfile.Profile()
    for _ in range(5):
        clear_layout_cache()
        profiler.enable()
        call()
        profiler.disable()
    for order, limit, restriction in (("cumulative", 12, r"weasyprint|portal"), ("tottime", 15, "")):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats(order)
        stats.print_stats(*([restriction] if restriction else []), limit)
        text = re.sub(r"/\S*/(site-packages|main)/", "", out.getvalue())
        table = text[text.index("   ncalls") :] if "   ncalls" in text else text
        print(f"by {'own' if order == 'tottime' else order} time:\n{table}")


if __name__ == "__main__":
    main()
