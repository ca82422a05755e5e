# The portal's two commands: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
WORKERS ?= 2

# The demo is served as in production (DEBUG off, gunicorn, whitenoise) but over
# plain HTTP on this machine, with a secret key generated once under var/.
DEMO_ENV = SECRET_KEY="$$(cat var/secret_key)" HTTPS=false SERVE_MEDIA=true

.PHONY: demo test bench install install-test messages lint format clean

demo: install var/secret_key
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py compilemessages --ignore=.venv --ignore=var -v0
	$(DEMO_ENV) $(PY) manage.py collectstatic --noinput -v0
	$(DEMO_ENV) $(PY) manage.py setup_demo
	$(DEMO_ENV) $(PY) manage.py make_tiles
	$(DEMO_ENV) $(PY) manage.py make_renditions
	$(DEMO_ENV) $(PY) manage.py search_index rebuild
	@echo "Serving the portal on http://127.0.0.1:$(PORT)/ (Ctrl-C stops it)"
	$(DEMO_ENV) $(VENV)/bin/gunicorn portal.wsgi --bind 127.0.0.1:$(PORT) \
		--workers $(WORKERS) --limit-request-line 0 --access-logfile - --forwarded-allow-ips=""

test: install-test
	$(PY) tests/run.py

# Benchmarks at one scale, printed as tables (docs/PERFORMANCE.md):
# make bench SCALE=100k [STEPS=import,pages]
SCALE ?= 10k
STEPS ?=
bench: install node_modules/.installed
	$(PY) bench/run.py --scale $(SCALE) $(if $(STEPS),--only $(STEPS))

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test node_modules/.installed

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-test.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

# Lighthouse for the browser tests and the bench, pinned by package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

var/secret_key:
	mkdir -p var
	umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

# Refresh the message catalogues after changing interface strings.
messages: install
	DEBUG=true $(PY) manage.py makemessages --locale=zh_Hans --locale=en \
		--ignore=.venv --ignore=var --ignore=tests --no-obsolete --add-location=file

lint: install-test
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

format: install-test
	$(VENV)/bin/ruff check --fix . && $(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) var node_modules
