# cfssim: one non-recursive Makefile.  Sources are found per module folder,
# objects and binaries go under build/, dependencies are tracked with -MMD.

.DELETE_ON_ERROR:
.SUFFIXES:

CC      ?= cc
PREFIX  ?= /usr/local
BUILD   ?= build
PKGS    := yaml-0.1 libmnl

WARN    := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wformat=2 -Wvla -Wwrite-strings -fno-common \
           -Werror
# Link-time optimisation lets the engine's small hot functions (weights,
# PELT, the tree, the workload cursor) inline across files; the link reruns
# the optimiser, so it gets the -O and -flto flags too, and the archive is
# made with gcc-ar so that it indexes the LTO objects.  The engine (sim/,
# with the base/ and model/ code it inlines) is built at -O3 unless OPT is
# given; elsewhere -O3 costs the tree's
# branch-free descent its conditional moves (bench/README.md).
OPT     ?= -O2 -g -flto=auto
AR      := gcc-ar
CPPFLAGS += -D_GNU_SOURCE -I. $(PKG_CFLAGS)
CFLAGS  += $(WARN) $(OPT) $(SAN)
LDFLAGS += $(SAN) $(filter -O% -flto%,$(OPT))
LDLIBS  += $(PKG_LIBS) -lm -lpthread

