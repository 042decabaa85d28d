"""The public catalogue at scale (issue 16): N published subjects on gunicorn and PostgreSQL, its
pages, its search and its 304s measured in the same run as a bare route. Prints figures and each
target's PASS or FAIL. Not a test: no assertion.

.venv/bin/python -m bench.public                      # 2,000 subjects, 8 clients, 8 s per endpoint
.venv/bin/python -m bench.public --subjects 50 --seconds 2      # a quick look

Starts what bench/rush.py starts (bench/rush_stack.py: a new PostgreSQL database, Redis database
13 flushed, gunicorn as in the README's production section, the workers) and removes it after.
Throughput is closed-loop: C clients each send their next request when the last one is answered.
The search's server time is taken one request at a time on the otherwise idle server.
"""

import argparse
import os
import random
import threading
import time
import urllib.parse
from datetime import timedelta

from sqlalchemy import insert, select

from bench.bare_app import BARE_PATH, GUNICORN_APP
from bench.rush_client import Browser, Sample
from bench.rush_data import REFERENCE, setup_app
from bench.rush_stack import Options, Stack
from bench.setup import median_and_p95, print_figures

_SYLLABLES = ("ba", "ké", "ri", "to", "lu", "ma", "so", "né", "vi", "do")
#: 1,000 made-up words of three syllables (some accented), the same for both languages: a word is
#: in about one description in nine, two words together in about one in eighty, as in real texts.
VOCABULARY = [a + b + c for a in _SYLLABLES for b in _SYLLABLES for c in _SYLLABLES]
LANGUAGES = ("fr", "en")
DESCRIPTIONS_PER_LANGUAGE = 20  # distinct texts, each rendered once (the store is keyed by text)


def _text(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(VOCABULARY) for _ in range(count))


def seed(app, count: int) -> tuple[int, list[int]]:
    """`count` subjects published now (the call's policy: every submitted subject after its
    deadline), their descriptions rendered and stored; returns the call's year and their ids."""
    from portal.catalogue.content import public_content
    from portal.catalogue.models import (
        CONSENT_WORDING_VERSION,
        CallPublication,
        PublicationPolicy,
        PublicSubject,
    )
    from portal.db import utcnow
    from portal.extensions import db
    from portal.proposals.description_view import render_and_store, render_key
    from portal.proposals.models import Proposal, ProposalState
    from portal.reference.loader import load_data
    from portal.reference.models import Campaign, CampaignState, DoctoralSchool, Initiative
    from tests import factories
    from tests.factories import complete_content

    rng = random.Random(16)
    with app.app_context():
        load_data(__import__("json").loads(REFERENCE.read_text(encoding="utf-8")))
        now = utcnow()
        campaign = Campaign(
            name="AAP 2021",
            year=2021,
            opens_at=now - timedelta(days=60),
            closes_at=now - timedelta(days=30),
            contact_email="programme@bench.test",
            state=CampaignState.published,
        )
        initiative = db.session.scalar(select(Initiative).where(Initiative.acronym == "SCAI"))
        school = db.session.scalar(select(DoctoralSchool))
        campaign.initiatives = [initiative]
        db.session.add(campaign)
        owner = factories.user("director@bench.test")
        db.session.add(CallPublication(campaign=campaign, policy=PublicationPolicy.all_submitted))
        db.session.flush()
        descriptions = {
            language: [
                f"## Contexte\n\n{_text(rng, 120)}\n\n## Candidater\n\n{_text(rng, 20)}"
                for _ in range(DESCRIPTIONS_PER_LANGUAGE)
            ]
            for language in LANGUAGES
        }
        for texts in descriptions.values():
            for text in texts:
                render_and_store(render_key(text, {}), text, [])
        base = complete_content(initiative=initiative, school=school, email=owner.email)
        proposals = []
        for number in range(count):
            language = "fr" if number % 2 == 0 else "en"
            content = dict(
                base,
                language=language,
                title=f"{_text(rng, 5)} {number}".capitalize(),
                keywords=[_text(rng, 1), _text(rng, 2)],
                description=rng.choice(descriptions[language]),
            )
            proposals.append(
                {
                    "campaign_id": campaign.id,
                    "owner_id": owner.id,
                    "state": ProposalState.submitted,
                    "content": content,
                    "title": content["title"],
                    "initiative_id": initiative.id,
                    "submitted_at": now - timedelta(days=31),
                }
            )
        ids = db.session.scalars(insert(Proposal).returning(Proposal.id), proposals).all()
        for proposal_id, values in zip(ids, proposals, strict=True):
            proposal = db.session.get(Proposal, proposal_id)
            public = public_content(proposal, values["content"])
            db.session.add(
                PublicSubject(
                    proposal=proposal,
                    consent_at=now - timedelta(days=31),
                    consent_wording=CONSENT_WORDING_VERSION,
                    title=public["title"],
                    language=public["language"],
                    content=public,
                    revised_at=now - timedelta(days=31),
                )
            )
        db.session.commit()
        subject_ids = list(db.session.scalars(select(PublicSubject.id)))
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            # As autovacuum would after such a load: statistics, and the GIN index's pending list
            # merged (until then the planner prices the index too high and scans the table).
            connection.exec_driver_sql("VACUUM ANALYZE")
        year = campaign.year
        db.engine.dispose()
    return year, subject_ids


