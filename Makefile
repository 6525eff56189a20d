# Asistencia — the two commands are `make run` and `make test`; everything else is optional.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TF_STAMP := $(VENV)/.tensorflow
DEV_LOCK := requirements/dev.lock
PIP_FLAGS := --disable-pip-version-check --no-input -q

.PHONY: help venv tensorflow package bundle-test noavx-test arm64-resolve run test quick lint typecheck pytest bench load evaluate robustness soak screenshots live-screenshots console-screenshots lock clean translations compile

help:
	@echo "make run          set up .venv (first time) and start the kiosk"
	@echo "make test         set up .venv, then the whole suite, lint and type checks"
	@echo "make quick        ruff and the fast tests (pytest -m quick): under 2 minutes"
	@echo "make bench        the performance suite (python main.py bench)"
	@echo "make load         simulated kiosks (20 -> 200) syncing with a real PostgreSQL, then the web console's pages; table + JSON"
	@echo "make evaluate     recognition accuracy on ../shared/data/faces"
	@echo "make robustness   the same, plus perturbed photos (dim, backlight, blur, roll, 48 px);"
	@echo "                  ARGS=\"--pipeline A --pipeline B\" compares two pipelines side by side"
	@echo "make soak         the kiosk window for SOAK_MINUTES (60) on a looping camera; one JSON"
	@echo "make screenshots  render every screen into docs/screenshots/"
	@echo "make live-screenshots  the real window under Xvfb, a real face, a PIN tapped with xdotool"
	@echo "make console-screenshots  every web console page in chromium, on a demo central database"
	@echo "make image-test   build the headless image with podman and run it against a real PostgreSQL (root)"
	@echo "make package      the kiosk as one folder, dist/asistencia (PyInstaller, from kiosk.lock)"
	@echo "make bundle-test  build the bundle and run it with no .venv and no source tree"
	@echo "make noavx-test   doctor, enroll and headless on a CPU without AVX (QEMU -cpu Nehalem)"
	@echo "make arm64-resolve  every wheel of kiosk.lock and headless.lock for ARM64 Linux (PyPI)"
	@echo "make tensorflow   add the optional TensorFlow models' packages to .venv"
	@echo "make lock         re-resolve every dependency into requirements/*.lock"

# The virtual environment holds exactly requirements/dev.lock (the kiosk, the headless server
# and the development tools; no TensorFlow): it is made anew whenever that lock changes, and
# --no-deps installs the list as it stands (pip check fails when the list lacks something).
$(STAMP): $(DEV_LOCK)
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Asistencia needs Python 3.11 (found " + sys.version.split()[0] + "); set PYTHON=/path/to/python3.11")'
	rm -rf $(VENV) && $(PYTHON) -m venv $(VENV)
	@echo "Installing pinned dependencies into $(VENV) (first run takes a few minutes)..."
	$(PY) -m pip install $(PIP_FLAGS) --upgrade pip
	$(PY) -m pip install $(PIP_FLAGS) --no-deps -r $(DEV_LOCK)
	$(PY) -m pip check
	@touch $@

# The TensorFlow-based models (VGG-Face, Facenet, ArcFace on TensorFlow...) for a source
# install: what requirements/tensorflow.lock adds, into .venv. Not needed by the defaults.
$(TF_STAMP): $(STAMP) requirements/tensorflow.lock
	$(PY) -m pip install $(PIP_FLAGS) --no-deps -r requirements/tensorflow.lock
	$(PY) -m pip check
	@touch $@

tensorflow: $(TF_STAMP)

venv: $(STAMP)

# The bundle is built in its own venv holding only requirements/kiosk.lock and PyInstaller:
# what is not there cannot end up inside (no TensorFlow, no test or lint tools).
PACKAGE_VENV := build/package-venv
PACKAGE_PY := $(PACKAGE_VENV)/bin/python
$(PACKAGE_VENV)/.installed: requirements/kiosk.lock requirements/package.lock
	rm -rf $(PACKAGE_VENV) && $(PYTHON) -m venv $(PACKAGE_VENV)
	$(PACKAGE_PY) -m pip install $(PIP_FLAGS) --upgrade pip
	$(PACKAGE_PY) -m pip install $(PIP_FLAGS) --no-deps -r requirements/kiosk.lock -r requirements/package.lock
	$(PACKAGE_PY) -m pip check
	@touch $@

package: $(PACKAGE_VENV)/.installed
	$(PACKAGE_PY) -m kiosk.i18n_build
	$(PACKAGE_PY) -m PyInstaller --noconfirm --log-level WARN --distpath dist \
	  --workpath build/pyinstaller packaging/asistencia.spec
	@du -sh dist/asistencia

