PYTHON ?= .venv/bin/python

.PHONY: generate check lint test test-all bench

## generate: regenerate output/ from specs/ (settings in [tool.docs2models])
generate:
	$(PYTHON) -m generator generate

## check: exit 1 with a diff when output/ is not what specs/ and templates/ give
check:
	$(PYTHON) -m generator generate --check

## lint: ruff, black and mypy --strict on the generator
lint:
	$(PYTHON) -m ruff check generator tests
	$(PYTHON) -m black --check --quiet generator tests
	$(PYTHON) -m mypy

## test: lint, check, then the tests not marked slow, over every CPU (under a minute on two)
test: lint check
	$(PYTHON) -m pytest -q -n auto

## test-all: lint, check, then every test over every CPU (what CI runs)
test-all: lint check
	$(PYTHON) -m pytest -q -m "" -n auto

## bench: docs2models against datamodel-code-generator, side by side; writes bench/results.md
## (needs `pip install -e '.[bench]'` and ../shared/corpus; takes a few minutes, not part of test)
bench:
	$(PYTHON) bench/run.py
