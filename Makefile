# Two commands do all set-up on a fresh clone: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_OUT ?= out

.PHONY: demo test lint bench clean

$(BIN)/grafana-okta-scim: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	@touch $@

# Test set-up: one venv with both CDK libraries (cdktf and cdktn, exact versions from
# constraints.txt; a process picks one with GRAFANA_OKTA_SCIM_CDK), cdktf-cli from package.json
# (machine Node) and cdktn-cli + Node 22 from cdk/terrain/package.json.
$(VENV)/.dev-installed: pyproject.toml constraints.txt requirements-harness.txt package.json package-lock.json \
		cdk/terrain/package.json cdk/terrain/package-lock.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e ".[dev,cdktf,cdktn]"
	$(BIN)/pip install -q --no-deps -r requirements-harness.txt
	npm ci --no-audit --no-fund --loglevel=error
	npm ci --prefix cdk/terrain --no-audit --no-fund --loglevel=error
	@touch $@

demo: $(BIN)/grafana-okta-scim
	$(BIN)/grafana-okta-scim synth --example -o $(DEMO_OUT)
	@find $(DEMO_OUT) -type f | sort

test: $(VENV)/.dev-installed
	$(BIN)/ruff check grafana_okta_scim tests cdk bench scripts examples
	$(BIN)/pytest -q

bench: $(VENV)/.dev-installed
	$(BIN)/python bench/run.py --out bench/results

clean:
	rm -rf $(VENV) $(DEMO_OUT) node_modules cdk/terrain/node_modules build dist
