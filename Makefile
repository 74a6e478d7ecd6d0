# Marina: the two commands are `make run` and `make test`.
# Both install what is missing (Debian packages, npm modules for the e2e
# client), build, and then run. `make run` builds only what it starts (CMake
# target marina_run: the services, marina-migrate and the CLI); `make build`
# and `make test` build everything. BUILD_DIR and JOBS can be overridden.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
BUILD_TYPE ?= RelWithDebInfo

# ccache hits across checkouts in different directories (CI clones afresh).
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := true
export CCACHE_MAXSIZE ?= 5G

.PHONY: all deps configure build build-run run stop test test-unit bench clean

all: build

deps:
	bash scripts/install-deps.sh

configure: deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

build-run: configure
	cmake --build $(BUILD_DIR) -j $(JOBS) --target marina_run

run: build-run
	MARINA_BUILD_DIR=$(abspath $(BUILD_DIR)) bash scripts/platform.sh run

stop:
	bash scripts/platform.sh stop

test: build
	MARINA_BUILD_DIR=$(abspath $(BUILD_DIR)) bash scripts/test.sh

# Only the tests that need no server.
test-unit: build
	ctest --test-dir $(BUILD_DIR) -L unit --output-on-failure -j $(JOBS)

bench: build
	bash scripts/bench.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR) build-fuzz
