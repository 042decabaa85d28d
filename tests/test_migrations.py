"""The committed migrations build exactly the schema the models describe (SQLite and PostgreSQL)."""

from datetime import UTC, datetime

import pyotp
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from portal import create_app
from portal.auth import totp
from portal.auth.models import User
from portal.catalogue.search_index import not_in_models
from portal.db import UTCDateTime
from portal.extensions import db
from tests.conftest import create_database, drop_database, make_config


def test_migrations_match_the_models(mail_server):
    url = create_database("prd_migrations")
    try:
        app = create_app(make_config(url, mail_server.port))
        with app.app_context():
            upgrade()
            with db.engine.connect() as connection:
                context = MigrationContext.configure(
                    connection,
                    opts={"compare_type": True, "render_as_batch": True, "include_name": not_in_models},
                )
                differences = compare_metadata(context, db.metadata)
            assert differences == []

            downgrade(revision="base")
            assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
            db.engine.dispose()
    finally:
        drop_database(url)


def test_enrolled_seeds_survive_the_encryption_migration(mail_server):
    url = create_database("prd_migrations")
    try:
        app = create_app(make_config(url, mail_server.port))
        with app.app_context():
            upgrade(revision="aade27a0b523")  # seeds were stored in clear then
            seed = pyotp.random_base32()
            users = sa.table(
                "users",
                *(sa.column(name) for name in ("email", "disabled", "session_version", "hdr", "totp_secret")),
                *(sa.column(name) for name in ("last_name", "first_name", "title", "address")),
                sa.column("created_at", UTCDateTime()),
                sa.column("updated_at", UTCDateTime()),
            )
            now = datetime.now(UTC)
            db.session.execute(
                users.insert().values(
                    email="a@example.org", disabled=False, session_version=1, hdr=False, totp_secret=seed,
                    last_name="", first_name="", title="", address="", created_at=now, updated_at=now,
                )
            )  # fmt: skip
            db.session.commit()

            upgrade()
            user = db.session.scalar(sa.select(User))
            assert seed not in user.totp_secret_sealed
            assert totp.secret_of(user) == seed
            db.session.remove()
            db.engine.dispose()
    finally:
        drop_database(url)
