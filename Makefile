# Two commands do everything on a fresh machine: `make serve` and `make test`.
VENV   ?= .venv
PYTHON ?= python3
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
BENCH  := $(VENV)/.installed-bench
# Material prints a MkDocs 2 banner on every build; the pin mkdocs<2 already answers it
export NO_MKDOCS_2_WARNING := 1

.PHONY: test site serve pdf bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,docs]'
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
## benchmarks/results/backprop.json and docs/assets/benchmarks/backprop.svg); OpenBLAS picks its own kernel
bench: $(BENCH)
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(PY) benchmarks/backprop.py

clean:
	rm -rf site .pytest_cache .hypothesis
