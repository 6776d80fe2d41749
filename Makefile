# mfactl — build, test, release and install.
#
#   make demo       install missing apt packages, build, run the demo
#   make test       install missing apt packages, build, run every test
#   make release    static release binary in dist/mfactl (see below)
#   make install    dist/mfactl, man pages and completions under $(DESTDIR)$(PREFIX),
#                   dist/pam_mfactl.so into $(DESTDIR)$(PAMDIR)
#   make pam        the PAM module dist/pam_mfactl.so (pam/pam_mfactl.c, plain C)
#   make pg-shell   psql on a throwaway PostgreSQL server (scripts/pg-server.sh)
#   make help       all targets
#
# Release linking: the Swift runtime and Foundation are linked in with
# --static-swift-stdlib; libsodium, libpng, zlib, libstdc++ and libgcc come from their
# static archives through the linker scripts scripts/static-libs.sh writes into
# $(STATICLIBS). At run time dist/mfactl needs only glibc to start, and
# libqrencode.so.4 (loaded with dlopen) to draw a QR code.
# With QRENCODE_A=/path/to/libqrencode.a it is linked fully static (-static-executable).

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build
# swift parallelises its own builds; the steps of one target must run in order.
.NOTPARALLEL:

SWIFT ?= swift
# The toolchain lives in /opt/swift on the project's machines; use it when swift is not
# already on PATH.
ifeq ($(shell command -v $(SWIFT) 2>/dev/null),)
ifneq ($(wildcard /opt/swift/usr/bin/swift),)
export PATH := /opt/swift/usr/bin:$(PATH)
endif
endif

PREFIX ?= /usr/local
DESTDIR ?=
STRIP ?= strip

# Extra flags: e.g. make test SWIFT_TEST_FLAGS=--parallel
SWIFT_BUILD_FLAGS ?=
SWIFT_TEST_FLAGS ?=

# Release build: its own scratch path, so it never disturbs the debug build in .build.
# STATIC=1 (fully static, below) has another, so switching does not recompile; a
# QRENCODE_A build is fully static too.
QRENCODE_A ?=
STATIC ?=
ifneq ($(QRENCODE_A),)
STATIC := 1
endif
RELEASE_SCRATCH := .build-release$(if $(STATIC),-static)
STATICLIBS := $(CURDIR)/$(RELEASE_SCRATCH)/staticlibs
# Start-up flags (verify runs in login paths; measurements in bench/README.md):
# -no-pie: a position-independent static Swift binary spends ~40,000 relocations and
#   ~110 page faults on every start.
# --no-export-dynamic: the toolchain's static-stdlib-args.lnk exports every public
#   symbol of our modules (4,000); the runtime's backtracer calls dladdr before main,
#   which scans them all (123,000 instructions). Nothing looks them up.
# --disable-local-rpath: no RUNPATH $ORIGIN, whose search for libqrencode.so.4 in the
#   binary's own directory cost 24 failed system calls per start.
# -disable-concrete-type-metadata-mangled-name-accessors (a swift-frontend flag): the
#   metadata of a concrete generic type (a Dictionary<String, ...>'s storage, an
#   Optional of a struct) comes from its accessor with the witness tables passed in,
#   instead of demangling its name at run time, where each generic requirement
#   (String: Hashable) was looked up by scanning all 4,083 conformance records of the
#   binary: 0.38M of a verify's 1.25M instructions, and ~0.3 ms.
# -function-sections (a swift-frontend flag) and lld (-use-ld=lld): each of our
#   functions in its own section, so that --gc-sections drops the unused ones (300 KB)
#   and lld can order the used ones (below). With lld instead of gold a verify took 13
#   page faults fewer before any ordering (bench/README.md, "Page faults of the
#   binary's own pages").
RELEASE_FLAGS := -c release --product mfactl --scratch-path $(RELEASE_SCRATCH) \
	--static-swift-stdlib --disable-local-rpath -Xlinker -L$(STATICLIBS) -Xlinker -no-pie \
	-Xlinker --no-export-dynamic \
	-Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors \
	-Xswiftc -Xfrontend -Xswiftc -function-sections -Xswiftc -use-ld=lld
