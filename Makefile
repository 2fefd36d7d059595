# Two entry points on a fresh machine: `make run` (API on 127.0.0.1:8002, embedded mode) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The CPU build; Dockerfile.gpu installs a CUDA build instead.
TORCH_SPEC ?= torch==2.13.0

.PHONY: install run test test-fast lint bundle clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet "$(TORCH_SPEC)"
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

run: install
	$(BIN)/news-service serve --host 127.0.0.1

test: install
	$(BIN)/python -m pytest -q -p no:cacheprovider

# The quick loop while editing: no real servers, workers, browsers or slow runs (the whole suite is `make test`).
test-fast: install
	$(BIN)/python -m pytest -q -p no:cacheprovider -m "not slow and not integration"

lint: install
	$(BIN)/ruff check app tests bench data/tools
	$(BIN)/mypy

# Offline install bundle (wheelhouse + models + install.sh) in bundle/, for this venv's Python: docs/deployment.md
bundle: install
	PYTHON=$(BIN)/python scripts/bundle.sh bundle

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
