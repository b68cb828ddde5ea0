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

$(VENV)/.dev-installed: pyproject.toml requirements-harness.txt package.json package-lock.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev,cdktf]"
	$(BIN)/pip install -q --no-deps -r requirements-harness.txt
	npm ci --no-audit --no-fund --loglevel=error
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
	rm -rf $(VENV) $(DEMO_OUT) node_modules build dist