# Link-only flags, kept apart so that changing them does not recompile (see release:).
# The link map is what scripts/symbol-order.sh reads.
# --symbol-ordering-file: lld puts the functions the login path runs, and the input
#   sections of the variables it touches, together at the start of their output
#   sections. The list, scripts/symbol-order.txt, is written from a callgrind and
#   lackey profile by scripts/symbol-order.sh. A verify faulted in 64 KB windows of text
#   spread over 11 MB (64 of them) and in 34 pages of .bss; now 23 and 21: 59 of its
#   page faults are in the binary's own pages instead of 119 (bench/faults.sh). Names
#   the list has and the binary does not are skipped (--no-warn-symbol-ordering), so a
#   stale list costs faults, never the build. gold, SwiftPM's default, orders by section
#   name only, and the hot variables sit in sections all called .bss or .data.
SYMBOL_ORDER := scripts/symbol-order.txt
RELEASE_LINK_FLAGS := -Xlinker -Map=$(CURDIR)/$(RELEASE_SCRATCH)/mfactl.map
ifneq ($(wildcard $(SYMBOL_ORDER)),)
RELEASE_LINK_FLAGS += -Xlinker --symbol-ordering-file=$(CURDIR)/$(SYMBOL_ORDER) \
	-Xlinker --no-warn-symbol-ordering
endif
# STATIC=1: a fully static binary (glibc too), which starts ~0.3 ms faster than the
# dynamically linked one: no loader, no libc.so.6 to map and relocate (docs/startup.md,
# "A fully static build"). It still loads libpq and libqrencode with dlopen, which a
# static program can do only with the very glibc build it was linked with: so the build
# records the build ID of the system's libc.so.6 (from the same libc6 package as the
# libc.a it links), and Sources/CLoadGuard refuses to dlopen (exit 69 for PostgreSQL and
# for enrol's QR code) once the system's glibc is another build, until mfactl is
# rebuilt. File vaults never dlopen. QRENCODE_A implies STATIC (above).
ifneq ($(STATIC),)
SYSTEM_LIBC := /lib/$(shell $(CC) -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)/libc.so.6
GLIBC_BUILD_ID := $(shell LC_ALL=C readelf -n $(SYSTEM_LIBC) 2>/dev/null | awk '/Build ID:/ {print $$3; exit}')
ifeq ($(GLIBC_BUILD_ID),)
$(error STATIC=1: cannot read the build ID of $(SYSTEM_LIBC) (readelf, from binutils))
endif
RELEASE_FLAGS += -Xswiftc -static-executable \
	-Xcc -DMFACTL_STATIC_GLIBC -Xcc -DMFACTL_GLIBC_BUILD_ID=$(GLIBC_BUILD_ID)
CHECK_LDD_FLAGS := --static
endif
ifneq ($(QRENCODE_A),)
# Link the archive and call it directly (Sources/QR/LibQREncode.swift) instead of
# loading it.
RELEASE_FLAGS += -Xlinker -lqrencode -Xswiftc -DMFACTL_QRENCODE_LINKED
else ifneq ($(STATIC),)
# (a static link takes libm from libm.a: nothing to load on demand)
else ifeq ($(shell uname -m),x86_64)
# libm on demand (Sources/CLazyLibm/lazy_libm.c): the math functions become
# trampolines that dlopen libm.so.6 on first use, and the toolchain's -lm finds
# scripts/static-libs.sh's libm.so, INPUT(AS_NEEDED(libm.so.6)), so libm.so.6 is not
# among the libraries loaded at start: 7 page faults, ~30,000 instructions and 9 system
# calls per start (bench/README.md, "Session 6"; docs/startup.md, "libm on demand").
RELEASE_FLAGS += -Xcc -DMFACTL_LAZY_LIBM
LAZY_LIBM := 1
endif

DIST := dist/mfactl$(if $(STATIC),-static)

