# Single entry point. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export DBT_PROFILES_DIR := $(CURDIR)
export RECON_RAW_DIR ?= $(CURDIR)/demo/raw
DEMO_REQUESTS ?= 20000
BENCH_REQUESTS ?= 1000000
BENCH_STEPS ?= floor,full,incremental,decision
GARBAGE_MB ?= 200
RECON_APP_PORT ?= 8501

.DEFAULT_GOAL := help
.PHONY: help setup spark-setup browser demo-data load build summary packet check daily publish demo demo-spark app lint test bench bench-garbage ci docs prices clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 14

$(BIN)/dbt: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e . -c constraints.txt
	@touch $(BIN)/dbt

setup: $(BIN)/dbt ## Create the virtualenv and install the pinned dependencies

$(BIN)/pyspark: $(BIN)/dbt
	$(BIN)/pip install --quiet -e '.[spark]' -c constraints.txt
	@touch $(BIN)/pyspark

spark-setup: $(BIN)/pyspark ## Install local Spark (dbt-spark, pyspark) and Java 17 (Debian package) when absent
	@if ! command -v java >/dev/null; then \
		$(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq && \
		$(if $(filter 0,$(shell id -u)),,sudo) env DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq openjdk-17-jre-headless; \
	fi

browser: ## Install headless Chromium and its driver (Debian packages) when absent, for the browser test
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
		$(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq && \
		$(if $(filter 0,$(shell id -u)),,sudo) env DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq chromium chromium-driver; \
	fi

demo-data: setup ## Generate the demo landing zone in RECON_RAW_DIR if it is absent
	@if [ "$(RECON_RAW_DIR)" = "$(CURDIR)/demo/raw" ]; then \
		$(BIN)/recon demo-data --out "$(RECON_RAW_DIR)" --requests $(DEMO_REQUESTS); \
	else echo "using landing zone $(RECON_RAW_DIR)"; fi

load: demo-data ## Load the landing zone (RECON_RAW_DIR) into the raw tables of target/dev.duckdb
	$(BIN)/recon load --database target/dev.duckdb

build: load ## dbt build (seeds, models, tests) into target/dev.duckdb, after the load
	$(BIN)/dbt build --target dev

summary: ## Print the period summary from target/dev.duckdb
	$(BIN)/recon summary --db target/dev.duckdb

packet: ## Write the close packet of the period being closed (PERIOD=YYYY-MM, default: the latest ended) into close_packets/
	$(BIN)/recon packet --db target/dev.duckdb --out close_packets $(if $(PERIOD),--period $(PERIOD))

check: ## The month so far from the marts of target/dev.duckdb (PERIOD=YYYY-MM, default: this UTC month; the demo's is 2026-10); exit 1 on an alert (config/check.yml)
	$(BIN)/recon check --db target/dev.duckdb $(if $(PERIOD),--period $(PERIOD))

daily: setup ## Every day (README "Every day"): recon pull, load, dbt build --target prod, recon check, on RECON_RAW_DIR and DBT_DUCKDB_PATH (default target/prod.duckdb); a failed pull still loads, builds and checks what landed; exit non-zero when a step failed or the check alerts
	@export DBT_DUCKDB_PATH="$${DBT_DUCKDB_PATH:-target/prod.duckdb}"; \
	$(BIN)/recon pull --out "$(RECON_RAW_DIR)"; pulled=$$?; \
	$(BIN)/recon load && $(BIN)/dbt build --target prod && $(BIN)/recon check $(if $(PERIOD),--period $(PERIOD)); \
	checked=$$?; exit $$(( checked ? checked : pulled ))

publish: ## Copy the marts to target/marts.duckdb, a read-only file for BI tools
	$(BIN)/recon publish --db target/dev.duckdb --out target/marts.duckdb

demo: build summary packet publish ## The main job: install, demo exports, build, summary, close packet, BI copy

demo-spark: spark-setup demo-data ## The main job on local Spark (README "On Spark"): load, build, BI copy, summary
	export RECON_CLOSE_DIR=target/spark/close_records && \
		$(BIN)/recon load --engine spark && \
		$(BIN)/dbt build --target spark && \
		$(BIN)/recon publish --engine spark --out target/spark_marts.duckdb && \
		$(BIN)/recon summary --db target/spark_marts.duckdb

app: setup ## The reviewer inbox and close dashboard on the published marts (after make demo), port RECON_APP_PORT
	$(BIN)/streamlit run app/inbox.py --server.port $(RECON_APP_PORT) --server.headless true \
		--browser.gatherUsageStats false --client.toolbarMode minimal

lint: setup ## sqlfluff (dbt templater, in-memory lint target) and ruff
	RECON_CLOSE_DIR=target/lint_has_no_close_records $(BIN)/sqlfluff lint models data-tests analyses --processes 2
	$(BIN)/ruff check src app tests
	$(BIN)/ruff format --check src app tests

test: demo-data browser spark-setup ## Every test: lint, load and dbt build on a fresh CI database, pytest (the demo on local Spark too)
	$(MAKE) lint
	rm -rf target/ci.duckdb target/ci_close_records target/test_spark
	$(BIN)/dbt parse --warn-error --target ci
	$(BIN)/recon load --database target/ci.duckdb --close-dir target/ci_close_records
	DBT_DUCKDB_PATH=target/ci.duckdb RECON_CLOSE_DIR=target/ci_close_records $(BIN)/dbt build --target ci
	$(BIN)/pytest -n 2 --dist loadfile --no-loadscope-reorder --durations=30

bench: setup ## Benchmark floor query, full build, daily increment and one inbox action at BENCH_REQUESTS requests
	$(BIN)/recon bench --requests $(BENCH_REQUESTS) --steps $(BENCH_STEPS)

bench-garbage: setup ## Build with a GARBAGE_MB MB CSV of garbage lines landed: time, memory, what was recorded
	$(BIN)/recon bench-garbage --megabytes $(GARBAGE_MB)

ci: test ## What CI runs: every test, then the benchmark at a tiny size so it keeps working
	$(MAKE) bench BENCH_REQUESTS=2000

docs: setup ## Generate dbt docs (catalog) into target/
	$(BIN)/dbt docs generate --target dev

prices: setup ## Rebuild seeds/price_book.csv and seeds/model_match_rules.csv from the genai-prices package
	$(BIN)/recon prices

clean: ## Remove build output and the generated demo data
	rm -rf target logs demo close_packets
