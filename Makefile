# Xuncha — the two commands are `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/xuncha
PYTEST_ARGS ?=

.PHONY: run setup packages test test-pg bench bench-pg document-pages lint format migrate demo messages system-deps clean

# --- set-up (quick when nothing changed: stamp files) ---------------------------------------
$(VENV)/.stamp: requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "需要 Python 3.11（$(PYTHON) 未找到）"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

node_modules/.stamp: package.json package-lock.json
	@command -v npm >/dev/null || { echo "需要 Node.js 与 npm（apt-get install nodejs npm）"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

locale/en/LC_MESSAGES/django.mo: locale/en/LC_MESSAGES/django.po | $(VENV)/.stamp
	@if command -v msgfmt >/dev/null; then $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0; \
	else echo "提示：未安装 gettext（msgfmt），英文界面不可用；中文界面不受影响。"; fi

setup: $(VENV)/.stamp node_modules/.stamp locale/en/LC_MESSAGES/django.mo

# pip and npm only (CI runs this while apt installs the system packages).
packages: $(VENV)/.stamp node_modules/.stamp

migrate: setup
	@mkdir -p var
	$(PY) manage.py migrate --noinput -v 0

demo: migrate
	$(PY) manage.py demo_seed --if-empty

run: demo
	@echo
	@echo "Xuncha 巡察 — http://$(HOST):$(PORT)/"
	@$(PY) manage.py demo_accounts
	@echo
	@echo "后台任务进程（db_worker：生成情况汇报、整改提醒、消息推送）随开发服务器启动，一并停止。"
	@# One shell: the worker runs in the background and the trap stops it when runserver ends
	@# (Ctrl-C, an error or a kill), so no worker is left behind.
	@$(PY) manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# --- tests -----------------------------------------------------------------------------------
system-deps:
	@bash scripts/system-deps.sh

# pytest-xdist, one worker per core (auto). Whole files go to a worker (--dist loadfile), so a
# module's expensive fixture (the demo county of the security sweeps) is built once, not once per
# worker. PYTEST_WORKERS=0 runs the suite in one process (xdist off), e.g. to debug with pdb.
PYTEST_WORKERS ?= auto
XDIST = -n $(PYTEST_WORKERS) $(if $(filter 0,$(PYTEST_WORKERS)),,--dist loadfile)
test: setup system-deps
	$(PY) -m pytest $(XDIST) $(PYTEST_ARGS)

test-pg: setup system-deps
	DATABASE_URL=$(PG_URL) $(PY) -m pytest $(XDIST) $(PYTEST_ARGS)

# --- benchmark (issue 8): synthetic counties, every page timed next to its raw SQL ------------
SCALE ?= 1
# Extra options of `manage.py bench` (CI's smoke run: each page and document once, no PDF).
BENCH_ARGS ?=
BENCH_PG_URL ?= postgres://postgres@127.0.0.1:5432/xuncha_bench_s$(SCALE)
# As in production: DEBUG off (config.settings.bench, which also installs the synth app and its
# `bench` command; production settings do not), and a fixed master key that exists only for bench
# databases (base64 of "xuncha-bench-key"; never deploy it), and fixed audit keys (32 bytes each).
# Results go to bench/results/.
BENCH_ENV := DJANGO_SETTINGS_MODULE=config.settings.bench DEBUG=off XUNCHA_MASTER_KEYS=bench:eHVuY2hhLWJlbmNoLWtleQ== \
	XUNCHA_AUDIT_MAC_KEYS=bench:eHVuY2hhLWJlbmNoLW9ubHktYXVkaXQtbWFjLWtleSE= \
	XUNCHA_AUDIT_SIGNING_KEYS=bench:eHVuY2hhLWJlbmNoLW9ubHktYXVkaXQtc2lnbmluZyE=

bench: setup
	@mkdir -p var
	DATABASE_URL=sqlite:///$(CURDIR)/var/bench-s$(SCALE).sqlite3 $(BENCH_ENV) $(PY) manage.py bench --scale $(SCALE) $(BENCH_ARGS)

bench-pg: setup
	DATABASE_URL=$(BENCH_PG_URL) $(BENCH_ENV) $(PY) manage.py bench --scale $(SCALE) $(BENCH_ARGS)

# --- HTTP load (issue 17): gunicorn as deployed, Locust with the real roles' workload ------------
# `make loadtest` (scale 10; SCALE=1 for a quick run) reuses or generates the bench's database of
# that scale, SQLite by default, PostgreSQL with LOADTEST_PG=1; signs the synthetic accounts in with
# a password (and authenticator) set for the run, collects static files into var/loadtest/, starts
# gunicorn with LOAD_WORKERS × LOAD_THREADS and runs Locust for LOAD_TIME seconds with LOAD_USERS,
# then the signed-in ceiling and a bare view. Table: bench/results/<date>-load-s<scale>-<db>.md.
LOAD_SCALE = $(if $(filter command line environment,$(origin SCALE)),$(SCALE),10)
LOAD_USERS ?= 10
LOAD_TIME ?= 60
LOAD_WORKERS ?= 2
LOAD_THREADS ?= 2
LOAD_ARGS ?=
LOAD_DB = $(if $(LOADTEST_PG),postgres://postgres@127.0.0.1:5432/xuncha_bench_s$(LOAD_SCALE),sqlite:///$(CURDIR)/var/bench-s$(LOAD_SCALE).sqlite3)

.PHONY: loadtest
loadtest: setup
	@mkdir -p var
	DATABASE_URL=$(LOAD_DB) $(BENCH_ENV) $(PY) manage.py loadtest --scale $(LOAD_SCALE) --users $(LOAD_USERS) \
		--time $(LOAD_TIME) --workers $(LOAD_WORKERS) --threads $(LOAD_THREADS) $(LOAD_ARGS)

# Page 1 and the last page of every kind of document, from the PDF, in docs/documents/ (issue 16).
document-pages: setup system-deps
	$(PY) manage.py document_pages

lint: setup
	@mkdir -p var
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy
	$(PY) manage.py makemigrations --check --dry-run -v 1
	bash scripts/check-messages.sh

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

MAKEMESSAGES := $(PY) manage.py makemessages -l en --ignore=.venv --ignore=node_modules --ignore=test-artifacts \
	--no-obsolete --no-location -v 0

# Refresh the English catalog after changing user-facing strings, then translate the new entries.
messages: setup
	$(MAKEMESSAGES)
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

clean:
	rm -rf $(VENV) node_modules staticfiles