# Modules, in dependency order; each may use only those before it
# (docs/DESIGN.md): base <- model <- rbtree <- sim <- compare <- scenarios
# <- sweep <- backend <- output <- cli.  The commands of cli/ are not part
# of the library.
BASE_SRC      := $(wildcard base/*.c)
MODEL_SRC     := $(wildcard model/*.c)
RBTREE_SRC    := $(wildcard rbtree/*.c)
SIM_SRC       := $(wildcard sim/*.c)
COMPARE_SRC   := $(wildcard compare/*.c)
SCENARIOS_SRC := $(wildcard scenarios/*.c)
SWEEP_SRC     := $(wildcard sweep/*.c)
BACKEND_SRC   := $(wildcard backend/*.c)
OUTPUT_SRC    := $(wildcard output/*.c)
CLI_SRC       := $(filter-out cli/main.c,$(wildcard cli/*.c))
LIB_SRC       := $(BASE_SRC) $(MODEL_SRC) $(RBTREE_SRC) $(SIM_SRC) \
		 $(COMPARE_SRC) $(SCENARIOS_SRC) $(SWEEP_SRC) $(BACKEND_SRC) $(OUTPUT_SRC)
LIB_OBJ       := $(LIB_SRC:%.c=$(BUILD)/%.o)
LIB           := $(BUILD)/libcfssim.a
CLI_OBJ       := $(CLI_SRC:%.c=$(BUILD)/%.o)
CLI_LIB       := $(BUILD)/libcfssim-cli.a

# The program that runs inside containers is linked statically so that the
# container image needs nothing else (backend/workload/).
WORKLOAD_SRC  := $(wildcard backend/workload/*.c)
WORKLOAD_BIN  := $(if $(WORKLOAD_SRC),$(BUILD)/cfssim-workload)

TEST_SRC      := $(wildcard tests/test_*.c)
TEST_BIN      := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
# Tests written as shell scripts (they print cmocka's summary lines).
TEST_SCRIPTS  := $(wildcard tests/test_*.sh)
BENCH_SRC     := $(wildcard bench/*.c)
BENCH_BIN     := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)
MODULES       := base model rbtree sim compare scenarios sweep backend output cli
HEADERS       := $(wildcard $(addsuffix /*.h,$(MODULES)) backend/workload/*.h)

# Dependencies.  tools/deps.sh checks (and as root installs) the Debian
# packages of one part: what the build needs before anything compiles, what
# the tests need before `make test`, what the benchmarks need before
# `make bench`.  The compiler and linker flags of the build's libraries are
# asked of pkg-config only once those are installed: BUILD/config.mk is a
# makefile made from them, and make rereads its makefiles after remaking
# one, so a fresh machine's first `make run` links with the right flags.
DEPS_STAMP    := $(BUILD)/.deps-build
TEST_STAMP    := $(BUILD)/.deps-test
BENCH_STAMP   := $(BUILD)/.deps-bench
CONFIG        := $(BUILD)/config.mk
NOCONFIG_GOALS := clean deps test-deps bench-deps fuzz-deps lint-deps

.PHONY: all deps test-deps bench-deps run test asan lint install clean \
	bench bench-full plots headercheck kernel-matrix fidelity fuzz fuzz-deps \
	lint-deps

all: $(BUILD)/cfssim $(WORKLOAD_BIN)

ifneq ($(filter-out $(NOCONFIG_GOALS),$(or $(MAKECMDGOALS),all)),)
include $(CONFIG)
endif

deps: $(DEPS_STAMP)
test-deps: $(TEST_STAMP)
bench-deps: $(BENCH_STAMP)
fuzz-deps: $(BUILD)/.deps-fuzz
lint-deps: $(BUILD)/.deps-lint
$(BUILD)/.deps-%: tools/deps.sh
	@tools/deps.sh $*
	@mkdir -p $(@D) && touch $@

$(CONFIG): $(DEPS_STAMP) Makefile
	@flags=$$(pkg-config --cflags $(PKGS)) && \
	 libs=$$(pkg-config --libs $(PKGS)) || \
	 { echo "cfssim: pkg-config cannot find $(PKGS)" >&2; exit 1; }; \
	 printf '# made by the Makefile from pkg-config; make clean remakes it\n' >$@.tmp && \
	 printf 'PKG_CFLAGS := %s\nPKG_LIBS := %s\n' "$$flags" "$$libs" >>$@.tmp && \
	 mv $@.tmp $@

# The test and benchmark libraries are asked of pkg-config when a recipe
# uses them (recursive variables), after their stamp has installed them.
CMOCKA_CFLAGS = $(shell pkg-config --cflags cmocka 2>/dev/null)
CMOCKA_LIBS   = $(or $(shell pkg-config --libs cmocka 2>/dev/null),-lcmocka)
BENCH_LIBS    = $(shell pkg-config --libs libbsd 2>/dev/null)

$(BUILD)/cfssim: $(BUILD)/cli/main.o $(CLI_LIB) $(LIB) | $(DEPS_STAMP)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(LIB): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

# The commands, apart from the library; tests of the commands link it too.
$(CLI_LIB): $(CLI_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

# The workload links the runner and protocol of backend/, the cursor of
# model/ and what they use of base/ (none of them needs anything beyond libc).  Its objects are built
# apart, without $(SAN): sanitizers cannot link statically.
WORKLOAD_OBJ := $(patsubst %.c,$(BUILD)/static/%.o,$(WORKLOAD_SRC) \
		backend/wlrun.c backend/wlspin.c backend/wlproto.c backend/wlreq.c \
		base/rng.c \
		model/workload.c model/reqstream.c base/xalloc.c base/err.c)
$(BUILD)/cfssim-workload: $(WORKLOAD_OBJ)
	$(CC) -static -o $@ $^ -lm -lpthread

$(BUILD)/static/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(WARN) $(OPT) -MMD -MP -c -o $@ $<

# The container image (the overlay's read-only lower layer): the mount-point
# directories and the static workload, nothing else.
ROOTFS := $(if $(WORKLOAD_SRC),$(BUILD)/rootfs/cfssim-workload)
all: $(ROOTFS)
$(BUILD)/rootfs/cfssim-workload: $(BUILD)/cfssim-workload
	@rm -rf $(@D)
	mkdir -p $(addprefix $(@D)/,proc sys dev tmp)
	cp $< $@
$(addprefix $(BUILD)/tests/,test_container test_net test_workload): | $(ROOTFS)

# What test_container runs inside a container to see its privileges.
$(BUILD)/tests/ctr_probe: tests/probe/ctr_probe.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(WARN) -O2 -static -o $@ $<
$(BUILD)/tests/test_container: | $(BUILD)/tests/ctr_probe

$(BUILD)/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<
$(BUILD)/sim/%.o $(BUILD)/model/%.o $(BUILD)/base/%.o: OPT := $(OPT:-O2=-O3)

$(BUILD)/tests/%.o: tests/%.c | $(TEST_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CMOCKA_CFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(CLI_LIB) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(LDLIBS)

$(BUILD)/bench/%.o: bench/%.c | $(BENCH_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/bench/%: $(BUILD)/bench/%.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(BENCH_LIBS)

run: all
	$(BUILD)/cfssim scenarios/examples/quota-throttling.yaml

test: all $(TEST_BIN) $(TEST_SCRIPTS) | $(TEST_STAMP)
	@tools/run-tests.sh $(BUILD) $(TEST_BIN) $(TEST_SCRIPTS)

asan:
	$(MAKE) BUILD=build/asan OPT="-O1 -g -fno-omit-frame-pointer" \
		SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined" test

headercheck:
	@set -e; for h in $(HEADERS); do \
		printf '#include "%s"\n#include "%s"\n' $$h $$h | \
		$(CC) $(CPPFLAGS) $(WARN) -x c -fsyntax-only - || \
		{ echo "header does not compile alone: $$h"; exit 1; }; \
	done; echo "headers compile alone"

lint: headercheck | $(BUILD)/.deps-lint
	clang-format --dry-run --Werror $(LIB_SRC) $(CLI_SRC) cli/main.c \
		$(HEADERS) $(TEST_SRC)
	clang-tidy --quiet $(LIB_SRC) $(CLI_SRC) $(WORKLOAD_SRC) -- \
		$(CPPFLAGS) -std=c11

bench: all $(BENCH_BIN)
	@tools/run-bench.sh $(BUILD)

# every cell, including the long ones (bench/README.md)
bench-full: all $(BENCH_BIN)
	@BENCH_FULL=1 tools/run-bench.sh $(BUILD)

plots: all
	@tools/make-plots.sh $(BUILD)

# Every example under Debian's 6.1 and 6.12 kernels in qemu (pure cgroup
# v2), fetched first if missing; docs/kernel-matrix.md reads the result.
KERNEL_MATRIX_KERNELS ?= 6.1 6.12
kernel-matrix: all
	@tools/kernel-vm fetch $(KERNEL_MATRIX_KERNELS)
	@CFSSIM_BUILD=$(BUILD) tools/kernel-matrix \
		$(addprefix -k ,$(KERNEL_MATRIX_KERNELS))

# The scoreboard of docs/fidelity.md: compare --repeat 5 on every example
# that fits this machine (real runs: root, a few minutes).
fidelity: all
	@mkdir -p docs
	$(BUILD)/cfssim fidelity scenarios/examples -o docs --repeat 5

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/cfssim/plots \
		$(DESTDIR)$(PREFIX)/share/cfssim/scenarios
	install -m 755 $(BUILD)/cfssim $(DESTDIR)$(PREFIX)/bin/cfssim
	$(if $(WORKLOAD_BIN),install -m 755 $(WORKLOAD_BIN) $(DESTDIR)$(PREFIX)/bin/cfssim-workload)
	$(if $(ROOTFS),install -d $(addprefix $(DESTDIR)$(PREFIX)/share/cfssim/rootfs/,proc sys dev tmp))
	$(if $(ROOTFS),install -m 755 $(ROOTFS) $(DESTDIR)$(PREFIX)/share/cfssim/rootfs/cfssim-workload)
	install -m 644 scenarios/examples/*.yaml $(DESTDIR)$(PREFIX)/share/cfssim/scenarios/
	$(if $(wildcard plots/*.gp),install -m 644 plots/*.gp $(DESTDIR)$(PREFIX)/share/cfssim/plots/)
	install -d $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man5
	install -m 644 docs/man/cfssim.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 docs/man/cfssim-scenario.5 $(DESTDIR)$(PREFIX)/share/man/man5/

# Fuzzing (libFuzzer, clang): each target in fuzz/ is built with the sources
# it reaches, under ASan and UBSan, apart from the gcc build.  The targets:
#   loader  the YAML scenario loader (scenario_load_string)
#   rtapp   the rt-app JSON importer (a .json file through the same entry)
#   set     --set / --vary arguments on a fixed scenario (sweep/grid.c)
# `make fuzz` seeds each one's corpus (below), then runs each target for
# FUZZ_SECONDS in turn; the first that finds something stops make with an
# error.  Crashes, leaks and hangs are written to $(BUILD)/fuzz/ as
# TARGET-crash-*, -leak-*, -timeout-*; the corpora grow in
# $(BUILD)/fuzz/corpus-TARGET.  Seeds: the examples and every input the
# tests load (test_scenario and test_rtapp write them when CFSSIM_FUZZ_SEEDS
# names a folder), the --set and --vary arguments the sweep tests pass, and
# the inputs of the bugs the fuzzers found (fuzz/seeds/TARGET/).
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := loader rtapp set
FUZZ_FLAGS   := -std=c11 -g -O1 -fno-omit-frame-pointer \
		-fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined
FUZZ_LOADER_SRC := fuzz/fuzz_loader.c $(BASE_SRC) $(MODEL_SRC) $(COMPARE_SRC) \
		   $(SCENARIOS_SRC)
FUZZ_RTAPP_SRC := fuzz/fuzz_rtapp.c $(filter-out fuzz/%,$(FUZZ_LOADER_SRC))
FUZZ_SET_SRC := fuzz/fuzz_set.c sweep/grid.c $(filter-out fuzz/%,$(FUZZ_LOADER_SRC))

define fuzz_build
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_FLAGS) -o $@ $(1) $(PKG_LIBS) -lm
endef

# Copies the regression inputs of target $(1) into the seed folder $@.
define fuzz_regressions
	$(if $(wildcard fuzz/seeds/$(1)/*),cp fuzz/seeds/$(1)/* $@/)
endef

define fuzz_run
	@mkdir -p $(BUILD)/fuzz/corpus-$(1)
	$(BUILD)/fuzz/fuzz_$(1) -max_total_time=$(FUZZ_SECONDS) \
		-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix=$(BUILD)/fuzz/$(1)- \
		$(BUILD)/fuzz/corpus-$(1) $(BUILD)/fuzz/seeds-$(1)

endef

$(BUILD)/fuzz/fuzz_loader: $(FUZZ_LOADER_SRC) $(HEADERS) | $(DEPS_STAMP) \
		$(BUILD)/.deps-fuzz
	$(call fuzz_build,$(FUZZ_LOADER_SRC))

$(BUILD)/fuzz/fuzz_rtapp: $(FUZZ_RTAPP_SRC) $(HEADERS) | $(DEPS_STAMP) \
		$(BUILD)/.deps-fuzz
	$(call fuzz_build,$(FUZZ_RTAPP_SRC))

$(BUILD)/fuzz/fuzz_set: $(FUZZ_SET_SRC) $(HEADERS) | $(DEPS_STAMP) \
		$(BUILD)/.deps-fuzz
	$(call fuzz_build,$(FUZZ_SET_SRC))

$(BUILD)/fuzz/seeds-loader: $(BUILD)/tests/test_scenario \
		$(wildcard scenarios/examples/*.yaml fuzz/seeds/loader/*)
	@rm -rf $@ && mkdir -p $@
	cp scenarios/examples/*.yaml $@/
	$(call fuzz_regressions,loader)
	CFSSIM_FUZZ_SEEDS=$@ $(BUILD)/tests/test_scenario >/dev/null
	@echo "$$(ls $@ | wc -l) seeds in $@"

$(BUILD)/fuzz/seeds-rtapp: $(BUILD)/tests/test_rtapp \
		$(wildcard scenarios/examples/*.json fuzz/seeds/rtapp/*)
	@rm -rf $@ && mkdir -p $@
	cp scenarios/examples/*.json $@/
	$(call fuzz_regressions,rtapp)
	CFSSIM_FUZZ_SEEDS=$@ $(BUILD)/tests/test_rtapp >/dev/null
	@echo "$$(ls $@ | wc -l) seeds in $@"

# The --set and --vary arguments of the sweep tests ("PATH=VALUES" string
# literals), one seed each and all of them in one.
FUZZ_SET_TESTS := tests/test_sweep.c tests/test_sweep_cli.c
$(BUILD)/fuzz/seeds-set: $(FUZZ_SET_TESTS) $(wildcard fuzz/seeds/set/*)
	@rm -rf $@ && mkdir -p $@
	$(call fuzz_regressions,set)
	grep -ho '"[a-z][a-z0-9_.:/]*=[^"%]*"' $(FUZZ_SET_TESTS) | \
		tr -d '"' | sort -u >$@/all && \
		split -l 1 -a 3 -d $@/all $@/test-
	@echo "$$(ls $@ | wc -l) seeds in $@"

fuzz: $(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz_%) $(FUZZ_TARGETS:%=$(BUILD)/fuzz/seeds-%)
	$(foreach t,$(FUZZ_TARGETS),$(call fuzz_run,$(t)))

clean:
	rm -rf build

.PRECIOUS: $(BUILD)/%.o $(BUILD)/tests/%.o $(BUILD)/bench/%.o

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
