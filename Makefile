# Career Coach — `make run` and `make test` do all set-up themselves; each step reruns only when
# its inputs changed (make's own timestamps, plus stamp files).
SHELL := /bin/bash
# Rasa's usage reports stay off unless the environment turns them on (the servers: ops/servers.py).
export RASA_TELEMETRY_ENABLED ?= false
.DEFAULT_GOAL := help

VENV      := .venv
PY        := $(VENV)/bin/python
RASA      := $(PY) -m ops.rasa_server  # Rasa's command line with bot/speedups (faster data reading)
INSTALLED := $(VENV)/.installed
KB_DB     := var/knowledge.db
VOCAB     := data/generated/kb_vocabulary.json
MODEL     := models/career-coach.tar.gz
WEB_JS    := bot/web/static/vendor/socket.io.min.js
KB_INPUTS := $(wildcard knowledge/*.py knowledge/data/*.yml)
TRAIN_INPUTS := config.yml domain.yml $(wildcard data/*.yml data/nlu/*.yml) $(wildcard bot/components/*.py) $(VOCAB)

.PHONY: help setup run test train shell kb lint validate clean report purge bench

help:
	@echo "make run    set everything up, then serve the bot (REST on :5005, actions on :5055)"
	@echo "make test   set everything up, then run the whole test suite"
	@echo "make report the questions the bot could not answer, from the conversations kept (var/)"
	@echo "make purge DAYS=90  remove the conversations idle for more than DAYS days"
	@echo "make bench  time training, start-up, memory, latency and throughput (bench/results/);"
	@echo "            ARGS=--skip-train | --vs-vanilla | --soak | --scale-out (see bench/run.py)"
	@echo "make train | kb | shell | lint | clean"

setup: $(INSTALLED) $(KB_DB) $(MODEL) $(WEB_JS)

$(INSTALLED): requirements.txt constraints.txt
	@python=$$(scripts/find-python310) || exit 1; \
	if ! $(PY) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then \
	  echo "creating $(VENV) with $$python"; rm -rf $(VENV); "$$python" -m venv $(VENV) || exit 1; \
	fi
	$(PY) -m pip install --quiet --disable-pip-version-check "pip==24.0"
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt -c constraints.txt
	@touch $@

# The knowledge base: YAML in knowledge/data -> validated -> SQLite (or CAREER_COACH_DB_URL).
$(KB_DB): $(INSTALLED) $(KB_INPUTS)
	$(PY) -m knowledge.build
	@touch $@

# The NLU vocabulary is generated from the KB (and committed; a test fails when it is stale).
$(VOCAB): $(KB_DB)
	$(PY) -m knowledge.vocabulary

kb: $(KB_DB) $(VOCAB)

# The chat widget's one browser library, socket.io-client, pinned by bot/web/package-lock.json; its
# browser build is copied next to the page (static/vendor, git-ignored): no CDN at page load.
$(WEB_JS): bot/web/package.json bot/web/package-lock.json
	cd bot/web && npm ci --no-audit --no-fund --ignore-scripts
	mkdir -p $(@D) && cp bot/web/node_modules/socket.io-client/dist/socket.io.min.js $@

$(MODEL): $(INSTALLED) $(TRAIN_INPUTS)
	$(RASA) train --force --fixed-model-name career-coach --out models
	@touch $@

train: $(INSTALLED) $(VOCAB)
	$(RASA) train --force --fixed-model-name career-coach --out models

run: setup
	$(PY) -m ops.launcher

shell: setup
	$(PY) -m ops.launcher --shell

test: setup
	$(PY) -m pytest

# Speed: training, start-up, memory, latency and throughput over loopback (bench/run.py); results in
# bench/results/ (git-ignored). ARGS go to bench/run.py, e.g. make bench ARGS="--vs-vanilla --skip-train".
bench: setup
	$(PY) -m bench.run $(ARGS)

# The curators' knowledge-gap report over the tracker store in endpoints.yml (ops/report.py).
report: $(INSTALLED)
	$(PY) -m ops.report

# Data hygiene: remove conversations idle for more than DAYS days from the tracker store (ops/purge.py).
purge: $(INSTALLED)
	@test -n "$(DAYS)" || { echo "usage: make purge DAYS=90"; exit 2; }
	$(PY) -m ops.purge --days "$(DAYS)"

validate: $(INSTALLED)
	$(RASA) data validate --fail-on-warnings

lint: $(INSTALLED)
	$(PY) -m ruff check .
	$(RASA) data validate

clean:
	rm -rf var models .rasa .pytest_cache tests/artifacts
