"""The render time limits, in a real prefork Celery worker process on Redis (issue 13): the soft
limit stops a render and the director reads why next to the page count; a render past the hard
limit has its process killed and replaced, and the director is told as well."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis

from portal.extensions import db
from portal.proposals.measure_models import StoredMeasure
from tests import factories
from tests.databases import worker
from tests.proposals.test_form_pages import edit_path

ROOT = Path(__file__).resolve().parents[2]
# One Redis database per xdist worker (this suite's are 8 to 11).
REDIS_DB = {"gw0": 8, "gw1": 9}.get(worker(), 10)
BROKER = f"redis://localhost:6379/{REDIS_DB}"
SOFT_LIMIT = 0.5
# Well below the slow texts' typesetting time (60 formulas: 9 s on a quiet machine, 25 s on a busy
# one), so that the hard limit, not the machine's speed, decides how the render ends.
HARD_LIMIT = 3.0
# How long the test follows the counter at most: past the hard limit and the replacement of the
# worker process, on a busy machine.
FOLLOW_SECONDS = 120
STOPPED = "The page count could not be made: The document took too long to lay out and was stopped."

pytestmark = pytest.mark.real_commits  # the worker process reads what the test wrote


def slow_table(rows: int) -> str:
    """A long, wide table: within every limit of the text, seconds to lay out (250 rows: about 10 s)."""
    header = "| " + " | ".join(f"c{column}" for column in range(12)) + " |\n|" + "---|" * 12
    lines = [
        "| " + " | ".join(f"word{row}{column} text" for column in range(12)) + " |" for row in range(rows)
    ]
    return header + "\n" + "\n".join(lines)


def slow_formulas(count: int) -> str:
    """`count` different formulas nested 8 levels deep, the most allowed: each about 0.4 s to typeset."""
    formula = "\\sqrt{\\frac{1}{" * 4 + "x + {}" + "}}" * 4
    return "\n\n".join(f"${formula.replace('{}', str(number))}$" for number in range(count))


@pytest.fixture
def config_overrides():
    # The web side publishes to the worker process's Redis, and never waits for it.
    return {"CELERY_BROKER_URL": BROKER, "RENDER_TIME_LIMIT": SOFT_LIMIT, "RENDER_WAIT_SECONDS": 0}


@pytest.fixture
def broker():
    connection = redis.Redis.from_url(BROKER)
    try:
        connection.ping()
    except redis.ConnectionError:
        pytest.skip(f"needs Redis at {BROKER}")
    connection.flushdb()
    yield connection
    connection.flushdb()


class WorkerProcess:
    def __init__(self, app, database_url: str, *, ignore_soft_limit: bool):
        self.celery = app.extensions["celery"]
        self.name = f"prefork-{uuid.uuid4().hex[:8]}@test"
        environment = {
            **os.environ,
            "PRD_TEST_DATABASE_URL": database_url,
            "PRD_TEST_BROKER_URL": BROKER,
            "PRD_TEST_RENDER_TIME_LIMIT": str(SOFT_LIMIT),
        }
        if ignore_soft_limit:
            environment["PRD_TEST_IGNORE_SOFT_LIMIT"] = "1"
            environment["PRD_TEST_RENDER_HARD_TIME_LIMIT"] = str(HARD_LIMIT)
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "tests.prefork_worker",
            "worker",
            "--pool",
            "prefork",
        ]
        command += ["--concurrency", "1", "--queues", "interactive,submission,bulk", "--loglevel", "WARNING"]
        command += ["--hostname", self.name, "--without-gossip", "--without-mingle"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=environment)  # noqa: S603 (our own module)

    def pool(self) -> list[int]:
        """The pids of its pool's processes, once it answers (bounded: it starts in a few seconds)."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "the worker process exited"
            stats = self.celery.control.inspect(destination=[self.name], timeout=1).stats() or {}
            if self.name in stats:
                return stats[self.name]["pool"]["processes"]
        raise AssertionError("the worker process did not answer")

    def replaced(self, pool: list[int]) -> list[int]:
        """Its pool once the pool replaced a process of `pool` (it does so just after the kill)."""
        deadline = time.monotonic() + 60
        while (now := self.pool()) == pool:
            assert time.monotonic() < deadline, "the killed process was not replaced"
            time.sleep(0.2)
        return now

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def start_worker(app, database_url, broker):
    started = []

    def start(**options) -> WorkerProcess:
        started.append(WorkerProcess(app, database_url, **options))
        return started[-1]

    yield start
    for process in started:
        process.stop()


def follow(client, answer: dict) -> dict:
    """Poll as the live counter does, until the answer is no longer "counting"."""
    deadline = time.monotonic() + FOLLOW_SECONDS
    while answer["status"] == "counting":
        assert time.monotonic() < deadline, "still counting"
        time.sleep(0.5)
        answer = client.get(answer["poll"]).json
    return answer


@pytest.fixture
def draft(app_context, client):
    proposal = factories.proposal()
    client.sign_in_user(proposal.owner)
    return proposal


def count(client, proposal, text: str) -> dict:
    response = client.submit(
        f"/proposals/{proposal.id}/preview", {"description": text}, page=edit_path(proposal)
    )
    assert response.status_code in (200, 202)
    return response.json


def test_the_soft_limit_stops_a_render_and_the_director_reads_why(draft, client, start_worker):
    process = start_worker(ignore_soft_limit=False)
    pool = process.pool()
    answer = follow(client, count(client, draft, slow_table(250)))
    assert answer["status"] == "failed" and answer["label"] == STOPPED
    assert db.session.query(StoredMeasure).count() == 0
    # The same process goes on with the next count.
    assert process.pool() == pool
    assert "of 3 pages" in follow(client, count(client, draft, "A short text."))["label"]


def test_a_render_past_the_hard_limit_kills_its_process_which_is_replaced(draft, client, start_worker):
    process = start_worker(ignore_soft_limit=True)
    pool = process.pool()
    # Seconds of typesetting: the hard limit (3 s) kills its process first.
    answer = follow(client, count(client, draft, slow_formulas(60)))
    assert answer["status"] == "failed" and answer["label"] == STOPPED
    assert process.replaced(pool)
    assert "of 3 pages" in follow(client, count(client, draft, "A short text."))["label"]


def test_a_description_whose_rendering_overruns_is_shown_as_its_source(draft, client, start_worker):
    start_worker(ignore_soft_limit=False).pool()
    draft.content = {**draft.content, "description": slow_formulas(60)}
    db.session.commit()
    path = f"/proposals/{draft.id}"
    deadline = time.monotonic() + FOLLOW_SECONDS
    while "being prepared" in (html := client.get(path).get_data(as_text=True)):
        assert time.monotonic() < deadline, "still being prepared"
        time.sleep(0.5)
    assert "This description could not be displayed as formatted text; its source is shown." in html
