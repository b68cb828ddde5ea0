# Two commands do all set-up on a fresh clone: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_OUT ?= out
LOWEST ?= .venv-lowest
# Test-only packages of the lowest-versions run, at the versions of constraints.txt.
LOWEST_TEST_DEPS := pytest pytest-env pytest-xdist execnet hypothesis python-hcl2 scim2-client scim2-server scim2-tester \
	msgpack grpcio protobuf cryptography psutil

# pytest-xdist workers of `make test`'s two pytest runs (auto: one per CPU). Whole files go to a
# worker (loadfile: a module fixture is computed once), in the order tests/conftest.py sorts them.
WORKERS ?= auto
XDIST = -n $(WORKERS) --dist loadfile --no-loadscope-reorder

.PHONY: demo test lint lowest suite bench golden bindings spec-reference clean

$(BIN)/grafana-okta-scim: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	@touch $@

# Test set-up: one venv with both CDK libraries (cdktf and cdktn, exact versions from
# constraints.txt; a process picks one with GRAFANA_OKTA_SCIM_CDK), cdktf-cli from package.json
# (machine Node) and cdktn-cli + Node 22 from cdk/terrain/package.json. The Python packages go in
# with uv (the pin of constraints.txt; the same versions pip would install, downloaded in parallel),
# and `make test` runs the three installs at once (a sub-make with -j).
$(VENV)/.dev-installed: $(VENV)/.python-installed node_modules/.installed cdk/terrain/node_modules/.installed
	@touch $@

$(VENV)/.python-installed: pyproject.toml constraints.txt requirements-harness.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -c constraints.txt uv
	$(BIN)/uv pip install -q -p $(BIN)/python -c constraints.txt -e ".[dev,cdktf,cdktn]"
	$(BIN)/uv pip install -q -p $(BIN)/python --no-deps -r requirements-harness.txt
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

cdk/terrain/node_modules/.installed: cdk/terrain/package.json cdk/terrain/package-lock.json
	npm ci --prefix cdk/terrain --no-audit --no-fund --loglevel=error
	@touch $@

demo: $(BIN)/grafana-okta-scim
	$(BIN)/grafana-okta-scim synth --example -o $(DEMO_OUT)
	@find $(DEMO_OUT) -type f | sort

# Format, lint (with the complexity cap on the package), types (strict on the package, the construct
# layer included, against cdktf; not strict on tests), import contracts (no cycles; the core without Node),
# declared dependencies.
lint: $(VENV)/.dev-installed
	$(BIN)/ruff format --check grafana_okta_scim tests cdk bench scripts examples
	$(BIN)/ruff check grafana_okta_scim tests cdk bench scripts examples
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/deptry grafana_okta_scim

# The core suites against the lowest versions pyproject.toml allows (uv's lowest-direct
# resolution), so the declared lower bounds stay true.
$(LOWEST)/.installed: pyproject.toml constraints.txt $(VENV)/.dev-installed
	rm -rf $(LOWEST)
	$(BIN)/uv venv -q -p $(PYTHON) $(LOWEST)
	$(BIN)/uv pip install -q -p $(LOWEST)/bin/python --resolution lowest-direct -e . \
		$$(for p in $(LOWEST_TEST_DEPS); do grep -i -m1 "^$$p==" constraints.txt; done)
	@touch $@

lowest: $(LOWEST)/.installed
	$(BIN)/uv pip list -p $(LOWEST)/bin/python 2>/dev/null | grep -i -E "^(pydantic|pyyaml|jinja2|typer|rich|httpx|scim2-models) "
	$(LOWEST)/bin/python -m pytest -q -p no:cacheprovider $(XDIST) -m "not terraform and not cdktf" \
		tests/core tests/companion tests/discover tests/impact tests/live --deselect tests/core/test_packaging.py

# The whole suite on the versions of constraints.txt.
suite: $(VENV)/.dev-installed
	$(BIN)/pytest -q $(XDIST)

# lint, lowest and the whole suite. The set-up first (its three installs at once), then lint beside
# lowest (mypy and uv's downloads beside the lowest-versions run), then the suite on every CPU.
test:
	@$(MAKE) --no-print-directory -j3 $(VENV)/.dev-installed
	@$(MAKE) --no-print-directory -j2 --output-sync=target lint lowest
	@$(MAKE) --no-print-directory suite

# Regenerate what is generated, on purpose (each has a test that fails when it is stale): review the
# diff before committing. The golden tests write through tests/golden_files.py when UPDATE_GOLDEN=1.
GOLDEN_TESTS := tests/core/test_golden.py tests/companion/test_runbook.py tests/companion/test_verify_golden.py

golden: $(VENV)/.dev-installed
	UPDATE_GOLDEN=1 $(BIN)/pytest -q -p no:cacheprovider $(GOLDEN_TESTS)

bindings: $(VENV)/.dev-installed
	$(BIN)/python scripts/gen_bindings.py

spec-reference: $(VENV)/.dev-installed
	$(BIN)/python -m grafana_okta_scim.spec_reference

bench: $(VENV)/.dev-installed
	$(BIN)/python bench/run.py --out bench/results

clean:
	rm -rf $(VENV) $(LOWEST) $(DEMO_OUT) node_modules cdk/terrain/node_modules build dist
