# Set-up and everyday commands. On a fresh machine: `make brief`, then `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: brief test eval bench coverage system-deps clean

brief: $(STAMP)                ## set up, then build the sample brief into build/
	$(VENV)/bin/briefgen build --config config.yaml --out build

test: $(STAMP)                 ## set up, then run the whole test suite
	$(PY) -m pytest -q

bench: $(STAMP)                ## speed and memory: sample vs bare WeasyPrint, 100/1k/10k articles
	$(PY) bench/run.py

coverage: $(STAMP)             ## the test suite with statement coverage per stage package (floor 80%)
	# the disk-full tests limit the size of every file a child writes: coverage's own data file included
	$(PY) -m pytest -q -p no:cacheprovider --cov=briefgen --cov-report=json:build/coverage.json -k "not full_disk"
	$(PY) bench/coverage.py build/coverage.json

eval: $(STAMP)                 ## stance classifier: precision, recall, F1 per stance, macro-F1
	$(PY) bench/eval_stance.py

$(STAMP): pyproject.toml | system-deps
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check -e ".[test]"
	@touch $(STAMP)

# WeasyPrint needs Pango (>= 1.44), HarfBuzz-Subset (deterministic font subsets) and a font.
# Installed when missing and root; otherwise a message says what to install.
PANGO_OK = ldconfig -p | grep -q 'libpango-1.0.so.0' && ldconfig -p | grep -q 'libpangoft2-1.0.so.0' && ldconfig -p | grep -q 'libharfbuzz-subset.so.0'
FONTS_OK = ls /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf >/dev/null 2>&1 || (command -v fc-list >/dev/null && [ -n "$$(fc-list)" ])
system-deps:
	@if ( $(PANGO_OK) ) && ( $(FONTS_OK) ); then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing WeasyPrint's system libraries (Pango, fonts)..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core >/dev/null; \
	else \
	  echo "briefgen needs Pango >= 1.44, HarfBuzz-Subset and a font for PDF output. Install them, e.g. on Debian/Ubuntu:"; \
	  echo "  sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core"; \
	  echo "(macOS: brew install pango; other systems: https://doc.courtbouillon.org/weasyprint/stable/first_steps.html)"; \
	  exit 1; \
	fi

clean:                         ## remove outputs and the virtual environment
	rm -rf build $(VENV)
