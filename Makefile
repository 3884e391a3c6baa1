# The two commands a new user needs (README.md): `make demo` and `make test`.
# Both install the Debian packages ctkit needs (scripts/install-deps.sh), then build; `make test`
# also installs what only tests need (scripts/install-test-deps.sh: headless Chromium, clang-19
# for the fuzzers).

BUILD_DIR ?= build
ASAN_BUILD_DIR ?= build-asan
FUZZ_BUILD_DIR ?= build-fuzz
JOBS ?= 2
# Seconds per fuzz target: `make test` runs each briefly, `make fuzz` for FUZZ_SECONDS.
TEST_FUZZ_SECONDS ?= 5
FUZZ_SECONDS ?= 300

.PHONY: all deps test-deps build test test-release test-sanitize test-fuzz fuzz-build fuzz demo \
        bench clean

all: build

deps:
	@scripts/install-deps.sh

test-deps: deps
	@scripts/install-test-deps.sh

build: deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD_DIR) -j $(JOBS)

# Every test in the Release build, then the unit tests (parsers, proofs) again under
# AddressSanitizer + UndefinedBehaviorSanitizer, then each libFuzzer target briefly.
test: test-release test-sanitize test-fuzz

test-release: build test-deps
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)

test-sanitize: test-deps
	cmake -S . -B $(ASAN_BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCTKIT_SANITIZE=ON \
	  -DCTKIT_BUILD_BENCH=OFF
	cmake --build $(ASAN_BUILD_DIR) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir $(ASAN_BUILD_DIR) --output-on-failure -j $(JOBS) -L unit

# The libFuzzer targets of fuzz/ (docs/security.md): a clang build with ASan+UBSan, then each
# target from its seeds for a bounded time; any crash, leak, timeout or OOM fails.
fuzz-build: test-deps
	cmake -S . -B $(FUZZ_BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_CXX_COMPILER=clang++-19 -DCTKIT_FUZZ=ON
	cmake --build $(FUZZ_BUILD_DIR) -j $(JOBS)

test-fuzz: fuzz-build
	scripts/run-fuzzers.sh $(FUZZ_BUILD_DIR) $(TEST_FUZZ_SECONDS)

fuzz: fuzz-build
	scripts/run-fuzzers.sh $(FUZZ_BUILD_DIR) $(FUZZ_SECONDS)

demo: build
	scripts/demo.sh $(BUILD_DIR)/ctkit

# Every benchmark of bench/ (docs/PERFORMANCE.md), on an otherwise idle machine.
bench: build
	bench/run-all.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR) $(ASAN_BUILD_DIR) $(FUZZ_BUILD_DIR)
