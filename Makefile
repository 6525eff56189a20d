# Asistencia — the two commands are `make run` and `make test`; everything else is optional.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PIP_FLAGS := --disable-pip-version-check --no-input -q

.PHONY: help venv run test lint typecheck pytest bench evaluate soak screenshots live-screenshots lock clean translations compile

help:
	@echo "make run          set up .venv (first time) and start the kiosk"
	@echo "make test         set up .venv, then the whole suite, lint and type checks"
	@echo "make bench        the performance suite (python main.py bench)"
	@echo "make evaluate     recognition accuracy on ../shared/data/faces"
	@echo "make soak         the kiosk window for SOAK_MINUTES (60) on a looping camera; one JSON"
	@echo "make screenshots  render every screen into docs/screenshots/"
	@echo "make live-screenshots  the real window under Xvfb, a real face, a PIN tapped with xdotool"
	@echo "make lock         re-resolve the dependencies into requirements.lock"

# The virtual environment is rebuilt whenever the lock file changes.
$(STAMP): requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Asistencia needs Python 3.11 (found " + sys.version.split()[0] + "); set PYTHON=/path/to/python3.11")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "Installing pinned dependencies into $(VENV) (first run takes a few minutes)..."
	$(PY) -m pip install $(PIP_FLAGS) --upgrade pip
	$(PY) -m pip install $(PIP_FLAGS) -r requirements.lock
	$(PY) -m pip check
	@touch $@

venv: $(STAMP)

translations: $(STAMP)
	@$(PY) -m kiosk.i18n_build

# Bytecode compiled ahead: a kiosk whose environment sets PYTHONDONTWRITEBYTECODE would
# otherwise compile every module at every start (measured: ~0.3 s before the window).
compile: $(STAMP)
	@$(PY) -m compileall -q -j 0 main.py core kiosk seeds

run: $(STAMP) translations compile
	$(PY) main.py $(ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

typecheck: $(STAMP)
	$(VENV)/bin/mypy

pytest: $(STAMP) translations
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

test: lint typecheck pytest

bench: $(STAMP) translations compile
	$(PY) main.py bench $(ARGS)

# The real window on a looping video of people walking up; prints one JSON object and exits
# non-zero when the kiosk died, recorded a stranger, or grew in memory, threads or files.
SOAK_MINUTES ?= 60
soak: $(STAMP) translations compile
	SOAK_MINUTES=$(SOAK_MINUTES) $(PY) -m tools.soak

evaluate: $(STAMP)
	$(PY) main.py evaluate --dataset ../shared/data/faces $(ARGS)

screenshots: $(STAMP) translations
	QT_QPA_PLATFORM=offscreen $(PY) -m tools.screenshots

LIVE_SIZES ?= 1024x768 1920x1080
live-screenshots: $(STAMP) translations compile
	$(PY) -m tools.live_screenshots $(foreach s,$(LIVE_SIZES),--size $(s)) --lang es --lang en

lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install $(PIP_FLAGS) --upgrade pip
	.lock-venv/bin/python -m pip install $(PIP_FLAGS) -e '.[dev]'
	{ echo "# Exact versions for every install (make venv). Regenerate with: make lock"; \
	  .lock-venv/bin/python -m pip freeze --exclude-editable | grep -v -E '^(pip|setuptools|wheel)=='; } > requirements.lock
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
