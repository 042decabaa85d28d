"""The deadline hour (issue 13): N directors at once on gunicorn, PostgreSQL and Redis; prints figures
per endpoint, what was stored and sent, and each target's PASS or FAIL. Not a test: no assertion.

make bench-rush                                   # N = 8 and 16, the README's units, one worker
.venv/bin/python -m bench.rush --directors 8,16,32,64 --workers 2   # two workers, as two machines
.venv/bin/python -m bench.rush --web-workers 3 --threads 1          # sync gunicorn workers instead

Needs the local PostgreSQL server (a database is created and dropped) and Redis on 127.0.0.1:6379
(one numbered database is flushed before and after; the server itself is left running).
"""

import argparse
import logging
import os
import statistics
import threading
import time
from collections import defaultdict
from email.message import EmailMessage
from pathlib import Path

from bench import cpu
from bench.bare_app import GUNICORN_APP
from bench.rush_client import TIMEOUT, Browser, Sample
from bench.rush_data import EXAMPLE, Director, has_pdf, mail_of, seed, sent_text, setup_app, stored
from bench.rush_director import Rush
from bench.rush_stack import Options, Stack
from bench.setup import median_and_p95, percentile, print_figures

SCHOOL_MESSAGE_LIMIT = 120  # seconds from submission to the school's message, PDF attached


def _address(number: int) -> str:
    """Director n's own loopback address (Linux answers on all of 127.0.0.0/8)."""
    return f"127.0.{1 + number // 250}.{1 + number % 250}"


def run_rush(stack: Stack, directors: list[Director], args) -> tuple[list[Sample], float]:
    """Every director at once (a thread each) and the probes beside them; the samples and the
    rush's wall time."""
    stop, done = threading.Event(), threading.Event()
    rush = Rush(stack.base_url, (args.think_min, args.think_max), stop)
    samples: list[Sample] = []
    probe, *rushing = directors
    threads = [threading.Thread(target=rush.director, args=(d, _address(d.number), samples)) for d in rushing]
    prober = threading.Thread(
        target=rush.probe, args=(Browser(stack.base_url, "127.1.0.1", samples), probe.email, done)
    )
    prober.start()
    timeline = cpu.Timeline(stack.groups())
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    deadline = started + args.max_seconds
    for thread in threads:
        thread.join(max(deadline - time.perf_counter(), 0))
    if any(thread.is_alive() for thread in threads):
        print(f"!! stopped after {args.max_seconds} s: directors still at work stop at their next step")
        stop.set()
        for thread in threads:
            thread.join(TIMEOUT + 5)
    elapsed = time.perf_counter() - started
    cpu.report(timeline.snapshots[0], timeline.stop(), elapsed)
    timeline.report()
    done.set()
    prober.join(TIMEOUT + 5)
    return samples, elapsed


COLUMNS = (("requests", "d"), ("errors", "d"), ("p50", ".0f"), ("p95", ".0f"), ("p99", ".0f"))
COLUMNS += (("max", ".0f"), ("req/s", ".2f"))


def endpoint_table(samples: list[Sample], elapsed: float) -> dict[str, dict]:
    """Per endpoint: requests, errors, p50/p95/p99/max in ms (of the answered requests; max of
    all), requests per second over the rush; printed."""
    by_endpoint: dict[str, list[Sample]] = defaultdict(list)
    for sample in samples:
        by_endpoint[sample.endpoint].append(sample)
    width = max(map(len, by_endpoint)) + 2
    print(f"{'endpoint (times in ms)':<{width}}" + "".join(f"{name:>9}" for name, _kind in COLUMNS))
    table = {}
    for endpoint, rows in by_endpoint.items():
        ordered = sorted(row.seconds * 1000 for row in rows if row.error is None) or [0.0]
        table[endpoint] = figures = {
            "requests": len(rows),
            "errors": sum(row.error is not None for row in rows),
            "p50": statistics.median(ordered),
            "p95": percentile(ordered, 0.95),
            "p99": percentile(ordered, 0.99),
            "max": max(row.seconds * 1000 for row in rows),
            "req/s": len(rows) / elapsed,
        }
        print(f"{endpoint:<{width}}" + "".join(f"{figures[name]:>9{kind}}" for name, kind in COLUMNS))
    errors = defaultdict(int)
    for sample in samples:
        if sample.error:
            errors[f"{sample.endpoint}: {sample.error}"] += 1
    for what, count in sorted(errors.items()):
        print(f"   error x{count}  {what}")
    return table


def wait_for_mail(
    stack: Stack, directors: list[Director], seconds: float
) -> list[tuple[float, EmailMessage]]:
    """The sink's messages once every submitted proposal has its receipt and school message (or
    after `seconds`), with a few seconds more for duplicates to show."""
    deadline = time.monotonic() + seconds
    submitted = [d for d in directors if d.submitted]
    while time.monotonic() < deadline:
        messages = list(zip(stack.sink.received_at, stack.sink.messages, strict=False))
        mails = [mail_of(d, messages) for d in submitted]
        if all(mail.receipts and mail.school for mail in mails):
            break
        time.sleep(1)
    time.sleep(5)
    return list(zip(stack.sink.received_at, stack.sink.messages, strict=False))