# ---- System packages: checked first, before the venv (packaging/system-packages.sh) ----
# Every target that needs .venv asks the system first (in well under a second): Python 3.11
# with venv and pip, plus the window's Qt/X libraries for `make run` (and the other targets
# that open it), plus Xvfb, xdotool, openbox, shellcheck and LibreOffice for the tests. As
# root with apt-get the missing ones are installed; otherwise make stops with one line naming
# the `sudo apt-get install ...` to run. ASISTENCIA_SKIP_SYSTEM_CHECK=1 skips the check
# (another distribution, packages installed some other way). SYSTEM_PURPOSE=python|run|test
# overrides the list chosen from the goals.
SYSTEM_TEST_GOALS := test pytest quick live-screenshots console-screenshots
SYSTEM_RUN_GOALS := run bench soak
SYSTEM_PURPOSE ?= $(if $(filter $(SYSTEM_TEST_GOALS),$(MAKECMDGOALS)),test,$(if $(filter $(SYSTEM_RUN_GOALS),$(MAKECMDGOALS)),run,python))
.PHONY: system-packages
system-packages:
	@PYTHON="$(PYTHON)" packaging/system-packages.sh $(SYSTEM_PURPOSE)
# Order-only: asked every time, but never a reason to rebuild the venv.
$(STAMP): | system-packages
$(PACKAGE_VENV)/.installed: | system-packages
# ---- end of system packages ----

# The bundle alone: copied out of the tree, run with no .venv and a minimal PATH (doctor,
# enroll, headless on a video, the window offscreen); prints one JSON line.
bundle-test: package $(STAMP)
	$(PY) -m tools.release.bundle_check dist/asistencia

# The source install on a CPU without AVX: .venv's interpreter under QEMU user-mode emulation
# (Debian's qemu-user, -cpu Nehalem), every process it starts emulated too (checked with
# strace): doctor, enroll from a photo, headless on a video with blink and passive liveness;
# one JSON line. Minutes, not seconds: emulation is slow. Needs qemu-user and strace.
NOAVX_CPU ?= Nehalem
noavx-test: $(STAMP)
	$(PY) -m tools.release.noavx_check --cpu $(NOAVX_CPU)

# Would kiosk.lock and headless.lock install on a 64-bit ARM board (Raspberry Pi 4/5)? Each
# pinned wheel is looked up on PyPI for manylinux_2_39_aarch64 and CPython 3.11 (needs the
# network); one JSON line naming any package without one.
arm64-resolve: $(STAMP)
	$(PY) -m tools.release.arm64_resolve

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

# The tier to run before each commit: ruff, then the tests marked `quick` (attendance rules,
# summaries, pay periods, settings, the catalogue, report formats, recognition's pieces
# without a model; no window, no PostgreSQL): about a minute on 2 busy cores; `make test`
# runs these too, with everything else.
quick: $(STAMP) translations
	$(VENV)/bin/ruff check .
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -m quick $(PYTEST_ARGS)

bench: $(STAMP) translations compile
	$(PY) main.py bench $(ARGS)

# Simulated kiosks (each its own SQLite file and least-privilege role) pushing and pulling
# through the real sync code against a real PostgreSQL (embedded unless
# ASISTENCIA_LOAD_DATABASE_URL or ASISTENCIA_TEST_DATABASE_URL names one): a table on stderr,
# one JSON verdict on stdout. Not part of `make test` (tests/sync/test_load_tool.py runs it tiny).
LOAD_KIOSKS ?= 20,50,100,200
load: $(STAMP)
	$(PY) -m tools.bench.load --kiosks $(LOAD_KIOSKS) $(ARGS)

# The real window on a looping video of people walking up; prints one JSON object and exits
# non-zero when the kiosk died, recorded a stranger, or grew in memory, threads or files.
SOAK_MINUTES ?= 60
soak: $(STAMP) translations compile
	SOAK_MINUTES=$(SOAK_MINUTES) $(PY) -m tools.bench.soak

# The headless image (Dockerfile.sync) built with podman on the pinned base's local stand-in
# and run for real: /health, the health check, sync --once, SIGTERM, file modes, its size (at
# most 700 MB without TensorFlow); one JSON line. IMAGE_VARIANT=tensorflow: the optional variant.
IMAGE_VARIANT ?= headless
.PHONY: image-test
image-test: $(STAMP)
	VARIANT=$(IMAGE_VARIANT) $(PY) -m tools.release.image_check

evaluate: $(STAMP)
	$(PY) main.py evaluate --dataset ../shared/data/faces $(ARGS)

robustness: $(STAMP)
	$(PY) main.py evaluate --dataset ../shared/data/faces --perturb $(ARGS)

screenshots: $(STAMP) translations
	QT_QPA_PLATFORM=offscreen $(PY) -m tools.harness.screenshots

# Every page of the web console in Debian's chromium (chromium-driver), on a demo central
# database in a throw-away embedded PostgreSQL: docs/screenshots/console/.
console-screenshots: $(STAMP) translations
	$(PY) -m tools.harness.console_screenshots

LIVE_SIZES ?= 1024x768 1920x1080
live-screenshots: $(STAMP) translations compile
	$(PY) -m tools.harness.live_screenshots $(foreach s,$(LIVE_SIZES),--size $(s)) --lang es --lang en

# One resolution of everything, split into one exact lock per install (tools/release/lock.py).
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install $(PIP_FLAGS) --upgrade pip
	.lock-venv/bin/python -m tools.release.lock --all-requirements > .lock-venv/all.txt
	.lock-venv/bin/python -m pip install $(PIP_FLAGS) -r .lock-venv/all.txt
	.lock-venv/bin/python -m pip freeze > .lock-venv/freeze.txt
	.lock-venv/bin/python -m tools.release.lock --freeze .lock-venv/freeze.txt
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache build dist
