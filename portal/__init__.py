"""PRD Portal: doctoral research project proposals, from submission to decision."""

import logging
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import Config, config_from_environment

TEMPLATES = "../templates"
STATIC = "../static"


def create_app(config_class: type[Config] | None = None) -> Flask:
    app = Flask(__name__, template_folder=TEMPLATES, static_folder=STATIC, instance_relative_config=True)
    app.config.from_object(config_class or config_from_environment())
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY is not set: export SECRET_KEY (see README, 'Configuration').")
    if app.config["PROXY_FIX_HOPS"]:
        hops = app.config["PROXY_FIX_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    register_logging(app)
    register_extensions(app)
    register_blueprints(app)
    register_templates(app)
    register_errors(app)
    register_cli(app)
    return app


def register_logging(app: Flask) -> None:
    if not app.testing:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
        # WeasyPrint logs each stylesheet it parses at INFO: one line per render in every process.
        logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def register_extensions(app: Flask) -> None:
    import email_validator

    # The demo and the tests use addresses under .test (RFC 2606); let the validator accept them.
    if "test" in email_validator.SPECIAL_USE_DOMAIN_NAMES:
        email_validator.SPECIAL_USE_DOMAIN_NAMES.remove("test")
    from flask_babel import lazy_gettext as _l

    from portal import models  # noqa: F401  (every model known to Alembic and the mappers)
    from portal.auth import sessions  # noqa: F401  (the user loader)
    from portal.extensions import babel, csrf, db, limiter, login_manager, migrate
    from portal.i18n import select_locale
    from portal.security import register_security
    from portal.tasks import init_celery

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "pool_size": app.config["DATABASE_POOL_SIZE"],
            "max_overflow": app.config["DATABASE_POOL_OVERFLOW"],
            **app.config["SQLALCHEMY_ENGINE_OPTIONS"],
        }
    db.init_app(app)
    migrations = str(Path(app.root_path).parent / "migrations")
    migrate.init_app(app, db, directory=migrations, compare_type=True, render_as_batch=True)
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    register_security(app)
    init_celery(app)


def register_blueprints(app: Flask) -> None:
    import portal.catalogue.format_routes  # noqa: F401  (the feeds, the JSON export, the sitemap)
    import portal.catalogue.search_routes  # noqa: F401  (the search page)
    from portal.audit.routes import bp as audit_bp
    from portal.auth import bp as auth_bp
    from portal.catalogue import bp as catalogue_bp
    from portal.catalogue import manage_routes, public_bp, public_routes  # noqa: F401  (their routes)
    from portal.dashboards import bp as dashboards_bp
    from portal.exports import bp as exports_bp
    from portal.main import bp as main_bp
    from portal.proposals import bp as proposals_bp
    from portal.reviews import bp as reviews_bp
    from portal.staff import bp as staff_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(proposals_bp)
    app.register_blueprint(reviews_bp)
    app.register_blueprint(exports_bp)
    app.register_blueprint(audit_bp)
    app.register_blueprint(dashboards_bp)
    app.register_blueprint(public_bp)
    app.register_blueprint(catalogue_bp)
    app.register_blueprint(portal.catalogue.site_bp)
    if app.config["DEV_MAILBOX"]:
        from portal.devmail import bp as devmail_bp

        app.register_blueprint(devmail_bp)


def register_templates(app: Flask) -> None:
    from portal.templating import register_template_helpers

    register_template_helpers(app)


def register_errors(app: Flask) -> None:
    from portal.errors import register_error_pages

    register_error_pages(app)


def register_cli(app: Flask) -> None:
    from portal.cli import register_commands

    register_commands(app)
