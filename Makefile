# The README's two commands: `make demo` and `make test`. Both are idempotent.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The address certificates' QR codes and printed verification lines point at (settings.PUBLIC_BASE_URL).
# Give it when people reach the demo by another name, e.g. make demo HOST=0.0.0.0 PUBLIC_BASE_URL=http://10.0.0.5:8000
PUBLIC_BASE_URL ?= http://$(if $(filter 0.0.0.0,$(HOST)),127.0.0.1,$(HOST)):$(PORT)

# System packages: WeasyPrint's Pango, HarfBuzz's subsetter (without it a Chinese PDF takes ~12 s
# instead of ~0.2 s), a CJK font, poppler for PDF checks, Chromium for the browser tests, and LibreOffice Calc
# (headless) to write .xls/.xlsx files as registrars save them for the import tests.
PDF_PKGS := libpango-1.0-0 libharfbuzz-subset0 fonts-noto-cjk
# Java runs the Nu HTML Checker (tests/a11y/test_html_valid.py); wrk loads the pages in bench_pages's smoke run;
# SoftHSM and OpenSC's pkcs11-tool make the PKCS#11 token that tests/certificates/test_pkcs11_signing.py signs with.
TEST_PKGS := $(PDF_PKGS) chromium poppler-utils zbar-tools libreoffice-calc-nogui nginx default-jre-headless wrk \
             softhsm2 opensc
# The Nu HTML Checker's vnu.jar, from the npm package vnu-jar (npm pack: no install script, no Java download).
VNU_VERSION := 26.9.27
VNU_JAR := .cache/vnu-$(VNU_VERSION)/vnu.jar
BENCH_PKGS := wrk

.PHONY: demo test bench lint sysdeps-demo sysdeps-test sysdeps-bench serve

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/activate
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

# Installs missing Debian packages when root; otherwise prints the apt-get line ($(1): packages, $(2): warn|error).
define ensure_pkgs
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing:$$missing"; \
	    (apt-get install -y -q $$missing >/dev/null 2>&1 || (apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null)) || { echo "apt-get failed for:$$missing"; exit 1; }; \
	  elif [ "$(2)" = error ]; then \
	    echo "ERROR: missing system packages. Run: sudo apt-get install -y$$missing"; exit 1; \
	  else \
	    echo "WARNING: missing system packages; PDF features will say what is missing. To fix: sudo apt-get install -y$$missing"; \
	  fi; \
	fi
endef

sysdeps-demo:
	$(call ensure_pkgs,$(PDF_PKGS),warn)

sysdeps-test:
	$(call ensure_pkgs,$(TEST_PKGS),error)

sysdeps-bench:
	$(call ensure_pkgs,$(TEST_PKGS) $(BENCH_PKGS),error)

# The demo is served as production is: DEBUG off (Chinese error pages, no debug page listing every URL),
# static files through WhiteNoise, and the QR base URL set to the address served.
# TWO_FACTOR_DEMO=1: the demo accounts pass the second sign-in step with the README's fixed code.
DEMO_ENV := DEBUG=0 PUBLIC_BASE_URL=$(PUBLIC_BASE_URL) TWO_FACTOR_DEMO=1

demo: $(VENV)/.installed sysdeps-demo
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py load_demo
	@echo "Serving the portal on $(PUBLIC_BASE_URL)/ (Ctrl+C stops it)"
	$(DEMO_ENV) $(PY) manage.py runserver --nostatic $(HOST):$(PORT)

$(VNU_JAR):
	@command -v npm >/dev/null || { echo "ERROR: npm is needed to fetch vnu-jar (Node.js)"; exit 1; }
	mkdir -p $(@D)
	cd $(@D) && npm pack --silent vnu-jar@$(VNU_VERSION) >/dev/null && \
	  tar -xzf vnu-jar-$(VNU_VERSION).tgz --strip-components=3 package/build/dist/vnu.jar && rm vnu-jar-$(VNU_VERSION).tgz

# Two workers by default (CI machines have 2 cores); whole files go to one worker, so a module's browser and
# production-stack fixtures start once, in the order tests/conftest.py gives (the slowest files first).
# TEST_WORKERS=0 runs in one process; PYTEST_ARGS replaces both.
TEST_WORKERS ?= 2
PYTEST_ARGS ?= $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder)
test: $(VENV)/.installed-dev sysdeps-test $(VNU_JAR)
	PORTAL_TESTING=1 VNU_JAR=$(VNU_JAR) $(PY) -m pytest $(PYTEST_ARGS)

SCALE ?= 1
bench: $(VENV)/.installed-dev sysdeps-bench
	SCALE=$(SCALE) $(PY) benchmarks/run_all.py

lint: $(VENV)/.installed-dev
	$(PY) -m ruff check .