# The PAM module (pam/, pam_mfactl(8)): plain C linked against libpam only, since it is
# loaded into sshd, sudo and login. It runs $(PREFIX)/bin/mfactl unless its mfactl=
# option says otherwise, so the path is baked in when it is compiled; .build-pam/prefix
# records the PREFIX it was built for, and a different PREFIX rebuilds it.
PAM_MODULE := dist/pam_mfactl.so
PAM_LIBDIR := $(shell pkg-config --variable=libdir pam 2>/dev/null)
PAMDIR ?= $(if $(PAM_LIBDIR),$(PAM_LIBDIR)/security,/lib/x86_64-linux-gnu/security)
PAM_CFLAGS := -fPIC -shared -O2 -Wall -Wextra -Werror -fstack-protector-strong \
	-D_FORTIFY_SOURCE=2 -fvisibility=hidden
PAM_LDFLAGS := -Wl,-z,relro,-z,now -Wl,--as-needed

# Fuzzing (scripts/fuzz.sh, docs/fuzzing.md): seconds per target for `make fuzz`, and
# for each target of `make fuzz-smoke`.
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 3

.PHONY: FORCE help deps bench-deps build test release check-release demo bench \
	startup-bench stress install uninstall clean fuzz fuzz-smoke pam format format-check pg-shell

help:
	@echo "targets:"
	@echo "  deps           install missing apt packages (libsodium-dev libqrencode-dev libpng-dev"
	@echo "                 zlib1g-dev libpam0g-dev pkg-config oathtool zbar-tools postgresql-15 libpq5"
	@echo "                 pgbouncer openssl ...); checks swift is on PATH"
	@echo "  bench-deps     install hyperfine, strace, valgrind and libpam-oath"
	@echo "  build          swift build (debug, .build) + pam"
	@echo "  pam            the PAM module $(PAM_MODULE) (C; runs $(PREFIX)/bin/mfactl by default)"
	@echo "  test           deps + release with its ldd check + staged install check"
	@echo "                 + swift build + generated-file checks + format-check + fuzz-smoke"
	@echo "                 + swift test, with a throwaway PostgreSQL server and pgbouncer (scripts/pg-server.sh)"
	@echo "  pg-shell       psql on a throwaway PostgreSQL server + pgbouncer, removed when psql exits"
	@echo "  format         swift format (the toolchain's swift-format, .swift-format) over the sources"
	@echo "  format-check   swift format lint --strict: fails on code 'make format' would change"
	@echo "  demo           deps + build + scripts/demo.sh"
	@echo "  release        release binary (Swift runtime and C libraries static, glibc shared): $(DIST)"
	@echo "                 + the PAM module $(PAM_MODULE); STATIC=1: fully static, dist/mfactl-static"
	@echo "                 (~0.3 ms faster per start; loads libpq/libqrencode only on the glibc build"
	@echo "                 it was linked with: docs/startup.md) [QRENCODE_A=/path/libqrencode.a: links it]"
	@echo "  check-release  release + check that ldd shows only glibc and libqrencode.so.4,"
	@echo "                 and that it starts the cheap way (scripts/check-startup.sh)"
	@echo "  bench          bench-deps + release + bench/run.sh (verify vs oathtool, 2.5x target)"
	@echo "                 + bench/instructions.sh (callgrind) + bench/faults.sh (page faults)"
	@echo "                 + bench/checks.sh + bench/fsyncs.sh"
	@echo "                 (fsyncs per writing command, counted with strace)"
	@echo "                 + bench/pam.sh (as root: the login path through pamtester; with a"
	@echo "                 dist/mfactl-static from 'make release STATIC=1', its module stack too)"
	@echo "                 (MFACTL_BEFORE=/path/to/older/mfactl: sessions check before and after)"
	@echo "  startup-bench  bench-deps + release + startup time against a C hello world"
	@echo "  stress         release + scripts/stress.sh: 1,000 SIGKILLs across the writing commands,"
	@echo "                 32-process races on one code, readers against writers (KILLS= RACES= READERS=)"
	@echo "  fuzz           libFuzzer: build the fuzz targets (.build-fuzz), run each for"
	@echo "                 FUZZ_SECONDS (default $(FUZZ_SECONDS)); fails on any finding"
	@echo "  fuzz-smoke     libFuzzer: each target for FUZZ_SMOKE_SECONDS (default $(FUZZ_SMOKE_SECONDS)) over"
	@echo "                 its seed corpus (fuzz/corpus); fails on any crash"
	@echo "  install        $(DIST), man pages, completions into \$$(DESTDIR)\$$(PREFIX) (PREFIX=$(PREFIX)),"
	@echo "                 $(PAM_MODULE) into \$$(DESTDIR)\$$(PAMDIR) (PAMDIR=$(PAMDIR))"
	@echo "  uninstall      remove what install put there"
	@echo "  clean          remove .build, .build-release(-static), .build-fuzz, .build-pam and dist"

