"""Renders with a time limit, in the worker process."""

import pytest

from portal.documents import (
    DescriptionTooLong,
    RenderTimeout,
    measure_description,
    render_proposal_pdf,
    render_with_time_limit,
    stop_worker,
)
from portal.documents.worker import RenderFailed


@pytest.fixture(autouse=True)
def fresh_worker():
    stop_worker()
    yield
    stop_worker()


def test_runaway_render_is_stopped_and_the_next_one_works(content, context):
    with pytest.raises(RenderTimeout):
        render_with_time_limit(render_proposal_pdf, content, context=context, figures={}, seconds=0.001)
    pdf = render_with_time_limit(render_proposal_pdf, content, context=context, figures={}, seconds=60)
    assert pdf.startswith(b"%PDF-")


def test_pathological_layout_is_stopped(content):
    # A long, deeply nested list: slow to lay out, far beyond a tiny time limit.
    text = "\n".join("  " * min(depth, 20) + f"- item {depth} " + "word " * 30 for depth in range(200))
    with pytest.raises(RenderTimeout):
        render_with_time_limit(measure_description, text, figures={}, seconds=0.2)
    assert render_with_time_limit(measure_description, "Short.", figures={}, seconds=60).page_count == 1


def test_errors_come_back_from_the_worker():
    with pytest.raises(DescriptionTooLong):
        render_with_time_limit(measure_description, "x" * 100_000, figures={}, seconds=60)


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
