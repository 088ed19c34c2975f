# Two commands: `make run` (the API locally, with demo data) and `make test`.
# Both create .venv on first use and reinstall only when requirements*.txt change.

SHELL := /bin/bash
VENV  ?= .venv
PY    := $(VENV)/bin/python
STAMP := $(VENV)/.requirements.stamp
STAGE ?= prod

.PHONY: run test test-fast fuzz coverage test-js test-sdk-ts sdks lint wheels package lint-infra preflight bench clean static

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || python3.11 -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

run: $(STAMP)
	$(PY) devtools/serve.py

# Runs pytest, then the linters: ruff; mypy (chalicelib/ and app.py, as set in
# pyproject.toml); import-linter's layer contracts (pyproject.toml) and the check that
# no private name is used across packages. Each runs whatever the others gave, so one
# run shows every problem; fails with pytest's exit code if it failed, else the first
# failing linter's.
# Test files run on TEST_WORKERS processes (pytest-xdist; a file stays on one worker,
# so its moto tables and stacks stay its own): 2 by default, one per core here.
TEST_WORKERS ?= 2
PYTEST = $(VENV)/bin/pytest -n $(TEST_WORKERS) --dist loadfile
# Coverage of the API's code (chalicelib/ and app.py), gathered across the workers;
# the floor it must reach is in pyproject.toml ([tool.coverage.report] fail_under).
COVERAGE := --cov=chalicelib --cov=app --cov-report=term:skip-covered
LINT = $(VENV)/bin/ruff check .; lint=$$?; \
	$(VENV)/bin/mypy; types=$$?; \
	$(VENV)/bin/lint-imports --no-logo; layers=$$?; \
	$(PY) devtools/check_private_imports.py; private=$$?; \
	for rc in $$types $$layers $$private; do if [ $$lint -eq 0 ]; then lint=$$rc; fi; done
test: $(STAMP) test-js
	@bash devtools/ensure_browser.sh
	@$(PYTEST); rc=$$?; \
	$(LINT); \
	if [ $$rc -ne 0 ]; then exit $$rc; fi; exit $$lint

# The unit and API tiers again under coverage, failing below the floor in
# pyproject.toml (CI runs it after `make test`). Not in `make test`: tracing doubled
# those tiers' time (13 minutes instead of about 6 on 2 cores). The stack and browser
# tiers test a `make run` subprocess, which coverage does not see.
coverage: $(STAMP)
	@$(PYTEST) $(COVERAGE) -m "not stack and not browser"

# The pure helpers of the widget and the console, with node's built-in test runner
# (no npm package); devtools/ensure_node.sh installs node when it is missing.
test-js: test-sdk-ts
	@bash devtools/ensure_node.sh
	node --test --test-reporter=dot widget/test/*.test.js console/test/*.test.js

# The SDKs (sdks/README.md): both generated from the document the API serves, and
# committed. `make sdks` regenerates them (after any change to the API's contract:
# tests/unit/test_openapi_document.py fails until it is run). The TypeScript SDK's
# tools come from sdks/typescript/package-lock.json (npm ci); the Python one's from
# requirements-dev.txt.
SDK_TS := sdks/typescript
NPM_CI := npm ci --no-audit --no-fund --loglevel=error
sdks: $(STAMP)
	@bash devtools/ensure_node.sh
	$(PY) -c 'import json, app; from chalicelib.edge import openapi; \
	  open("sdks/openapi.json", "w").write(json.dumps(openapi.document(), indent=2, ensure_ascii=False) + "\n")'
	PATH="$(abspath $(VENV))/bin:$$PATH" $(VENV)/bin/openapi-python-client generate \
	  --path sdks/openapi.json --output-path sdks/python --meta setup \
	  --config sdks/python-config.yaml --overwrite >/dev/null
	cd $(SDK_TS) && $(NPM_CI) && npm run --silent generate

# The TypeScript SDK's flow test (node --test) against a fresh `make run` stack.
test-sdk-ts: $(STAMP)
	@bash devtools/ensure_node.sh
	@cd $(SDK_TS) && $(NPM_CI) && npm run --silent build
	@cd $(SDK_TS) && $(abspath $(PY)) $(abspath devtools/with_stack.py) -- \
	  node --test --test-reporter=dot dist/test/

# The quick loop: the unit and API tiers but their slow tests, without coverage, then
# the linters. Markers, not file names, leave out the rest (registered in
# pyproject.toml: `stack` and `browser` by folder, `slow` by hand). `make test` runs
# them all.
FAST_MARKERS := -m "not slow and not stack and not browser"
test-fast: $(STAMP)
	@$(PYTEST) $(FAST_MARKERS); rc=$$?; \
	$(LINT); \
	if [ $$rc -ne 0 ]; then exit $$rc; fi; exit $$lint

# A deeper fuzz of every operation than `make test`'s (tests/stack/test_fuzz.py: 8
# generated requests per operation there, FUZZ_EXAMPLES here; about 20 minutes at 100).
FUZZ_EXAMPLES ?= 100
fuzz: $(STAMP)
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(VENV)/bin/pytest -p no:xdist tests/stack/test_fuzz.py

# The linters without the tests; fails with the first failing one's exit code.
lint: $(STAMP)
	@$(LINT); exit $$lint

# Deployable artefacts in dist/: sam.yaml (app + infra/tables.yaml, checked by
# cfn-lint) and a slim deployment.zip. Lambda (manylinux) wheels are cached in
# $(WHEELS); chalice installs only from that cache, so packaging works offline
# once it has run online. Importing app.py reads settings: dummy secrets stop it
# asking SSM at packaging time (the template carries only the stage's variables).
# infra/finalize.py pins the template's Stage parameter to $(STAGE) and fails if the
# functions are not wired to the batch queue. Deploy: docs/deploying.md.
WHEELS := .chalice/deployments/wheels
CHALICE_PACKAGE = PIP_NO_INDEX=1 PIP_FIND_LINKS=$(abspath $(WHEELS)) \
	AWS_DEFAULT_REGION=$${AWS_DEFAULT_REGION:-us-east-1} \
	ADMIN_TOKEN=unused-at-package-time SIGNING_KEYS=package:unused-at-package-time \
	$(VENV)/bin/chalice package --merge-template infra/tables.yaml

# Lambda (manylinux) wheels of requirements.txt, cached so packaging works offline.
wheels: $(STAMP)
	@mkdir -p $(WHEELS)
	@$(PY) -m pip download --quiet --disable-pip-version-check --only-binary=:all: \
	  --platform manylinux2014_x86_64 --implementation cp --python-version 3.11 \
	  -r requirements.txt -d $(WHEELS) \
	  || echo "PyPI not reachable: packaging from the wheels cached in $(WHEELS)"

# The widget, the console and the API reference (Swagger UI) are served by the
# Lambda itself (chalicelib/edge/assets.py reads them beside chalicelib/): Chalice
# ships `vendor/` at the package root.
static:
	@rm -rf vendor && mkdir vendor && cp -R widget console reference vendor/ && rm -rf vendor/*/test

