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
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONHASHSEED := 0
# `make run PYTHON=/path/to/python3.10` chooses the interpreter for .venv.
export PYTHON

.DEFAULT_GOAL := help
.PHONY: help install kb train run shell test lint format unit validate conversations e2e eval lock clean

help: ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): requirements.lock scripts/find-python.sh
	@python=$$(scripts/find-python.sh) || exit 1; \
	if [ ! -x $(BIN)/python ]; then echo "Creating $(VENV) with $$python"; "$$python" -m venv $(VENV) || exit 1; fi
	$(BIN)/python -m pip install --quiet --upgrade 'pip==24.0' $(QUIET_PIP)
	$(BIN)/python -m pip install --quiet --no-deps -r requirements.lock $(QUIET_PIP)
	$(BIN)/python -m pip check
	@touch $@

install: $(STAMP) ## Create .venv and install the locked dependencies

$(KB): $(STAMP) knowledge/jinchang.txt knowledge/build.py knowledge/extract.py
	$(BIN)/python -m knowledge.build --document knowledge/jinchang.txt --out $@

$(GENERATED_NLU): $(KB) knowledge/nlu.py $(filter data/nlu/%,$(HAND_DATA))
	$(BIN)/python -m knowledge.nlu --kb $(KB) --out $@

kb: $(KB) $(GENERATED_NLU) ## Build the knowledge base and the NLU data generated from it

$(MODEL): $(STAMP) $(GENERATED_NLU) $(HAND_DATA) domain.yml config.yml $(wildcard nlu/*.py)
	$(BIN)/rasa train --fixed-model-name jinchang --out models --data data --domain domain.yml --config config.yml

train: $(MODEL) ## Train the model when data/, domain.yml or config.yml changed

run: $(KB) $(MODEL) ## Set up, then serve: actions on :5055, Rasa (REST + socket.io) on :5005
	$(BIN)/python scripts/serve.py --model $(MODEL) --rasa-port $(RASA_PORT) --actions-port $(ACTIONS_PORT)

shell: $(KB) $(MODEL) ## Chat in the terminal (starts the action server too)
	@mkdir -p var; $(BIN)/python -m rasa_sdk --actions actions -p $(ACTIONS_PORT) & pid=$$!; \
	trap "kill $$pid" EXIT; $(BIN)/rasa shell --model $(MODEL) --endpoints endpoints.yml

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

conversations: $(MODEL) ## rasa test on the conversation tests, prediction errors fail
	$(BIN)/rasa test core --model $(MODEL) --stories tests/conversations --endpoints endpoints.yml \
	  --fail-on-prediction-errors --out results/conversations

e2e: $(KB) $(MODEL) ## End-to-end: start the real servers, ask real questions over REST
	$(BIN)/python -m pytest tests -m e2e

SCORER ?= ../shared/eval/score.py
eval: ## Score the running bot (make run in another terminal) on the question sets
	@test -f $(SCORER) || { echo "error: no scorer at $(SCORER) (set SCORER=path/to/score.py)"; exit 1; }
	@for questions in ../shared/eval/dev.yml tests/eval/*.yml; do \
	  [ -f $$questions ] || continue; printf '%-28s ' $$(basename $$questions); \
	  $(BIN)/python $(SCORER) $$questions --url http://localhost:$(RASA_PORT)/webhooks/rest/webhook || exit 1; \
	done

lock: ## Re-resolve requirements.in into requirements.lock (every package pinned)
	rm -rf .venv-lock && "$$(scripts/find-python.sh)" -m venv .venv-lock
	.venv-lock/bin/pip install --quiet 'pip==24.0' && .venv-lock/bin/pip install --quiet -r requirements.in
	.venv-lock/bin/pip freeze --all | grep -v -E '^pip==' > requirements.lock
	rm -rf .venv-lock

clean: ## Remove the built knowledge base, models and results (keeps .venv and conversations)
	rm -rf knowledge/build data/nlu/generated models results
