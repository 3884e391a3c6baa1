# The two commands a new user needs (README.md): `make demo` and `make test`.
# Both install the Debian packages ctkit needs (scripts/install-deps.sh), then build; `make test`
# also installs what only tests need (scripts/install-test-deps.sh: headless Chromium).

BUILD_DIR ?= build
ASAN_BUILD_DIR ?= build-asan
JOBS ?= 2

.PHONY: all deps test-deps build test test-release test-sanitize demo bench clean

all: build

deps:
	@scripts/install-deps.sh

test-deps: deps
	@scripts/install-test-deps.sh

build: deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD_DIR) -j $(JOBS)

# Every test in the Release build, then the unit tests (parsers, proofs) again under
# AddressSanitizer + UndefinedBehaviorSanitizer.
test: test-release test-sanitize

test-release: build test-deps
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)

test-sanitize: test-deps
	cmake -S . -B $(ASAN_BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCTKIT_SANITIZE=ON \
	  -DCTKIT_BUILD_BENCH=OFF
	cmake --build $(ASAN_BUILD_DIR) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir $(ASAN_BUILD_DIR) --output-on-failure -j $(JOBS) -L unit

demo: build
	scripts/demo.sh $(BUILD_DIR)/ctkit

bench: build
	bench/run-merkle-bench.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR) $(ASAN_BUILD_DIR)