package: wheels static
	@case "$(STAGE)" in dev|prod) ;; *) echo "STAGE must be dev or prod" >&2; exit 2;; esac
	rm -rf dist
	$(CHALICE_PACKAGE) --stage $(STAGE) dist/
	$(PY) infra/finalize.py dist/sam.yaml $(STAGE)
	$(PY) devtools/slim_package.py dist/deployment.zip
	$(VENV)/bin/cfn-lint dist/sam.yaml
	@echo "dist/sam.yaml ($(STAGE)) is valid; deploy it as docs/deploying.md shows"

# Every secret of the deployed stage $(STAGE), checked with your AWS credentials before
# the first request needs one: the SSM parameter's secrets (present, well formed, key
# ids), and, once the stack is deployed, whether its functions can use them (unwrap
# the data key). Names what is wrong, never a value; exit 1 if anything is.
# docs/deploying.md, step 5.
preflight: $(STAMP)
	@$(PY) -m devtools.preflight --stage $(STAGE)

# checkov pins boto3 and packaging below the project's pins, so it lives in a venv
# of its own, created on first use from requirements-checkov.txt.
CHECKOV_VENV  ?= .venv-checkov
CHECKOV_STAMP := $(CHECKOV_VENV)/.requirements.stamp
CHECKOV = $(CHECKOV_VENV)/bin/checkov --framework cloudformation --skip-download --compact --quiet

$(CHECKOV_STAMP): requirements-checkov.txt
	@test -x $(CHECKOV_VENV)/bin/python || python3.11 -m venv $(CHECKOV_VENV) || python3 -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-checkov.txt
	@touch $@

# Both stages' templates through cfn-lint and checkov, without touching dist/ (needs
# the wheel cache). checkov fails on any failed check; the checks that do not apply
# are skipped inline in infra/tables.yaml, each with its reason, and every skipped id
# must be explained in infra/README.md.
lint-infra: wheels static $(CHECKOV_STAMP)
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	for id in $$(grep -o 'id: CKV[0-9]*_[A-Z0-9_]*' infra/tables.yaml | cut -d' ' -f2 | sort -u); do \
	  grep -q "| $$id " infra/README.md \
	    || { echo "infra/README.md does not explain the skipped check $$id" >&2; exit 1; }; \
	done; \
	for stage in dev prod; do \
	  $(CHALICE_PACKAGE) --stage $$stage "$$tmp/$$stage" >/dev/null; \
	  $(PY) infra/finalize.py "$$tmp/$$stage/sam.yaml" $$stage; \
	  $(VENV)/bin/cfn-lint "$$tmp/$$stage/sam.yaml"; \
	  echo "checkov ($$stage):"; $(CHECKOV) -f "$$tmp/$$stage/sam.yaml"; \
	done; echo "cfn-lint and checkov: dev and prod templates are clean"

# DynamoDB calls and p50/p95 per operation, batch vs single throughput (moto in
# process); write units per partition key and the per-campaign ceilings they set;
# all-in write units per money move (the stream consumer's and the webhook sender's
# writes included, waited for), the hottest key of every table and index, the load at
# the contract's rates key by key, and the stream consumer's throughput (bench.allin);
# a crowd on one campaign with transaction conflicts emulated (1 shard vs 32); webhook
# delivery latency under the `make run` stack (issue -> receiver); the reads of a
# time-series report of a 30-day campaign and an export's rows/s; then cold-start
# import time and the deployment zip's size.
bench: $(STAMP)
	@test -f dist/deployment.zip || $(MAKE) --no-print-directory package >/dev/null
	$(PY) -W ignore -m bench.calls
	$(PY) -W ignore -m bench.partitions
	$(PY) -W ignore -m bench.allin
	$(PY) -W ignore -m bench.crowd
	$(PY) -W ignore -m bench.webhooks
	$(PY) -W ignore -m bench.insights
	$(PY) -m bench.coldstart

clean:
	rm -rf dist .pytest_cache .ruff_cache .mypy_cache