deps:
	@bash scripts/deps.sh

bench-deps:
	@bash scripts/deps.sh --bench

build: pam
	$(SWIFT) build $(SWIFT_BUILD_FLAGS)

pam: $(PAM_MODULE)

$(PAM_MODULE): pam/pam_mfactl.c .build-pam/prefix
	mkdir -p $(dir $@)
	$(CC) $(PAM_CFLAGS) -DMFACTL_DEFAULT_PATH='"$(PREFIX)/bin/mfactl"' $(PAM_LDFLAGS) \
		-o $@.tmp pam/pam_mfactl.c -lpam
	mv -f $@.tmp $@

# Rewritten only when PREFIX changes, so the module is rebuilt exactly then.
.build-pam/prefix: FORCE
	@mkdir -p $(dir $@)
	@if [ "$$(cat $@ 2>/dev/null)" != '$(PREFIX)' ]; then printf '%s\n' '$(PREFIX)' > $@; fi

FORCE:

# swift test must stay the last step: CI reads its closing lines. The suites are all
# XCTest; without --disable-swift-testing the run would end on Swift Testing's
# "0 tests" line, which reads as if nothing ran.
# The end-to-end tests run the static release binary that ships ($(DIST), through
# MFACTL_BIN): it is what users get, and it starts several times faster than the debug
# build, which took `swift test` from 326 s to 90 s. A bare `swift test` uses the debug build.
# The PostgreSQL backend's tests need a server: `pg-server.sh with` starts a throwaway one
# with pgbouncer in a new /tmp/mfapg.* directory, puts PG* and MFACTL_TEST_PG* in swift
# test's environment (docs/postgresql.md), checks it with scripts/test-pg-server.sh, and
# stops and removes it on every exit, failed or interrupted too. A server that cannot start
# fails make test; the tests do not skip.
test: deps check-release
	PAMDIR='$(PAMDIR)' bash scripts/check-install.sh $(DIST) $(PAM_MODULE)
	$(SWIFT) build $(SWIFT_BUILD_FLAGS)
	@if [ -f scripts/check-generated.sh ]; then \
		echo "bash scripts/check-generated.sh"; bash scripts/check-generated.sh; fi
	$(MAKE) --no-print-directory format-check
	FUZZ_SMOKE_SECONDS=$(FUZZ_SMOKE_SECONDS) bash scripts/fuzz.sh smoke
	bash scripts/pg-server.sh with --pgbouncer --check -- \
		env MFACTL_BIN='$(CURDIR)/$(DIST)' SWIFT='$(SWIFT)' \
		bash scripts/run-swift-tests.sh $(SWIFT_BUILD_FLAGS) $(SWIFT_TEST_FLAGS)

# A developer's psql on a throwaway server (the one make test uses); the export lines are
# printed first for other terminals. The server and its directory go when psql exits.
pg-shell: deps
	bash scripts/pg-server.sh with --pgbouncer -- \
		bash -c 'cat "$$MFACTL_TEST_PG_DIR/env"; echo; exec psql'

# The formatter that ships with the toolchain (swift-format), configured by .swift-format.
# `make format` rewrites the sources; `make test` fails on code that is not formatted.
FORMAT_PATHS = Package.swift Sources Tests fuzz

format:
	$(SWIFT) format format --in-place --recursive $(FORMAT_PATHS)

