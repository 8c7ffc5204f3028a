# The two README commands: `make demo` and `make test`. Each does its own set-up.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.szca-installed

.PHONY: demo test setup system-deps lint clean load-smoke load-distributed

demo: setup
	$(BIN)/szca-emulator demo

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Every Locust user class against the emulated world, at most 60 s (part of CI).
load-smoke: setup
	$(BIN)/python -m load.smoke

# The smoke profile with a master and 2 workers on loopback.
load-distributed: setup
	$(BIN)/python -m load.cli run smoke --workers 2

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