def _search_path(rng: random.Random, words: list[str]) -> str:
    return "/subjects/search?" + urllib.parse.urlencode(
        {"lang": "en", "q": f"{rng.choice(words)} {rng.choice(words)}"}
    )


def _load(base_url: str, paths, *, clients: int, seconds: float, headers=None) -> tuple[float, list[Sample]]:
    """Requests per second of `clients` closed-loop clients for `seconds`, and every sample."""
    samples: list[Sample] = []
    stop = time.perf_counter() + seconds

    def client(number: int) -> None:
        browser, rng = Browser(base_url, "127.0.0.1", samples), random.Random(number)
        while time.perf_counter() < stop:
            path = paths(rng)
            browser.request("GET", "GET", path, headers=headers(path) if headers else None)

    threads = [threading.Thread(target=client, args=(number,)) for number in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(samples) / (time.perf_counter() - started), samples


def run(args) -> dict[str, bool]:
    os.environ["PUBLIC_RATE_LIMIT"] = "1000000 per minute"  # one address sends the whole load
    options = Options(args.web_workers, args.threads, 1, 2, 10, args.redis_db, args.postgres, GUNICORN_APP)
    stack = Stack(options)
    try:
        stack.start_data_services()
        app = setup_app(stack.database_url, stack.environment()["SECRET_KEY"], stack.redis_url)
        started = time.perf_counter()
        year, subject_ids = seed(app, args.subjects)
        print(f"{args.subjects} subjects published in {time.perf_counter() - started:.1f} s")
        stack.start_servers()
        base, pages = stack.base_url, -(-args.subjects // 20)
        probe = Browser(base, "127.0.0.1", [])
        subject = lambda rng: f"/subjects/{year}/{rng.choice(subject_ids)}"  # noqa: E731
        etags = {}
        for number in subject_ids[:200]:
            path = f"/subjects/{year}/{number}"
            etags[path] = probe.request("GET", "GET", path).headers["ETag"]
        cached = list(etags)
        words = VOCABULARY
        runs = {
            "bare route (hello)": dict(paths=lambda rng: BARE_PATH),
            "subject page": dict(paths=subject),
            "call list page": dict(
                paths=lambda rng: f"/subjects/{year}/?lang=en&page={rng.randint(1, pages)}"
            ),
            "search": dict(paths=lambda rng: _search_path(rng, words)),
            "subject page, 304": dict(
                paths=lambda rng: rng.choice(cached), headers=lambda path: {"If-None-Match": etags[path]}
            ),
        }
        rates, errors = {}, {}
        for name, spec in runs.items():
            rate, samples = _load(base, clients=args.clients, seconds=args.seconds, **spec)
            rates[name] = rate
            errors[name] = sum(1 for sample in samples if sample.error)
        rates["bare route, again"], _ = _load(
            base, lambda rng: BARE_PATH, clients=args.clients, seconds=args.seconds
        )
        bare = (rates["bare route (hello)"] + rates["bare route, again"]) / 2
        print(f"\n{'endpoint':<28} {'req/s':>8} {'of bare':>8} {'errors':>7}")
        for name, rate in rates.items():
            print(f"{name:<28} {rate:>8.1f} {rate / bare:>8.0%} {errors.get(name, 0):>7}")
        timings: list[float] = []
        quiet = Browser(base, "127.0.0.1", [])
        rng = random.Random(0)
        for _ in range(args.search_samples):
            clock = time.perf_counter()
            quiet.request("GET", "GET", _search_path(rng, words))
            timings.append((time.perf_counter() - clock) * 1000)
        print()
        print_figures({"search, one at a time": median_and_p95(timings)})
        p95 = median_and_p95(timings)[1]
        verdicts = {
            "subject page >= 50 % of bare": rates["subject page"] >= 0.5 * bare,
            "call list page >= 50 % of bare": rates["call list page"] >= 0.5 * bare,
            "search p95 <= 100 ms": p95 <= 100,
            "304 >= 80 % of bare": rates["subject page, 304"] >= 0.8 * bare,
            "no error": not any(errors.values()),
        }
        print()
        for what, passed in verdicts.items():
            print(f"{'PASS' if passed else 'FAIL'}  {what}")
        return verdicts
    finally:
        stack.stop()
        print(f"(logs of this run: {stack.logs})")


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--subjects", type=int, default=2000, help="published subjects")
    parser.add_argument("--clients", type=int, default=8, help="closed-loop clients at once")
    parser.add_argument("--seconds", type=float, default=8, help="seconds of load per endpoint")
    parser.add_argument("--search-samples", type=int, default=100, help="searches timed one at a time")
    parser.add_argument("--web-workers", "-w", type=int, default=2, help="gunicorn workers (README: 2)")
    parser.add_argument("--threads", type=int, default=8, help="gunicorn threads per worker")
    parser.add_argument("--redis-db", type=int, default=13, help="the Redis database flushed and used")
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@localhost", help="server URL")
    return parser.parse_args()


if __name__ == "__main__":
    run(arguments())
