# Two commands: `make lab` (set up, open the tutorials) and `make test` (set up, run every test).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
PYTEST_NB := --nbval-lax --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

.PHONY: lab test test-fast bench docs notebooks pictures lint clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,docs,digits]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	rm -f $(VENV)/.installed-* && touch $@

# Jupyter refuses to run as root unless told; containers often run as root.
AS_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: $(STAMP)  ## set up and open the tutorials in JupyterLab
	$(BIN)/jupyter lab $(AS_ROOT) notebooks/01_why_autodiff.ipynb

test: $(STAMP)  ## set up and run every test: unit, property, notebooks
	env -u MPLBACKEND $(BIN)/python -m pytest $(PYTEST_NB) tests notebooks

test-fast: $(STAMP)  ## unit tests only
	$(BIN)/python -m pytest -q -x tests

bench: $(STAMP)  ## benchmark tables (install the peers with: pip install -e '.[bench]')
	$(BIN)/python benchmarks/run.py

docs: $(STAMP)  ## build the documentation into docs/_build/html (warnings are errors)
	$(BIN)/python -m sphinx -W --keep-going -b html docs docs/_build/html

notebooks: $(STAMP)  ## re-execute every tutorial in place on a fresh kernel (they are their own source)
	for nb in notebooks/[0-9]*.ipynb; do \
	  env -u MPLBACKEND $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	    --ExecutePreprocessor.record_timing=False "$$nb" || exit 1; \
	done

pictures: $(STAMP)  ## the README's pictures, from the screenshots the browser tests take
	env -u MPLBACKEND $(BIN)/python -m pytest -q tests/browser/test_player.py tests/browser/test_playground.py
	cp test-artifacts/browser/player-last-step.png docs/images/player_browser.png
	cp test-artifacts/browser/playground-after-600-steps.png docs/images/playground_browser.png

lint: $(STAMP)
	$(BIN)/ruff check autograd_nb tests benchmarks

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
