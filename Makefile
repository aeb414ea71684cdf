# The two commands of the README: `make run` and `make test`. Each builds the virtual environment
# it needs on first use, so a fresh machine needs only Python 3.11+ and make: the tests start their
# own redis-server (tests/redis_server.py), or use SHOPMCP_TEST_REDIS_URL when it is set.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test bench lint check clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/shopmcp serve

test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/shopmcp patterns check patterns
	$(PY) -m pytest
	$(PY) -m pytest benchmarks --benchmark-disable -q

bench: $(STAMP)
	$(PY) -m pytest benchmarks --benchmark-only --benchmark-columns=median,mean,min,max,rounds --benchmark-sort=name

lint: $(STAMP)
	$(VENV)/bin/ruff check .

check: $(STAMP)
	$(VENV)/bin/shopmcp patterns check patterns

clean:
	rm -rf $(VENV) .pytest_cache .benchmarks
