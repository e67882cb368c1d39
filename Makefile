# The single entry point: README, CI and developers call these targets.
# `make run` and `make test` do all set-up themselves on a fresh machine.

SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
# This machine's pip configuration names local package indexes that may be absent.
QUIET_PIP := 2>&1 | { grep -v "is neither a file nor a directory" || true; }
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
KB := knowledge/build/kb.json
GENERATED_NLU := data/nlu/generated/attractions.yml
MODEL := models/jinchang.tar.gz
HAND_DATA := $(shell find data -name '*.yml' -not -path 'data/nlu/generated/*' 2>/dev/null)
RASA_PORT ?= 5005
ACTIONS_PORT ?= 5055
WEB_PORT ?= 8080
WEBCHAT := web/node_modules/rasa-webchat/lib/index.js
SYSTEM_STAMP := .venv/.system-packages
# Secrets and settings for `make run` (Matrix, Telegram, the API token, production
# databases) come from the environment; a local .env file (see .env.example) is read too.
ifneq ($(wildcard .env),)
include .env
export $(shell sed -n 's/^\([A-Za-z_][A-Za-z0-9_]*\)=.*/\1/p' .env)
endif
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONHASHSEED := 0
# `make run PYTHON=/path/to/python3.10` chooses the interpreter for .venv.
export PYTHON

.DEFAULT_GOAL := help
.PHONY: help install system web kb train run shell test lint format unit validate conversations e2e eval bench report audit lock clean

help: ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): requirements.lock requirements-overrides.txt tools/find-python.sh tools/check_requirements.py
	@python=$$(tools/find-python.sh) || exit 1; \
	if [ ! -x $(BIN)/python ]; then echo "Creating $(VENV) with $$python"; "$$python" -m venv $(VENV) || exit 1; fi
	$(BIN)/python -m pip install --quiet --upgrade 'pip==24.0' $(QUIET_PIP)
	$(BIN)/python -m pip install --quiet --no-deps -r requirements.lock $(QUIET_PIP)
	$(BIN)/python tools/check_requirements.py --overrides requirements-overrides.txt
	@touch $@

install: $(STAMP) ## Create .venv and install the locked dependencies

$(WEBCHAT): web/package.json web/package-lock.json
	@command -v npm >/dev/null || { echo "error: npm not found: install Node.js 20 (e.g. apt-get install nodejs npm)"; exit 1; }
	cd web && npm ci --no-audit --no-fund
	@touch $@

web: $(WEBCHAT) ## Install the web chat widget (npm ci in web/)

$(SYSTEM_STAMP): tools/system-packages.sh | $(STAMP)
	tools/system-packages.sh
	@touch $@

# Synapse (the Matrix homeserver of the Matrix tests) in its own virtualenv: its dependencies
# clash with Rasa's pins, and its lock needs Python 3.11.
SYNAPSE_PYTHON ?= $(shell command -v python3.11 || ls /root/.pyenv/versions/3.11*/bin/python3.11 2>/dev/null | tail -1)
SYNAPSE_LOCK := tests/e2e/synapse/requirements.lock
SYNAPSE_STAMP := .venv-synapse/.installed

$(SYNAPSE_STAMP): $(SYNAPSE_LOCK)
	@"$(SYNAPSE_PYTHON)" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null || { \
	  echo "error: the Synapse lock needs Python 3.11: install it or set SYNAPSE_PYTHON=/path/to/python3.11" >&2; exit 1; }
	rm -rf .venv-synapse
	"$(SYNAPSE_PYTHON)" -m venv .venv-synapse
	.venv-synapse/bin/pip install --quiet --disable-pip-version-check --no-deps -r $(SYNAPSE_LOCK) $(QUIET_PIP)
	@touch $@

system: $(SYSTEM_STAMP) ## Debian packages the tests and the benchmark start: chromium, postgresql, redis-server

$(KB): $(STAMP) knowledge/jinchang.txt knowledge/build.py knowledge/extract.py knowledge/read.py knowledge/kinds.py knowledge/language.py
	$(BIN)/python -m knowledge.build --document knowledge/jinchang.txt --out $@

$(GENERATED_NLU): $(KB) knowledge/nlu.py $(filter data/nlu/%,$(HAND_DATA))
	$(BIN)/python -m knowledge.nlu --kb $(KB) --out $@

kb: $(KB) $(GENERATED_NLU) ## Build the knowledge base and the NLU data generated from it

