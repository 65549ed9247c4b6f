# Pasar Kampung. Two commands on a fresh machine with Python >= 3.11 and make:
#   make demo   create .venv, install, compile translations, migrate, load the Banyuwangi demo, serve on :8000
#   make test   install the dev tools, then ruff, mypy and the whole pytest suite (browser tests included)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
PIP    := $(PY) -m pip --disable-pip-version-check --quiet
PYTEST_WORKERS ?= auto
TYPED  := marketplace sellers storefront training

.PHONY: demo test pytest lint typecheck install install-dev messages makemessages migrate serve clean

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Pasar Kampung needs Python 3.11 or newer ($(PYTHON) is older)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIP) install -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PIP) install -e ".[dev]"
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Pure-Python compilation (Babel): no GNU gettext needed on a fresh machine.
messages: $(VENV)/.installed
	$(BIN)/pybabel -q compile -d marketplace/locale -D django

# For developers adding strings (needs GNU gettext): refresh the .po files.
makemessages: $(VENV)/.installed
	$(PY) manage.py makemessages -l id -l en -l de --no-obsolete --ignore=.venv --ignore=tests

migrate: $(VENV)/.installed
	$(PY) manage.py migrate --noinput

demo: $(VENV)/.installed messages migrate
	$(PY) manage.py load_demo
	@echo "Pasar Kampung is at http://localhost:8000/ (Ctrl+C stops it)"
	$(PY) manage.py runserver 0.0.0.0:8000

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy $(TYPED)

pytest: $(VENV)/.installed-dev messages
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

test: lint typecheck pytest

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .mypy_cache .ruff_cache
	find . -name '*.mo' -not -path './$(VENV)/*' -delete
