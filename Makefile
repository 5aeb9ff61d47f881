# `make run`: set up .venv if needed and ingest the example corpus into ./dyad.duckdb.
# `make test`: the same set-up (and Chromium for the browser tests), then the test suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     ?= dyad.duckdb
CORPUS ?= examples/corpus

.PHONY: run test install clean browser

run: $(STAMP)
	$(BIN)/dyad ingest $(CORPUS) --db $(DB); status=$$?; \
	echo "Open the dashboard: $(BIN)/dyad serve --db $(DB)   then browse http://127.0.0.1:8000/"; \
	exit $$status

test: $(STAMP) browser
	$(BIN)/python -m pytest

# The browser tests drive Debian's Chromium (Playwright never downloads one); install it only when missing.
# If it cannot be installed, the browser tests fail under CI and skip elsewhere, saying why.
browser:
	@test -x /usr/bin/chromium || (apt-get update && apt-get install -y chromium) || \
	echo "warning: could not install chromium; the browser tests need /usr/bin/chromium"

install: $(STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install only when the package's declaration changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# `make train`: refit the learned coder (src/dyad/data/models/coder.json) from the annotated data.
train: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,train]'
	$(BIN)/dyad train

clean:
	rm -f $(DB)