$(MODEL): $(STAMP) $(GENERATED_NLU) $(HAND_DATA) domain.yml config.yml $(wildcard nlu/*.py)
	$(BIN)/rasa train --fixed-model-name jinchang --out models --data data --domain domain.yml --config config.yml

train: $(MODEL) ## Train the model when data/, domain.yml or config.yml changed

run: $(KB) $(MODEL) $(WEBCHAT) ## Set up, then serve: the web chat on :8080, Rasa (REST, socket.io, the actions) on :5005
	$(BIN)/python server/serve.py --model $(MODEL) --rasa-port $(RASA_PORT) --actions-port $(ACTIONS_PORT) --web-port $(WEB_PORT)

shell: $(KB) $(MODEL) ## Chat in the terminal (the actions run in the same process)
	@mkdir -p var; $(BIN)/python -m server.rasa_server shell --model $(MODEL) --endpoints endpoints.yml

test: lint unit validate conversations e2e ## Set up, then every check: lint, unit, validate, conversation and end-to-end tests

lint: $(STAMP) ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP) ## Format the code with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

unit: $(KB) ## Unit tests: builder, lookups, actions
	$(BIN)/python -m pytest tests -m "not e2e"

validate: $(KB) $(GENERATED_NLU) ## rasa data validate, warnings fail
	$(BIN)/rasa data validate --fail-on-warnings --data data --domain domain.yml --config config.yml

conversations: $(MODEL) ## rasa test on the conversation tests (the actions in the same process), prediction errors fail
	$(BIN)/python -m server.rasa_server test core --model $(MODEL) --stories tests/conversations --endpoints endpoints.yml \
	  --fail-on-prediction-errors --out results/conversations

e2e: $(KB) $(MODEL) $(WEBCHAT) $(SYSTEM_STAMP) $(SYNAPSE_STAMP) ## End-to-end: real servers, real clients (REST, browser, Matrix, WeChat), production set-up
	$(BIN)/python -m pytest tests -m e2e

SCORER ?= ../shared/eval/score.py
eval: ## Score the running bot (make run in another terminal) on the question sets
	@test -f $(SCORER) || { echo "error: no scorer at $(SCORER) (set SCORER=path/to/score.py)"; exit 1; }
	@for questions in ../shared/eval/dev.yml ../shared/eval/dev2.yml tests/eval/*.yml; do \
	  [ -f $$questions ] || continue; printf '%-28s ' $$(basename $$questions); \
	  $(BIN)/python $(SCORER) $$questions --url http://localhost:$(RASA_PORT)/webhooks/rest/webhook || exit 1; \
	done

report: $(STAMP) ## What visitors asked that the document could not answer: results/report.html (ARGS="--since 2026-12-01")
	$(BIN)/python -m report $(ARGS)

# A checkout of https://github.com/pypa/advisory-database (OSV advisories, vulns/<package>/PYSEC-*.yaml).
ADVISORIES ?= ../advisory-database
audit: $(STAMP) ## Check requirements.lock against the PyPA advisory database (ADVISORIES=checkout); exceptions in audit-accepted.yml
	@test -d "$(ADVISORIES)/vulns" || { echo "error: no advisory database at $(ADVISORIES): run" \
	  "'git clone --depth 1 https://github.com/pypa/advisory-database $(ADVISORIES)' or set ADVISORIES=path" >&2; exit 1; }
	$(BIN)/python tools/audit.py --advisories "$(ADVISORIES)" --lock requirements.lock --accepted audit-accepted.yml

# The production comparison starts PostgreSQL and Redis, from the system packages.
bench: $(KB) $(MODEL) $(if $(findstring --production,$(ARGS)),$(SYSTEM_STAMP)) ## This bot next to a stock `rasa init` bot, same loads, ratios: results/bench.md (ARGS=--production)
	$(BIN)/python tools/bench.py --train $(ARGS)

lock: ## Re-resolve requirements.in into requirements.lock, every package pinned, with requirements-overrides.txt (ARGS=--upgrade)
	@test -x $(BIN)/uv || $(MAKE) install
	$(BIN)/uv pip compile requirements.in --override requirements-overrides.txt --python-version 3.10 \
	  --python-platform x86_64-manylinux_2_28 --no-header --no-annotate --quiet $(ARGS) -o requirements.lock

clean: ## Remove the built knowledge base, models, results and the Synapse venv (keeps .venv and conversations)
	rm -rf knowledge/build data/nlu/generated models results .venv-synapse
