# hoinghi: `make demo` serves the 2018 scenario, `make test` runs every test, `make bench` measures.
# Django 6 needs Python 3.12 or newer: the first one found below is used (override: make PYTHON=...);
# with none, uv fetches one (a fresh machine with only Python 3.11 still gets going).

SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 $$HOME/.pyenv/versions/3.1[234]*/bin/python3 /usr/local/bin/python3 /usr/bin/python3 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { command -v $$p; break; }; done)
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: setup demo serve test bench lint clean

$(BIN)/.installed: requirements.lock pyproject.toml
	@if [ -n "$(PYTHON)" ]; then \
		echo "Using $(PYTHON) ($$($(PYTHON) --version))"; \
		$(PYTHON) -m venv $(VENV); \
	else \
		echo "No Python 3.12 or newer here (Django 6 needs one): fetching one with uv."; \
		python3 -m venv var/bootstrap && var/bootstrap/bin/python -m pip install --quiet uv && \
		var/bootstrap/bin/uv venv --seed --python 3.12 $(VENV) || { \
		echo "Could not get Python 3.12. Install python3.12 and run make again, or pass PYTHON=/path/to/python3.12."; \
		exit 1; }; \
	fi
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

setup: $(BIN)/.installed
	$(BIN)/hoinghi migrate --noinput

demo: setup
	$(BIN)/hoinghi demo-load
	$(BIN)/hoinghi demo-resolution --years 2019-2023
	@$(BIN)/hoinghi demo-logins
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl+C stops it)"
	@echo "Live dashboard: http://$(HOST):$(PORT)/truc-tiep/hoi-nghi/1/ — replay the morning in another terminal:"
	@echo "  $(BIN)/hoinghi simulate-conference --speed 10"
	@echo "Resolution dashboard: http://$(HOST):$(PORT)/chi-tieu/ — replay a quarter's reports across the country:"
	@echo "  $(BIN)/hoinghi resolutions-replay-quarter --speed 3000"
	@trap 'kill 0' EXIT; export HOINGHI_BASE_URL=$${HOINGHI_BASE_URL:-http://$(HOST):$(PORT)}; \
	export HOINGHI_STREAM_CALLBACK_URL=http://$(HOST):$(PORT); \
	echo "Links in QR codes and e-mails: $$HOINGHI_BASE_URL (HOINGHI_BASE_URL)"; \
	$(BIN)/hoinghi db-worker --queue-name default --interval 0.5 >var/worker.log 2>&1 & \
	$(BIN)/hoinghi media-serve >var/media.log 2>&1 & media=$$!; \
	for try in 1 2 3 4 5; do sleep 1; kill -0 $$media 2>/dev/null || break; \
		$(BIN)/hoinghi media-check >/dev/null 2>&1 && break; done; \
	if kill -0 $$media 2>/dev/null && $(BIN)/hoinghi media-check; then \
		echo "Media server (nginx-rtmp): rtmp://127.0.0.1:1935/live — see docs/operations.md"; \
	else echo "No media server (video): $$(tail -1 var/media.log) — the stream page says so too"; fi; \
	$(BIN)/hoinghi serve --host $(HOST) --port $(PORT)

test: $(BIN)/.installed
	HOINGHI_TASKS=immediate HOINGHI_TEST_PASSWORD_HASHING=1 $(BIN)/pytest $(PYTEST_ARGS)

$(BIN)/.bench-installed: $(BIN)/.installed requirements-bench.lock
	$(BIN)/python -m pip install --quiet -r requirements-bench.lock
	@touch $@

bench: setup $(BIN)/.bench-installed
	HOINGHI_TASKS=immediate $(BIN)/python -m benchmarks $(BENCH_ARGS)

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) var build src/*.egg-info
