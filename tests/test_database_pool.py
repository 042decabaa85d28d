"""A web process's PostgreSQL pool holds a connection for each of gunicorn's threads: with fewer,
requests of the deadline hour waited 30 s for a connection and failed (bench/rush.py, N = 64)."""

import re
from pathlib import Path

from config import TestConfig
from portal import create_app
from portal.extensions import db

README = Path(__file__).resolve().parent.parent / "README.md"


def test_the_postgresql_pool_covers_every_thread_of_the_readme_s_web_unit():
    threads = int(re.search(r"gunicorn --workers \d+ --threads (\d+)", README.read_text()).group(1))
    # The engine is made without connecting: no server is needed for this.
    url = "postgresql+psycopg://postgres@localhost/never_connected"
    app = create_app(type("PoolConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url}))
    with app.app_context():
        pool = db.engine.pool
        assert pool.size() + pool._max_overflow >= threads
        assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True
