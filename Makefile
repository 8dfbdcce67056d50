# The two commands of the README: `make run` and `make test`. Both install
# what is missing first (Debian packages; Redocly CLI from npm, pinned, into
# build/tools), then build.

SHELL := /bin/bash
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
PY := /usr/bin/python3
REDOCLY_VERSION := 1.34.20
REDOCLY := $(BUILD_DIR)/tools/node_modules/.bin/redocly
SERVE_ARGS ?=

DEB_PACKAGES := g++ cmake make libboost-dev nlohmann-json3-dev libsqlite3-dev libssl-dev \
  libspdlog-dev libcli11-dev libgtest-dev libgmock-dev libbenchmark-dev curl sqlite3 \
  python3 python3-pytest python3-requests python3-yaml python3-jsonschema prometheus \
  python3-boto3 awscli wrk

.PHONY: all deps build run test unit-test integration-test lint-openapi bench clean

all: build

# Installs only what is missing, so a second run costs a dpkg query.
deps:
	@missing=$$(for p in $(DEB_PACKAGES); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; \
	  done); \
	command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q $$missing; \
	fi

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	mkdir -p var
	$(BUILD_DIR)/bin/trainyard serve $(SERVE_ARGS)

$(REDOCLY):
	mkdir -p $(BUILD_DIR)/tools
	npm install --prefix $(BUILD_DIR)/tools --no-audit --no-fund --loglevel=error @redocly/cli@$(REDOCLY_VERSION)

lint-openapi: $(REDOCLY)
	$(REDOCLY) lint --config openapi/redocly.yaml openapi/openapi.yaml

unit-test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

integration-test: build
	$(PY) -m pytest -q tests/integration

test: build lint-openapi unit-test integration-test

# Benchmarks against their baselines (bench/README.md); not part of test.
bench: build
	BUILD_DIR=$(BUILD_DIR) bench/run.sh

clean:
	rm -rf $(BUILD_DIR)
