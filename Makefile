# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
WORKSPACE ?= $(or $(DESK_HOME),workspace)
PORT ?= 8501

.PHONY: run test fuzz install browser demo bench clean

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

## Seed the demo workspace if there is none, then open the workbench.
run: install
	@test -f "$(WORKSPACE)/catalogue.sqlite" || $(BIN)/desk --workspace "$(WORKSPACE)" demo
	DESK_HOME="$(WORKSPACE)" $(BIN)/streamlit run desk/app.py --server.port $(PORT) \
		--server.headless true --browser.gatherUsageStats false

## Debian's Chromium for the browser tests (never `playwright install`).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = "0" ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "note: /usr/bin/chromium is missing; run 'sudo apt-get install chromium' for the browser tests"; \
		fi; \
	fi

test: install browser
	$(BIN)/python -m pytest

## Property-based tests of the readers, segmentation, values and the mandate loader, for longer (3,000 examples each).
fuzz: install
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest tests/fuzz -q

demo: install
	$(BIN)/desk --workspace "$(WORKSPACE)" demo

bench: install
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/valuation.py

clean:
	rm -rf $(VENV) .pytest_cache
