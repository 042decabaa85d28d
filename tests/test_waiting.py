"""A request's bounded wait for a worker's result (portal/tasks/waiting.py): it finds a result that
appears, gives up at its bound, and looks less often the longer it waits, because at the deadline
hour dozens of requests wait at once in the same web process."""

import time

from portal.tasks.waiting import wait_for


def test_a_result_that_appears_is_returned_at_the_next_look(app_context):
    looks = []

    def look(session):
        looks.append(time.monotonic())
        return "42 pages" if len(looks) == 3 else None

    assert wait_for(look, seconds=5) == "42 pages"
    assert len(looks) == 3


def test_nothing_found_answers_none_at_the_bound_after_few_looks(app_context):
    looks = []
    started = time.monotonic()
    assert wait_for(lambda session: looks.append(time.monotonic()), seconds=2) is None
    # Every 50 ms would be 40 looks; growing pauses make about ten, the last one at the bound.
    assert 5 <= len(looks) <= 12
    assert looks[-1] - started >= 2
    gaps = [later - earlier for earlier, later in zip(looks, looks[1:], strict=False)]
    assert gaps[0] < gaps[-2]
