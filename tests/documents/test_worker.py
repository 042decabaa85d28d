"""Renders with a time limit, in the worker process."""

import pytest

from portal.documents import (
    FigureError,
    RenderTimeout,
    measure_description,
    prepare_figure,
    render_proposal_pdf,
    render_with_time_limit,
    start_worker,
)
from portal.documents.worker import RenderFailed


@pytest.fixture(autouse=True)
def warm_worker():
    """A worker ready to render, so that the short time limits stop a layout, not the worker's
    start-up; after a test that stopped it, a new one starts for the next test that renders."""
    assert render_with_time_limit(measure_description, "Warm.", figures={}, seconds=60).page_count == 1
    yield
    start_worker()


def test_runaway_render_is_stopped_and_the_next_one_works(content, context):
    with pytest.raises(RenderTimeout):
        render_with_time_limit(render_proposal_pdf, content, context=context, figures={}, seconds=0.001)
    pdf = render_with_time_limit(render_proposal_pdf, content, context=context, figures={}, seconds=60)
    assert pdf.startswith(b"%PDF-")


def test_pathological_layout_is_stopped(content):
    # A long, wide table: about 10 s to lay out in a warm worker, far beyond a tiny time limit. (A
    # nested list took 0.1 s: it was only ever stopped while the worker was starting up.)
    header = "| " + " | ".join(f"c{column}" for column in range(12)) + " |\n|" + "---|" * 12
    rows = ["| " + " | ".join(f"word{row}{column} text" for column in range(12)) + " |" for row in range(250)]
    text = header + "\n" + "\n".join(rows)
    with pytest.raises(RenderTimeout):
        render_with_time_limit(measure_description, text, figures={}, seconds=0.2)
    assert render_with_time_limit(measure_description, "Short.", figures={}, seconds=60).page_count == 1


def test_errors_come_back_from_the_worker():
    with pytest.raises(FigureError):
        render_with_time_limit(prepare_figure, "plot.png", b"not an image", seconds=60)


def test_a_dead_worker_is_replaced():
    assert render_with_time_limit(measure_description, "One.", figures={}, seconds=60).page_count == 1
    from portal.documents import worker

    dead = worker._worker.process
    dead.kill()
    dead.wait()
    assert render_with_time_limit(measure_description, "Two.", figures={}, seconds=60).page_count == 1
    assert worker._worker.process.pid != dead.pid


def test_a_worker_dying_during_a_render_is_reported():
    from portal.documents import worker

    with pytest.raises(RenderFailed):
        render_with_time_limit(worker.exit_for_tests, seconds=60)
    assert render_with_time_limit(measure_description, "After.", figures={}, seconds=60).page_count == 1


def test_without_a_limit_it_runs_here():
    assert render_with_time_limit(measure_description, "Here.", figures={}, seconds=None).page_count == 1