def checks(stack: Stack, app, directors: list[Director], args) -> dict[str, bool]:
    """What the rush left: stored submissions, receipts, school messages and their delay; printed."""
    rushing = directors[1:]
    rows = stored(app, rushing)
    messages = wait_for_mail(stack, rushing, args.mail_wait)
    submitted = [d for d in rushing if d.submitted]
    once = [d for d in rushing if rows[d.proposal_id].submitted_revisions == 1]
    last_text = [
        d
        for d in once
        if d.last_text is not None and rows[d.proposal_id].description == sent_text(d.last_text)
    ]
    mails = {d.number: mail_of(d, messages) for d in submitted}
    receipts = [d for d in submitted if len(mails[d.number].receipts) == 1]
    school = [
        d for d in submitted if len(mails[d.number].school) == 1 and has_pdf(mails[d.number].school[0][1])
    ]
    delays = [
        mails[d.number].school[0][0] - rows[d.proposal_id].submitted_at
        for d in school
        if rows[d.proposal_id].submitted_at is not None
    ]
    count = len(rushing)
    print(f"submitted (the director reached the receipt): {len(submitted)}/{count}")
    print(
        f"stored once, with the last text sent:        {len(last_text)}/{count}"
        f"  (once: {len(once)}, more than once: {sum(r.submitted_revisions > 1 for r in rows.values())})"
    )
    print(f"receipt received once:                       {len(receipts)}/{len(submitted)}")
    print(f"school message received once, PDF attached:  {len(school)}/{len(submitted)}")
    if delays:
        figures = {"school message, from its submission": median_and_p95([1000 * d for d in delays])}
        print_figures(figures, heading="waited for")
        print(f"  (longest: {max(delays):.1f} s)")
    return {
        "every submission stored once with its last text": len(last_text) == count,
        "each receipt received once": len(receipts) == count,
        "each school message received once with its PDF": len(school) == count,
        f"each school message within {SCHOOL_MESSAGE_LIMIT} s": len(delays) == count
        and max(delays) <= SCHOOL_MESSAGE_LIMIT,
    }


def targets(table: dict[str, dict], samples: list[Sample]) -> dict[str, bool]:
    def p(endpoint: str, key: str) -> float:
        return table.get(endpoint, {}).get(key, float("inf"))

    requests = [s for s in samples if s.endpoint not in ("page count to director", "draft PDF to director")]
    return {
        "0 errors": not any(s.error for s in samples),
        "autosave p99 <= 500 ms": p("POST autosave", "p99") <= 500,
        "edit page p99 <= 500 ms": p("GET edit page", "p99") <= 500,
        "receipt p99 <= 500 ms": p("GET receipt", "p99") <= 500,
        "submit p99 <= 1 s": p("POST submit", "p99") <= 1000,
        "page count to director p95 <= 5 s": p("page count to director", "p95") <= 5000,
        "no request > 5 s": max((s.seconds for s in requests), default=0) <= 5,
    }


def one_run(count: int, args) -> dict[str, bool]:
    options = Options(
        args.web_workers,
        args.threads,
        args.workers,
        args.concurrency,
        args.nice,
        args.redis_db,
        args.postgres,
        GUNICORN_APP,
    )
    stack = Stack(options)
    serving = f"gunicorn -w {args.web_workers}" + (f" --threads {args.threads}" if args.threads > 1 else "")
    background = (
        f"{args.workers} interactive worker(s) × {args.concurrency} process(es), nice {args.nice}; "
        "submission and bulk workers; beat"
    )
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"\n=== {count} directors; {serving}; {background}; load average before {load}")
    try:
        stack.start_data_services()
        app = setup_app(stack.database_url, stack.environment()["SECRET_KEY"], stack.redis_url)
        directors = seed(app, count, args.example)
        stack.start_servers()
        samples, elapsed = run_rush(stack, directors, args)
        print(f"rush: {elapsed:.1f} s, {len(samples)} samples")
        table = endpoint_table(samples, elapsed)
        verdicts = {**targets(table, samples), **checks(stack, app, directors, args)}
        for what, passed in verdicts.items():
            print(f"{'PASS' if passed else 'FAIL'}  {what}")
        with app.app_context():
            from portal.extensions import db

            db.engine.dispose()
        return verdicts
    finally:
        stack.stop()
        print(f"(logs of this run: {stack.logs})")


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--directors", default="8,16", help="directors at once, one run each: 8,16,32,64")
    parser.add_argument(
        "--workers", type=int, default=1, help="Celery workers on the interactive queue, as machines"
    )
    parser.add_argument(
        "--concurrency", type=int, default=2, help="render processes per Celery worker (README: 2, the cores)"
    )
    parser.add_argument(
        "--nice", type=int, default=10, help="the workers' CPU niceness (README: 10; 0: none)"
    )
    parser.add_argument("--web-workers", "-w", type=int, default=2, help="gunicorn workers (README: 2)")
    parser.add_argument("--threads", type=int, default=32, help="gunicorn threads per worker (1: sync)")
    parser.add_argument("--think-min", type=float, default=0.2, help="shortest think time, seconds")
    parser.add_argument("--think-max", type=float, default=1.0, help="longest think time, seconds")
    parser.add_argument("--max-seconds", type=float, default=240, help="each rush stops after this long")
    parser.add_argument("--mail-wait", type=float, default=180, help="longest wait for the outbox, seconds")
    parser.add_argument("--example", type=Path, default=EXAMPLE, help="the prd/1 draft of every director")
    parser.add_argument("--redis-db", type=int, default=12, help="the Redis database flushed and used")
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@localhost", help="server URL")
    args = parser.parse_args()
    args.directors = [int(n) for n in args.directors.split(",")]
    return args


def main() -> None:
    args = arguments()
    # The app's logging (INFO) would print every SMTP command of the sink.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    summary = {count: one_run(count, args) for count in args.directors}
    print("\n=== targets")
    names = list(next(iter(summary.values())))
    for name in names:
        print(f"{name:<50} " + " ".join(f"N={n}:{'PASS' if v[name] else 'FAIL'}" for n, v in summary.items()))


if __name__ == "__main__":
    main()
