# `make run`: set up .venv if needed and ingest the example corpus into ./dyad.duckdb.
# `make test`: the same set-up (and Chromium for the browser tests), then the test suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     ?= dyad.duckdb
CORPUS ?= examples/corpus

.PHONY: run test install clean browser lock train

run: $(STAMP)
	$(BIN)/dyad ingest $(CORPUS) --db $(DB); status=$$?; \
	echo "Open the dashboard: $(BIN)/dyad serve --db $(DB)   then browse http://127.0.0.1:8000/"; \
	exit $$status

test: $(STAMP) browser
	$(BIN)/ruff check src tests bench eval
	$(BIN)/python -m pytest

# The browser tests drive Debian's Chromium (Playwright never downloads one); install it only when missing.
# If it cannot be installed, the browser tests fail under CI and skip elsewhere, saying why.
browser:
	@test -x /usr/bin/chromium || (apt-get update && apt-get install -y chromium) || \
	echo "warning: could not install chromium; the browser tests need /usr/bin/chromium"

install: $(STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install only when the package's declaration or the pinned versions change.
$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

# `make train`: refit the learned coder (src/dyad/data/models/coder.json) from the annotated data.
train: $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test,train]'
	$(BIN)/dyad train

clean:
	rm -f $(DB)

# `make lock`: refresh constraints.txt with the newest releases pyproject.toml allows (then run `make test`).
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet -e '.[test]'
	(echo "# Pinned versions for make run / make test / CI (pip -c). Refresh with \`make lock\` (see README)."; \
	 .lock-venv/bin/pip freeze --exclude-editable) > constraints.txt
	rm -rf .lock-venv
