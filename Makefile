# The README's commands. Everything installs from the lock files into .venv.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
ONLY ?=

.PHONY: run test bench lint format install install-dev clean fuzz

$(BIN)/activate:
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Trustdesk needs Python 3.11 (set PYTHON=...)"'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.lock | $(BIN)/activate
	$(PY) -m pip install --disable-pip-version-check -q --require-hashes -r requirements.lock
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock | $(BIN)/activate
	$(PY) -m pip install --disable-pip-version-check -q --require-hashes -r requirements-dev.lock
	touch $@ $(VENV)/.installed

# The compiled row checks of holders files (holders/fastrows.py says what they do); without
# them an import checks every row in Python, correctly and about three times as long.
CC ?= cc
FASTROWS := holders/native/fastrows.so
# Built beside it and renamed into place: a worker that has the old one loaded keeps it,
# where writing over a loaded library in place would crash that worker.
$(FASTROWS): holders/native/fastrows.c
	$(CC) -O2 -std=c11 -Wall -Wextra -fPIC -shared -fstack-protector-strong -D_FORTIFY_SOURCE=2 -o $@.new $<
	mv -f $@.new $@

install: $(VENV)/.installed $(FASTROWS)
install-dev: $(VENV)/.installed-dev $(FASTROWS)

run: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py sync_schedule
	$(PY) manage.py load_demo
	$(PY) manage.py demo_login
	$(PY) manage.py collectstatic --no-input -v0
	$(PY) -m config.run_all

# Two test processes (pytest-xdist; a file's tests stay in one): the machines have two cores,
# and much of a test's time is spent waiting on a worker, a browser or an SMTP server.
# PYTEST_PROCESSES=0 runs them in this one process.
PYTEST_PROCESSES ?= 2
test: install-dev
	$(BIN)/pytest --cov --cov-report=term:skip-covered -n $(PYTEST_PROCESSES) --dist loadfile $(PYTEST_ARGS)
	$(BIN)/coverage report --fail-under=90 --include='$(RULES_MODULES)'

# The pure rules modules: no Django, and branch coverage above 90%.
RULES_MODULES := trustee/term_rules.py,trustee/workflow_rules.py,trustee/exhibits/*.py,trustee/identifiers.py,trustee/calendar.py,trustee/obligation_rules.py,holders/reading.py,holders/validation.py,holders/columns.py,holders/list_checks.py,holders/vocabulary.py,holders/amounts.py,holders/majority.py,trustee/deliverable_rules.py,trustee/standing_rules.py,trustee/succession_rules.py,trustee/application_rules.py,notices/rate_rules.py,holders/fastrows.py

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install-dev
	$(PY) -m bench $(ONLY)

# Memory safety of the compiled row checks under any input (clang's libFuzzer, AddressSanitizer
# and UndefinedBehaviorSanitizer; Debian's clang package). FUZZ_SECONDS=300 by default.
FUZZ_SECONDS ?= 300
fuzz:
	mkdir -p var/fuzz-corpus
	clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-o var/fuzz_fastrows holders/native/fuzz_fastrows.c holders/native/fastrows.c
	var/fuzz_fastrows -max_total_time=$(FUZZ_SECONDS) -max_len=8192 var/fuzz-corpus tests/holders/files

clean:
	rm -rf var/ .pytest_cache .coverage
