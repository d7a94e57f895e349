# The project's two commands: `make run` and `make test`. Both create .venv and install
# everything the project needs from its own requirement files; nothing else is required.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
REQS := requirements.txt requirements-dev.txt
STAMP := $(VENV)/.installed-$(shell cat $(REQS) | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in e-mails start with SITE_URL: by default the address `make run` serves.
SITE_URL ?= http://$(HOST):$(PORT)

.PHONY: install run test lint format worker beat messages assets check-deploy

$(STAMP): $(REQS)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

## make run: the demo on http://127.0.0.1:8000 (SQLite, tasks in-process, DEBUG on)
run: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_demo
	DEBUG=1 SITE_URL=$(SITE_URL) $(BIN)/python manage.py runserver_embedded $(HOST):$(PORT)

## make test: lint, then the whole suite (SQLite unless DATABASE_URL says otherwise), with
## coverage of the portal's code: fails under the floor in pyproject.toml ([tool.coverage.report])
test: install
	$(BIN)/ruff check .
	$(BIN)/python -m pytest --cov --cov-report=term $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .

format: install
	$(BIN)/ruff format .

worker: install
	$(BIN)/celery -A portal worker --loglevel=info

beat: install
	$(BIN)/celery -A portal beat --loglevel=info

## make messages: refresh the Bulgarian catalogs of every app (then translate, then compile)
messages: install
	DEBUG=1 $(BIN)/python manage.py makemessages -l bg --no-obsolete -i ".venv/*" -i "tests/*" \
		-i "bench/*" -i "staticfiles/*" -i "node_modules/*" -i "scoring/engine/*"
	DEBUG=1 $(BIN)/python manage.py compilemessages -i .venv

## make assets: refresh static/vendor from the npm registry (needs node; the copies are committed)
## (axe-core is injected only by the browser tests' accessibility checks; no page loads it)
assets:
	npm install --no-save --no-audit --no-fund
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/js/bootstrap.bundle.min.js static/vendor/bootstrap/
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
	cp node_modules/chart.js/dist/chart.umd.min.js static/vendor/chartjs/
	cp node_modules/bootstrap-icons/font/bootstrap-icons.min.css static/vendor/bootstrap-icons/
	cp node_modules/bootstrap-icons/font/fonts/bootstrap-icons.woff* static/vendor/bootstrap-icons/fonts/
	cp node_modules/axe-core/axe.min.js static/vendor/axe-core/

## make check-deploy: Django's deployment checklist with production-like settings
check-deploy: install
	DEBUG=0 HTTPS=1 PROXY_COUNT=1 ALLOWED_HOSTS=portal.example.org REDIS_URL=redis://127.0.0.1:6379/0 \
	CELERY_BROKER_URL=redis://127.0.0.1:6379/1 \
	SECRET_KEY=check-deploy-$$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n') \
	$(BIN)/python manage.py check --deploy --fail-level WARNING
