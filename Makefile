# `make run` and `make test` bootstrap everything they need: a .venv with the package, and GraphiQL's files.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: run test lint migrate bench bench-peers schema graphiql bootstrap clean

run: bootstrap
	$(BIN)/assetgraph serve

test: bootstrap
	$(BIN)/pytest

lint: bootstrap
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy assetgraph

migrate: bootstrap
	$(BIN)/assetgraph migrate

bench: bootstrap
	$(BIN)/python -m bench

# assetgraph against PostGraphile 5 on the bench database (not part of `make test`); needs npm. The peer's packages
# (PostGraphile, and Node 22 from npm's `node` package) are reinstalled only when bench/peers' lockfile changes.
# Options: make bench-peers PEERS_ARGS='--assets 100000 --duration 10'
bench-peers: bootstrap
	@command -v npm >/dev/null 2>&1 || { echo "npm not found: install Node.js (any version; the peer brings Node 22)"; exit 1; }
	@cd bench/peers && if [ ! -f node_modules/.npm-ci.stamp ] || [ package-lock.json -nt node_modules/.npm-ci.stamp ] || [ package.json -nt node_modules/.npm-ci.stamp ]; then \
	  npm ci --no-audit --no-fund && touch node_modules/.npm-ci.stamp; \
	fi
	$(BIN)/python -m bench.peers_run $(PEERS_ARGS)

schema: bootstrap
	$(BIN)/assetgraph export-schema > schema.graphql

bootstrap: $(INSTALLED) graphiql

# Reinstalled only when pyproject.toml changes.
$(INSTALLED): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "assetgraph needs Python 3.11 or newer ($(PYTHON) is older); run: make PYTHON=python3.11 ..."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

# GraphiQL's browser files come from npm (pinned in package-lock.json); without npm the API still runs.
graphiql:
	@command -v npm >/dev/null 2>&1 || { echo "npm not found: GraphiQL disabled (install Node.js, then run make graphiql)"; exit 0; }; \
	if [ ! -f node_modules/.npm-ci.stamp ] || [ package-lock.json -nt node_modules/.npm-ci.stamp ] || [ package.json -nt node_modules/.npm-ci.stamp ]; then \
	  npm ci --no-audit --no-fund && touch node_modules/.npm-ci.stamp; \
	fi

clean:
	rm -rf $(VENV) node_modules .assetgraph-test .pytest_cache .mypy_cache .ruff_cache
