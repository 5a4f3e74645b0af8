# Two commands do everything on a fresh machine: `make serve` and `make test`.
VENV   ?= .venv
PYTHON ?= python3
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# every version make installs, with its sha256: `make lock` refreshes it from pyproject.toml
LOCK   := requirements.lock
BENCH  := $(VENV)/.installed-bench
# Material prints a MkDocs 2 banner on every build; the pin mkdocs<2 already answers it
export NO_MKDOCS_2_WARNING := 1

.PHONY: test site serve pdf bench lock clean

$(STAMP): pyproject.toml $(LOCK)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

## test: every unit, property, symbolic and doctest check, the site build and the browser checks
test: $(STAMP)
	$(PY) -m pytest

## site: build the book into site/ (strict: a failing block or doctest fails the build)
site: $(STAMP)
	$(PY) -m mkdocs build --strict --site-dir site

## serve: build and serve a live preview on http://127.0.0.1:8000
serve: $(STAMP)
	$(PY) -m mkdocs serve --strict --dev-addr 127.0.0.1:8000

## pdf: the whole book as one PDF, site/book.pdf: Debian's Chromium prints the freshly built site
pdf: site
	$(PY) -m book.pdf --site site --out site/book.pdf

$(BENCH): $(STAMP)
	$(PY) -m pip install --quiet -e '.[bench]'
	touch $(BENCH)

## bench: time backprop against PyTorch autograd and the matrix-product floor (writes
## benchmarks/results/backprop.json, which Chapter 12 reads); OpenBLAS picks its own kernel
bench: $(BENCH)
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(PY) benchmarks/backprop.py

## lock: re-resolve the test and docs extras (and the build backend) into requirements.lock, with hashes
lock:
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet 'pip-tools==7.6.2'
	$(PY) -m piptools compile --quiet --generate-hashes --allow-unsafe --all-build-deps \
	    --extra test --extra docs --strip-extras --no-emit-index-url --no-emit-find-links \
	    --output-file $(LOCK) pyproject.toml

clean:
	rm -rf site .pytest_cache .hypothesis
