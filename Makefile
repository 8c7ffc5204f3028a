# The two README commands: `make demo` and `make test`. Each does its own set-up.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.szca-installed

.PHONY: demo test setup system-deps lint clean

demo: setup
	$(BIN)/szca-emulator demo

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .

setup: $(STAMP)

system-deps:
	bash scripts/install-system-deps.sh

$(STAMP): pyproject.toml scripts/install-system-deps.sh scripts/setup-venv.sh
	bash scripts/install-system-deps.sh
	PY=$(PY) bash scripts/setup-venv.sh
	touch $(STAMP)

clean:
	rm -rf $(VENV) .szca
