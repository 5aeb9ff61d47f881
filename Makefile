# `make run`: set up .venv if needed and ingest the example corpus into ./dyad.duckdb.
# `make test`: the same set-up, then the test suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     ?= dyad.duckdb
CORPUS ?= examples/corpus

.PHONY: run test install clean

run: $(STAMP)
	$(BIN)/dyad ingest $(CORPUS) --db $(DB)

test: $(STAMP)
	$(BIN)/python -m pytest

install: $(STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install only when the package's declaration changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

clean:
	rm -f $(DB)
