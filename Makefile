# Every target sets itself up: a missing .venv is created and the project installed into it.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: demo test lint bench screenshots snapshot-update soak system-deps clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

# mpv and redis-server are real programs the tests drive; install them when missing.
system-deps:
	@command -v mpv >/dev/null && command -v redis-server >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq mpv redis-server; }

DEMO_ARGS ?=

demo: $(STAMP)
	$(BIN)/plextui demo $(DEMO_ARGS)

test: $(STAMP) system-deps
	$(BIN)/python -m pytest -n auto -q $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check plextui tests bench
	$(BIN)/ruff format --check plextui tests bench
	$(BIN)/lint-imports

bench: $(STAMP)
	$(BIN)/python -m bench

screenshots: $(STAMP)
	$(BIN)/python -m bench.screenshots

snapshot-update: $(STAMP)
	$(BIN)/python -m pytest -q tests/ui --snapshot-update

soak: $(STAMP)
	$(BIN)/python -m bench.soak

clean:
	rm -rf $(VENV) .pytest_cache
