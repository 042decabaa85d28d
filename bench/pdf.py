"""Time the page count and the official PDF against a plain WeasyPrint baseline (no pass/fail).

.venv/bin/python bench/pdf.py            # medians over RUNS runs, ratios to the baseline
.venv/bin/python bench/pdf.py --profile  # plus where the time of a cold PDF goes (cProfile)
"""

import cProfile
import gc
import io
import json
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from markdown_it import MarkdownIt  # noqa: E402
from weasyprint import HTML  # noqa: E402

from portal.documents import (  # noqa: E402
    PrintContext,
    measure_description,
    render_proposal_pdf,
    render_with_time_limit,
    stop_worker,
)
from portal.documents.layout import clear_layout_cache  # noqa: E402

RUNS = 7
EXAMPLE = ROOT / "tests" / "documents" / "prd-2021-memorization.json"
TARGETS = {"page count": 0.7, "PDF, cold": 1.2, "PDF after a page count": 0.6}


def median_ms(call, setup=lambda: None, runs=RUNS) -> float:
    samples = []
    for _ in range(runs):
        setup()
        gc.collect()  # the previous run's garbage is not this run's cost
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main() -> None:
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

    def in_worker():
        render_with_time_limit(render_proposal_pdf, content, context=context, figures={}, seconds=30)

    for warm in (baseline, page_count, pdf, in_worker):  # fonts, imports, formula cache, worker
        warm()
    rows = {
        "baseline (markdown-it + WeasyPrint defaults)": median_ms(baseline),
        "page count": median_ms(page_count, setup=clear_layout_cache),
        "PDF, cold": median_ms(pdf, setup=clear_layout_cache),
        "PDF after a page count": median_ms(pdf, setup=count_then_clear),
        "PDF in the worker (its layout cache warm)": median_ms(in_worker, setup=stop_worker_cache),
        "PDF cached download (Flask)": download_ms(),
    }
    base = rows["baseline (markdown-it + WeasyPrint defaults)"]
    print(f"{'measure':46} {'median ms':>10} {'× baseline':>11} {'target':>8}")
    for name, value in rows.items():
        if value is None:
            print(f"{name:46} {'—':>10}  (not measured: see download_ms)")
            continue
        target = TARGETS.get(name)
        print(f"{name:46} {value:10.1f} {value / base:11.2f} {f'≤ {target}' if target else '':>8}")
    stop_worker()
    if "--profile" in sys.argv:
        profile(pdf)


def stop_worker_cache() -> None:
    # The worker keeps its own layout cache; a different text each time would change the work,
    # so the worker's cache is cleared by restarting it only when asked (`--cold-worker`).
    if "--cold-worker" in sys.argv:
        stop_worker()


def download_ms() -> float | None:
    """Hook: the cached download through the Flask test client, once the proposals routes exist."""
    return None


def profile(call) -> None:
    profiler = cProfile.Profile()
    for _ in range(5):
        clear_layout_cache()
        profiler.enable()
        call()
        profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
    stats.print_stats(30)
    print(out.getvalue())


if __name__ == "__main__":
    main()
