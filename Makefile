# PRD Portal: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
HOST ?= 127.0.0.1
DEV := PORTAL_ENV=development FLASK_APP=wsgi PUBLIC_URL=$${PUBLIC_URL:-http://$(HOST):$(PORT)}

.PHONY: run test test-postgres lint format system-check system-check-test translations assets bench bench-rush bench-public clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: $(BIN)/python requirements.txt
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

system-check:
	@scripts/check-system.sh

system-check-test:
	@scripts/check-system.sh --with-browser

# The demo is loaded once per instance directory; the logins are printed at every start.
INSTANCE := $(or $(PORTAL_INSTANCE_DIR),instance)

run: $(VENV)/.runtime system-check
	$(DEV) $(BIN)/flask db upgrade
	@if [ -f $(INSTANCE)/.demo-loaded ]; then $(DEV) $(BIN)/flask seed-demo --logins-only; \
	else $(DEV) $(BIN)/flask seed-demo && touch $(INSTANCE)/.demo-loaded; fi
	@echo "Serving on http://$(HOST):$(PORT) with its workers and scheduler (Ctrl+C stops them all)"
	$(DEV) HOST=$(HOST) $(BIN)/honcho --procfile Procfile.dev start --port $(PORT)

# One worker per core (pytest-xdist), and the 15 slowest tests named at the end.
PYTEST_RUN := $(BIN)/pytest -n auto --durations=15

test: $(VENV)/.dev system-check-test
	$(PYTEST_RUN)

test-postgres: $(VENV)/.dev
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql+psycopg://postgres@localhost/postgres} \
		$(PYTEST_RUN) -m "not browser"

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

translations: $(VENV)/.dev
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs '.* __pycache__' \
		--add-comments=Translators: --project "PRD Portal" --copyright-holder "PRD Portal" --no-wrap \
		-o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --no-wrap
	$(BIN)/pybabel compile -d translations --statistics

assets: $(VENV)/.runtime
	$(BIN)/python -m portal.documents.web_css > static/css/description.css

bench: $(VENV)/.dev
	$(BIN)/python -m bench.requests
	$(BIN)/python -m bench.auth
	$(BIN)/python -m bench.pdf
	$(BIN)/python -m bench.review
	$(BIN)/python -m bench.exports

# Not in `make bench`: it needs the local PostgreSQL server and Redis (docs/pdf.md, "The deadline hour").
# Other runs: .venv/bin/python -m bench.rush --help (directors, Celery workers, gunicorn threads).
bench-rush: $(VENV)/.dev
	$(BIN)/python -m bench.rush --directors $${RUSH_DIRECTORS:-8,16}

# The public catalogue at scale (docs/public.md, "Bench"): PostgreSQL and Redis on localhost, as bench-rush.
bench-public: $(VENV)/.dev
	$(BIN)/python -m bench.public

clean:
	rm -rf $(VENV) test-artifacts .pytest_cache
