# One command runs the app, one runs every test. Both set themselves up on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
N ?= 2
# Seconds a draining replica's visitors may take to leave before it is restarted anyway
DRAIN ?= 300
LEAFLET := static/vendor/leaflet/leaflet.js
ICON_FONT := static/fonts/material-symbols-subset.woff2
# pytest-xdist: one worker per core; a browser test file (its own server) stays on one worker (tests/conftest.py)
PARALLEL := -n auto --dist loadgroup

.PHONY: run test test-quick lint data packs national assets setup clean bench soak lock serve-replicas rolling-restart soak-replicas

run: setup  ## Run the app (http://localhost:$(PORT)); builds the national store in the background if it is out of date
	$(BIN)/python -m pages._serve --build-store --server.port $(PORT)

serve-replicas: setup  ## N replicas (default 2) behind HAProxy on http://localhost:$(PORT); Ctrl-C stops them
	$(BIN)/python -m deploy.replicas serve --replicas $(N) --port $(PORT) --drain-seconds $(DRAIN)

rolling-restart:  ## Restart the replicas of `make serve-replicas` one at a time (run from another terminal)
	$(BIN)/python -m deploy.replicas rolling-restart

test: setup  ## Run all tests (unit, AppTest and headless-Chromium browser tests), on every core (what CI runs)
	$(BIN)/ruff check .
	$(BIN)/pytest $(PARALLEL)

test-quick: setup  ## While you work: unit tests on the committed data and one AppTest per page (under 3 minutes)
	$(BIN)/ruff check .
	$(BIN)/pytest $(PARALLEL) -m "not browser and not national and not slow"

lint: setup
	$(BIN)/ruff check .

data: setup  ## Rebuild Coventry's ward set and series from data/raw, then its local pack (data/packs/coventry/built); nothing to do when its inputs are unchanged
	$(BIN)/python -m explorer.pipeline.build

packs: setup  ## Check and build every local pack (data/packs/*/built; docs/packs.md); an unchanged pack is skipped
	$(BIN)/python -m explorer.pipeline.packs

national: setup  ## Build the national store data/store/v1 (every English authority); skipped when its inputs are unchanged
	$(BIN)/python -m explorer.pipeline.national

setup: $(VENV)/.installed assets

bench: setup  ## Time the app against a naive variant, soak it (1 replica, 2 behind HAProxy); print the table (~20 min)
	$(BIN)/python -m bench.run

soak: setup  ## 50 visitors for 10 minutes against one local server; prints errors, latency and memory
	$(BIN)/python -m bench.soak --sessions 50 --minutes 10

soak-replicas: setup  ## The same soak through HAProxy over N replicas (default 2); memory per replica
	$(BIN)/python -m bench.soak --sessions 50 --minutes 10 --replicas $(N)

# Every package comes from requirements.lock, pinned with hashes; the project itself is installed on top.
$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

lock: setup  ## Re-pin every dependency (with hashes) after changing pyproject.toml
	$(BIN)/pip install --quiet uv==0.13.8
	$(BIN)/uv pip compile pyproject.toml --extra test --python-version 3.11 --generate-hashes --no-header \
		-o requirements.lock

assets: $(LEAFLET) $(ICON_FONT)

# Browser libraries come from the npm registry at set-up time and are served by the app itself.
$(LEAFLET): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf static/vendor/leaflet && mkdir -p static/vendor/leaflet
	cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images static/vendor/leaflet/
	touch $@

# Streamlit's icon font cut to the icons the app names (pages, registries, packs, Streamlit's own UI): ~11 KB of ~370 KB
$(ICON_FONT): $(VENV)/.installed deploy/icon_font.py streamlit_app.py $(wildcard pages/*.py explorer/*.py explorer/*/*.py \
		explorer/*/*/*.py data/registry/*.csv data/packs/*/built/*.csv)
	$(BIN)/python -m deploy.icon_font

clean:
	rm -rf $(VENV) node_modules static/vendor static/fonts
