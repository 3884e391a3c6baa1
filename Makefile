# The two commands a new user needs (README.md): `make demo` and `make test`.
# Both install the Debian packages ctkit needs (scripts/install-deps.sh), then build; `make test`
# also installs what only tests need (scripts/install-test-deps.sh: headless Chromium, clang-19
# for the fuzzers).

BUILD_DIR ?= build
ASAN_BUILD_DIR ?= build-asan
FUZZ_BUILD_DIR ?= build-fuzz
PACKAGE_BUILD_DIR ?= build-package
JOBS ?= 2
# Tests at once: most of them wait on child processes and sockets, so more than the cores
# (docs/testing.md, "Test runs").
CTEST_JOBS ?= 4
# The sanitizer run runs each suite binary as this many shards, not one process per test.
ASAN_SHARDS ?= 4
# Seconds per fuzz target: `make test` runs each briefly, `make fuzz` for FUZZ_SECONDS.
TEST_FUZZ_SECONDS ?= 5
FUZZ_SECONDS ?= 300
# A test run whose binaries, testdata and options are byte-identical to the last run that passed
# is not repeated (scripts/run-ctest.sh); FRESH=1 runs it anyway.
export FRESH

.PHONY: all deps test-deps build test test-release test-sanitize test-fuzz fuzz-build fuzz demo \
        bench check clean format format-check package

all: build

deps:
	@scripts/install-deps.sh

test-deps: deps
	@scripts/install-test-deps.sh

build: deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD_DIR) -j $(JOBS)

# The format check (seconds), every test in the Release build, then every test (label "unit")
# again under AddressSanitizer + UndefinedBehaviorSanitizer, then each libFuzzer target briefly.
test: format-check test-release test-sanitize test-fuzz

# clang-format 19 with .clang-format on every C++ file (scripts/format-check.sh); `make format`
# applies it.
format-check: test-deps
	scripts/format-check.sh

format: test-deps
	scripts/format-check.sh --fix

test-release: build test-deps
	scripts/run-ctest.sh $(BUILD_DIR) -j $(CTEST_JOBS)

test-sanitize: test-deps
	cmake -S . -B $(ASAN_BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCTKIT_SANITIZE=ON \
	  -DCTKIT_BUILD_BENCH=OFF -DCTKIT_TEST_SHARDS=$(ASAN_SHARDS)
	cmake --build $(ASAN_BUILD_DIR) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  scripts/run-ctest.sh $(ASAN_BUILD_DIR) -j $(CTEST_JOBS) -L unit

# The quick loop (docs/testing.md): build one suite's test binary and run it directly, e.g.
#   make check SUITE=monitor FILTER='LogTailerTest.*'
SUITE ?= ct
FILTER ?= *
check: deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build $(BUILD_DIR) -j $(JOBS) --target $(SUITE)_tests
	$(BUILD_DIR)/tests/$(SUITE)_tests --gtest_brief=1 --gtest_filter='$(FILTER)'

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

# The Debian package (README.md, "Install"): ctkit and its man pages built in their own Release
# tree with the /usr prefix (the compiler cache makes that cheap after `make build`), then
# CPack's DEB generator, its Depends from dpkg-shlibdeps: $(PACKAGE_BUILD_DIR)/ctkit_*.deb.
package: deps
	cmake -S . -B $(PACKAGE_BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release \
	  -DCMAKE_INSTALL_PREFIX=/usr -DCTKIT_BUILD_BENCH=OFF
	cmake --build $(PACKAGE_BUILD_DIR) -j $(JOBS) --target ctkit ctkit_man
	rm -f $(PACKAGE_BUILD_DIR)/ctkit_*.deb
	cpack -G DEB --config $(PACKAGE_BUILD_DIR)/CPackConfig.cmake -B $(PACKAGE_BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR) $(ASAN_BUILD_DIR) $(FUZZ_BUILD_DIR) $(PACKAGE_BUILD_DIR)