format-check:
	@echo "swift format lint --strict --recursive $(FORMAT_PATHS)"
	@$(SWIFT) format lint --strict --recursive $(FORMAT_PATHS) || { \
		echo "format-check: run 'make format' and commit the result" >&2; exit 1; }

release: deps pam
	@QRENCODE_A='$(QRENCODE_A)' LAZY_LIBM='$(LAZY_LIBM)' bash scripts/static-libs.sh $(STATICLIBS)
	@# Always relink: the link flags may have changed without any object changing.
	rm -f $(RELEASE_SCRATCH)/release/mfactl
	@# swift build does not recompile when only -Xswiftc flags change: it would link the
	@# objects of the old flags (without -function-sections, say). release-flags records
	@# the flags the objects were compiled with; other flags remove the objects first.
	@if [ "$$(cat $(RELEASE_SCRATCH)/release-flags 2>/dev/null)" != '$(RELEASE_FLAGS)' ]; then \
		find $(RELEASE_SCRATCH) -path '*/release/*.build/*.o' -delete; \
		mkdir -p $(RELEASE_SCRATCH); echo '$(RELEASE_FLAGS)' >$(RELEASE_SCRATCH)/release-flags; fi
	PKG_CONFIG_PATH=$(STATICLIBS)/pkgconfig$${PKG_CONFIG_PATH:+:$$PKG_CONFIG_PATH} \
		$(SWIFT) build $(RELEASE_FLAGS) $(RELEASE_LINK_FLAGS) $(SWIFT_BUILD_FLAGS)
	mkdir -p $(dir $(DIST))
	cp "$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/mfactl" $(DIST).tmp
	$(STRIP) $(DIST).tmp
	mv -f $(DIST).tmp $(DIST)
	@ls -l $(DIST)
	@ldd $(DIST) 2>&1 || true

check-release: release
	bash scripts/check-ldd.sh $(CHECK_LDD_FLAGS) $(DIST)
	bash scripts/check-startup.sh $(DIST)
	bash scripts/check-lazy-libm.sh

demo: deps build
	MFACTL="$$($(SWIFT) build --show-bin-path)/mfactl" bash scripts/demo.sh

bench: bench-deps release
	@if [ ! -f bench/run.sh ]; then echo "bench: bench/run.sh is not there yet" >&2; exit 1; fi
	MFACTL=$(CURDIR)/$(DIST) bash bench/run.sh
	MFACTL=$(CURDIR)/$(DIST) bash bench/instructions.sh
	MFACTL=$(CURDIR)/$(DIST) bash bench/faults.sh
	MFACTL=$(CURDIR)/$(DIST) bash bench/checks.sh
	MFACTL=$(CURDIR)/$(DIST) bash bench/fsyncs.sh
	MFACTL=$(CURDIR)/$(DIST) PAM_MFACTL=$(CURDIR)/$(PAM_MODULE) \
		MFACTL_STATIC=$$([ -x dist/mfactl-static ] && echo $(CURDIR)/dist/mfactl-static) bash bench/pam.sh
	MFACTL=$(CURDIR)/$(DIST) bash bench/pg.sh

startup-bench: bench-deps release
	bash scripts/startup-bench.sh $(DIST)

stress: release
	bash scripts/stress.sh $(DIST)

fuzz: deps
	bash scripts/fuzz.sh run $(FUZZ_SECONDS)

fuzz-smoke: deps
	FUZZ_SMOKE_SECONDS=$(FUZZ_SMOKE_SECONDS) bash scripts/fuzz.sh smoke

install: pam
	@DESTDIR='$(DESTDIR)' PREFIX='$(PREFIX)' PAMDIR='$(PAMDIR)' bash scripts/install.sh install $(DIST) $(PAM_MODULE)

uninstall:
	@DESTDIR='$(DESTDIR)' PREFIX='$(PREFIX)' PAMDIR='$(PAMDIR)' bash scripts/install.sh uninstall

clean:
	rm -rf .build .build-release .build-release-static .build-fuzz .build-pam dist
