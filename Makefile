# The two README commands: `make demo` and `make test`. Each does its own set-up.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.szca-installed

.PHONY: postgres demo demo-ui test setup system-deps lint clean load-smoke load-distributed packaging

demo: setup
	$(BIN)/szca-emulator demo

# The same ORG-RT unlock clicked through the portal's pages in Chromium (headless; set
# DEMO_UI_ARGS=--headed to watch it); screenshots in reports/demo-ui/.
demo-ui: setup
	$(BIN)/szca-emulator demo-ui $(DEMO_UI_ARGS)

# Unit, integration and contract tests in parallel (each worker has its own pcscd world,
# so none waits for another's readers); then the BDD features (one process:
# pytest-bdd writes cucumber JSON only there) with their reports (the Allure report,
# reports/allure/index.html, is made even when a scenario failed, and never fails the
# run itself: scripts/allure-report.sh); then the whole BDD suite against a separately
# started `szca-emulator up` world (two workers, a cast per scenario).
test: setup
	mkdir -p reports
	$(BIN)/mypy
	$(BIN)/python -m pytest -n auto tests --junitxml=reports/junit-tests.xml $(PYTEST_ARGS)
	$(BIN)/python -m pytest features --cucumberjson=reports/cucumber.json \
		--junitxml=reports/junit-bdd.xml --alluredir=reports/allure-results \
		--clean-alluredir $(PYTEST_ARGS); status=$$?; \
		bash scripts/allure-report.sh; exit $$status
	$(BIN)/szca-bdd-report
	$(BIN)/szca-trace --format markdown > reports/traceability.md
	BIN=$(BIN) bash scripts/bdd-deployed.sh

# The distribution as users install it: sdist + wheel built, installed into fresh venvs
# outside the checkout (needs the package index; part of CI, not of make test).
packaging: setup
	SZCA_PACKAGING_TESTS=1 $(BIN)/python -m pytest -m packaging tests/packaging $(PYTEST_ARGS)

# Every Locust user class against the emulated world, at most 60 s (part of CI).
load-smoke: setup
	$(BIN)/python -m load.smoke

# The smoke profile with a master and 2 workers on loopback.
load-distributed: setup
	$(BIN)/python -m load.cli run smoke --workers 2

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy

setup: $(STAMP)

system-deps:
	bash scripts/install-system-deps.sh

$(STAMP): pyproject.toml package-lock.json scripts/install-system-deps.sh scripts/setup-venv.sh \
		scripts/setup-node.sh
	bash scripts/install-system-deps.sh
	PY=$(PY) bash scripts/setup-venv.sh
	bash scripts/setup-node.sh
	touch $(STAMP)

clean:
	rm -rf $(VENV) .szca

# The store suite and the service on a throw-away PostgreSQL, also as 2 worker processes
# sharing a private Redis (tox -e postgres).
postgres: setup
	$(BIN)/tox -e postgres
