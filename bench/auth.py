"""Sign-up and forgot-password, for an address with an account and for one without: the two answers
must take the same time, or their time tells who has an account (docs/security.md, "enumeration").

Production's Argon2id cost, e-mails delivered to a local SMTP sink (tests/mailsink.py), the two
paths of each page taken in turn. Prints the median and p95 of each path (no pass/fail).
make bench   # or: .venv/bin/python -m bench.auth
"""

import time
from itertools import count

from argon2 import PasswordHasher

from bench.setup import bench_app, median_and_p95, print_figures
from portal.extensions import db
from tests import factories
from tests.mailsink import MailSink

ROUNDS = 25
_PRODUCTION_COST = PasswordHasher()


def _alternate(first, second) -> tuple[list[float], list[float]]:
    """Time both calls in turn, so that any drift of the machine weighs on both alike."""
    times = ([], [])
    for _ in range(ROUNDS):
        for call, samples in zip((first, second), times, strict=True):
            started = time.perf_counter()
            status = call()
            samples.append((time.perf_counter() - started) * 1000)
            assert status == 200, status
    return times


def main() -> None:
    sink = MailSink()
    sink.start()
    app = bench_app(
        "auth",
        MAIL_PORT=sink.port,
        PASSWORD_HASH_TIME_COST=_PRODUCTION_COST.time_cost,
        PASSWORD_HASH_MEMORY_COST=_PRODUCTION_COST.memory_cost,
        PASSWORD_HASH_PARALLELISM=_PRODUCTION_COST.parallelism,
        RATELIMIT_ENABLED=False,  # the same check on both paths; it would stop the rounds
        WTF_CSRF_ENABLED=False,
    )
    with app.app_context():
        factories.user("taken@bench.test")
        db.session.commit()
    client = app.test_client()
    numbers = count()
    form = {"first_name": "Bench", "last_name": "User", "password": "a bench passphrase"}
    form["confirm"] = form["password"]

    def sign_up(email):
        return client.post("/account/sign-up", data={**form, "email": email}).status_code

    def forgot(email):
        return client.post("/account/forgot-password", data={"email": email}).status_code

    figures = {}
    for page, (taken, fresh) in {
        "sign-up": _alternate(
            lambda: sign_up("taken@bench.test"), lambda: sign_up(f"new{next(numbers)}@bench.test")
        ),
        "forgot-password": _alternate(
            lambda: forgot("taken@bench.test"), lambda: forgot("nobody@bench.test")
        ),
    }.items():
        figures[f"POST {page}, address with an account"] = median_and_p95(taken)
        figures[f"POST {page}, address without one"] = median_and_p95(fresh)
    sink.stop()

    print_figures(figures, "what (production Argon2id cost)")
    print(f"{len(sink.messages)} e-mails delivered for {4 * ROUNDS} requests")


if __name__ == "__main__":
    main()
