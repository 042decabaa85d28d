"""Scale-out (issue 13, point 8): the same batch of page counts taken by one worker process, then
by two, against the same Redis and PostgreSQL, as two machines would run them. Prints figures.

.venv/bin/python -m bench.scale_out --renders 40

Each worker has one render process (`--concurrency 1`), so "two workers" is two processes as on
two one-core machines. Nothing else runs: no web server, no directors. Needs the local
PostgreSQL and Redis, like bench/rush.py.
"""

import argparse
import time

from sqlalchemy import func, select

from bench.rush_data import EXAMPLE, seed, setup_app
from bench.rush_stack import Options, Stack
from portal.auth.models import User
from portal.extensions import db
from portal.proposals import measures
from portal.proposals.measure_models import StoredMeasure
from portal.proposals.models import Proposal


def one_run(workers: int, renders: int, args) -> float:
    """Seconds for `workers` worker processes to measure `renders` different texts."""
    stack = Stack(Options(1, 1, workers, 1, 0, args.redis_db, args.postgres))
    try:
        stack.start_data_services()
        app = setup_app(stack.database_url, stack.environment()["SECRET_KEY"], stack.redis_url)
        directors = seed(app, renders - 1, EXAMPLE)
        stack.start_workers()
        with app.app_context():
            started = time.perf_counter()
            for director in directors:
                proposal = db.session.get(Proposal, director.proposal_id)
                text = f"{proposal.content['description']}\n\nVariant {director.number}."
                measures.ask(proposal, text, db.session.get(User, proposal.owner_id))
                db.session.commit()  # publishes the measure task
            while db.session.scalar(select(func.count()).select_from(StoredMeasure)) < renders:
                if time.perf_counter() - started > args.max_seconds:
                    raise RuntimeError(f"not measured within {args.max_seconds} s: see {stack.logs}")
                db.session.rollback()
                time.sleep(0.1)
            elapsed = time.perf_counter() - started
            db.session.remove()
            db.engine.dispose()
        return elapsed
    finally:
        stack.stop()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--renders", type=int, default=40, help="different texts to measure")
    parser.add_argument("--max-seconds", type=float, default=300)
    parser.add_argument("--redis-db", type=int, default=12)
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@localhost")
    args = parser.parse_args()
    results = {workers: one_run(workers, args.renders, args) for workers in (1, 2)}
    print(f"{'worker processes':<18} {'seconds':>8} {'page counts/s':>14}")
    for workers, seconds in results.items():
        print(f"{workers:<18} {seconds:>8.1f} {args.renders / seconds:>14.2f}")
    print(f"speed-up with two: {results[1] / results[2]:.2f}×")


if __name__ == "__main__":
    main()
