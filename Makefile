# Quick start: `make demo` (generated data, whole pipeline), `make test`.
PYTHON ?= python3
PYTEST_ARGS ?=

.PHONY: install test demo

install:
	PYTHON=$(PYTHON) bash .ci/install

test: install
	$(PYTHON) -m pytest tests $(PYTEST_ARGS)

demo: install
	PYTHON=$(PYTHON) bash tools/spol_demo.sh
