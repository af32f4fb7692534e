# SourcePrep: cross-compiled with mingw-w64 for Windows (x86_64 and i686, Server 2003
# baseline); core is also built natively for the unit tests and the fuzzers.

SHELL := /bin/bash
.DEFAULT_GOAL := all

VERSION := $(shell sed -n 's/^#define SP_VERSION "\(.*\)"/\1/p' core/version.h)
CACHE ?= $(or $(SOURCEPREP_CACHE),/var/cache/sourceprep)
DEPS_ROOT ?= $(CACHE)/deps/current
BUILD := build

WINDEFS := -D_WIN32_WINNT=0x0502 -DWINVER=0x0502 -DUNICODE -D_UNICODE -DCURL_STATICLIB
WARN := -Wall -Wextra -Werror=implicit-function-declaration -Wno-missing-field-initializers
# The exes are built for size (-Os, and sections the linker drops when nothing uses them): the
# i686 exe must stay under 1.5 MB (tests/imports), and a wizard waits on the server, not on its
# own code. The inner loops a budget measures are built for speed (HOT_SRC: the drill's hashing
# and comparison).
WINCFLAGS := -std=gnu11 -Os -ffunction-sections -fdata-sections $(WARN) $(WINDEFS) -I. -municode
HOT_SRC := core/base/sha256.c core/backup/drill.c
WINLIBS := -lcurl -lcjson -lcomctl32 -lcomdlg32 -lshell32 -lole32 -loleaut32 -luuid -lgdi32 \
           -luser32 -ladvapi32 -lws2_32 -lcrypt32 -lsecur32 -lnetapi32 -lversion -lwldap32
WINLDFLAGS := -municode -static -s -Wl,--gc-sections -Wl,--dynamicbase,--nxcompat
# DLLs that only some steps use are delay-loaded by the exe (scripts/delaylib.sh): loaded when a
# function of theirs is first called, not before the first page paints (make bench: each one loaded
# at start-up cost time and working set). The normal import libraries stay after them for the
# few data symbols a delay library cannot carry (in6addr_any and the like).
# x64 only: the i686 delay libraries binutils' dlltool makes here jump to address 0 on the first
# call (tried under 32-bit Wine), so the x86 exe keeps its normal imports.
DELAY_DLLS := comdlg32 crypt32 netapi32 ole32 oleaut32 wldap32 ws2_32
x64_DELAY := $(DELAY_DLLS)
x86_DELAY :=

# core/*.c is the framework, core/<folder>/ a step or core/base; core/sys/*/ are the backends.
CORE_SRC := $(filter-out core/sys/%,$(wildcard core/*.c core/*/*.c)) $(wildcard core/sys/*.c)
SIM_SRC := $(wildcard core/sys/sim/*.c)
WIN32_SRC := $(wildcard core/sys/win32/*.c)
POSIX_SRC := $(wildcard core/sys/posix/*.c)
APP_SRC := $(wildcard wizard/*.c pages/*.c pages/*/*.c)
HEADERS := $(wildcard core/*.h core/*/*.h core/sys/*/*.h wizard/*.h pages/*.h pages/*/*.h resources/*.h)
RES_DEPS := $(wildcard resources/*.rc resources/lang/*.rc resources/*.manifest resources/*.ico \
            resources/*.json resources/*.h) core/msgids.h

PRODUCT_SRC := $(CORE_SRC) $(SIM_SRC) $(WIN32_SRC)

# ---- Windows builds: $(BUILD)/x64 and $(BUILD)/x86 ----------------------------------
define winarch
$(1)_CC := $(2)-gcc
$(1)_WINDRES := $(2)-windres
$(1)_DEPS := $(DEPS_ROOT)/$(2)
$(1)_OBJ := $$(patsubst %.c,$(BUILD)/$(1)/obj/%.o,$$(PRODUCT_SRC) $$(APP_SRC))
$(1)_LIBOBJ := $$(patsubst %.c,$(BUILD)/$(1)/obj/%.o,$$(PRODUCT_SRC))

$(BUILD)/$(1)/obj/%.o: %.c $$(HEADERS) | $(DEPS_ROOT)/$(2)/.complete
	@mkdir -p $$(@D)
	$$($(1)_CC) $$(WINCFLAGS) $$(if $$(filter $$<,$(HOT_SRC)),-O2) -I$$($(1)_DEPS)/include -c $$< -o $$@

$(BUILD)/$(1)/obj/resources.o: $$(RES_DEPS)
	@mkdir -p $$(@D)
	$$($(1)_WINDRES) -I. -Iresources $(WINDEFS) -c 65001 -O coff resources/sourceprep.rc $$@

$(BUILD)/$(1)/delay/lib%_delay.a: scripts/delaylib.sh
	@mkdir -p $$(@D)
	bash scripts/delaylib.sh $(2) $$*.dll $$@

$(BUILD)/$(1)/sourceprep.exe: $$($(1)_OBJ) $(BUILD)/$(1)/obj/resources.o \
                             $$(patsubst %,$(BUILD)/$(1)/delay/lib%_delay.a,$$($(1)_DELAY))
	$$($(1)_CC) $$(WINLDFLAGS) -mwindows -o $$@ $$($(1)_OBJ) $(BUILD)/$(1)/obj/resources.o \
	    -L$$($(1)_DEPS)/lib -L$(BUILD)/$(1)/delay -lcurl -lcjson \
	    $$(patsubst %,-l%_delay,$$($(1)_DELAY)) $$(WINLIBS)

$(BUILD)/$(1)/libsourceprep.a: $$($(1)_LIBOBJ)
	rm -f $$@; $(2)-ar rcs $$@ $$^
endef
$(eval $(call winarch,x64,x86_64-w64-mingw32))
$(eval $(call winarch,x86,i686-w64-mingw32))

$(DEPS_ROOT)/%/.complete:
	bash scripts/build-deps.sh

.PHONY: all deps run screenshots test test-unit test-win32 test-gui test-imports test-project \
        test-fuzz fuzz bench dist clean httptests \
        wintests wintests-x64 wintests-x86

all: $(BUILD)/x64/sourceprep.exe $(BUILD)/x86/sourceprep.exe

deps:
	bash scripts/install-deps.sh
	bash scripts/build-deps.sh

# ---- Wine test programs, for both architectures ---------------------------------------
# x64 runs under the host's 64-bit Wine, x86 under 32-bit Wine in the i386 root (scripts/i386-root.sh).
WINTEST_SRC := $(wildcard tests/win32/test_*.c)
WINTEST_HELPERS := $(filter-out $(WINTEST_SRC),$(wildcard tests/win32/*.c))
GUITEST_SRC := $(wildcard tests/gui/*.c)

define wintests
$(1)_WINTEST_EXE := $$(patsubst tests/win32/%.c,$(BUILD)/$(1)/tests/%.exe,$(WINTEST_SRC))

$(BUILD)/$(1)/tests/test_%.exe: tests/win32/test_%.c $(WINTEST_HELPERS) $(BUILD)/$(1)/libsourceprep.a \
                               $(wildcard tests/win32/*.h)
	@mkdir -p $$(@D)
	$$($(1)_CC) $$(WINCFLAGS) -I$$($(1)_DEPS)/include -mconsole -static -o $$@ $$< $(WINTEST_HELPERS) \
	    $(BUILD)/$(1)/libsourceprep.a -L$$($(1)_DEPS)/lib $$(WINLIBS)

$(BUILD)/$(1)/tests/child.exe: tests/win32/child/child.c
	@mkdir -p $$(@D)
	$$($(1)_CC) $$(WINCFLAGS) -mconsole -static -o $$@ $$<

# A stand-in wbadmin.exe beside the tests: CreateProcess finds it first, before any real one.
$(BUILD)/$(1)/tests/wbadmin.exe: tests/win32/fakewbadmin/wbadmin.c
	@mkdir -p $$(@D)
	$$($(1)_CC) $$(WINCFLAGS) -mconsole -static -o $$@ $$<

$(BUILD)/$(1)/tests/guitest.exe: $(GUITEST_SRC) $(wildcard tests/gui/*.h) pages/messages.h pages/ui/text.h resources/resource.h core/msgids.h core/step_list.h
	@mkdir -p $$(@D)
	$$($(1)_CC) $$(WINCFLAGS) -mconsole -static -o $$@ $(GUITEST_SRC) -lcomctl32 -lgdi32 -luser32

wintests-$(1): $$($(1)_WINTEST_EXE) $(BUILD)/$(1)/tests/child.exe $(BUILD)/$(1)/tests/wbadmin.exe \
               $(BUILD)/$(1)/tests/guitest.exe $(BUILD)/$(1)/sourceprep.exe
endef
$(eval $(call wintests,x64))
$(eval $(call wintests,x86))

$(BUILD)/x64/bench/bare_sheet.exe: tests/bench/bare_sheet.c
	@mkdir -p $(@D)
	$(x64_CC) $(WINCFLAGS) -mwindows -static -o $@ $< -lcomctl32 -luser32

$(BUILD)/x64/bench/startbench.exe: tests/bench/startbench.c
	@mkdir -p $(@D)
	$(x64_CC) $(WINCFLAGS) -mconsole -static -o $@ $< -lpsapi -luser32

$(BUILD)/x64/bench/uibench.exe: tests/bench/uibench.c core/step_list.h pages/messages.h resources/resource.h
	@mkdir -p $(@D)
	$(x64_CC) $(WINCFLAGS) -mconsole -static -o $@ $< -luser32

# The drill's native benchmark: optimised, without sanitizers, on the posix host through the sim.
$(BUILD)/bench/drillbench: tests/bench/drillbench.c $(NATIVE_LIB_SRC) $(HEADERS)
	@mkdir -p $(@D)
	gcc -std=c11 -O2 $(WARN) -I. -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -o $@ $< $(NATIVE_LIB_SRC) -lcjson

benchtools: $(BUILD)/bench/drillbench $(BUILD)/x64/bench/bare_sheet.exe $(BUILD)/x64/bench/startbench.exe \
            $(BUILD)/x64/bench/uibench.exe all

# Time sync under Wine: run by tests/env/timesync-wine.sh beside its SNTP server, not by test-win32.sh.
TS_DIR := tests/win32/timesync
$(BUILD)/x64/tests/ts_wine.exe: $(TS_DIR)/ts_wine.c $(WINTEST_HELPERS) $(BUILD)/x64/libsourceprep.a tests/win32/wtest.h
	@mkdir -p $(@D)
	$(x64_CC) $(WINCFLAGS) -I$(x64_DEPS)/include -mconsole -static -o $@ $< $(WINTEST_HELPERS) \
	    $(BUILD)/x64/libsourceprep.a -L$(x64_DEPS)/lib $(WINLIBS)

$(BUILD)/x64/tests/fake/w32tm.exe: $(TS_DIR)/fake_w32tm.c
	@mkdir -p $(@D)
	$(x64_CC) $(WINCFLAGS) -mconsole -static -o $@ $<

$(BUILD)/x64/tests/fake/w32time-svc.exe: $(TS_DIR)/fake_w32time.c
	@mkdir -p $(@D)
	$(x64_CC) $(WINCFLAGS) -mconsole -static -o $@ $< -ladvapi32

timesync-wine: $(BUILD)/x64/tests/ts_wine.exe $(BUILD)/x64/tests/fake/w32tm.exe $(BUILD)/x64/tests/fake/w32time-svc.exe

wintests: timesync-wine wintests-x64 wintests-x86 all

# ---- Native unit tests (cmocka, ASan + UBSan) ----------------------------------------
NATIVE := $(BUILD)/native
# SP_FAULT_INJECTION: the fault-injection hook of the sim and posix backends (core/sys/fault.h,
# sp_sim_fault_set, sp_posix_fault_set), in test builds only.
NCFLAGS := -std=c11 -g -O1 $(WARN) -I. -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DSP_FAULT_INJECTION \
           -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
NATIVE_LIB_SRC := $(CORE_SRC) $(SIM_SRC) $(POSIX_SRC)
NATIVE_LIB_OBJ := $(patsubst %.c,$(NATIVE)/obj/%.o,$(NATIVE_LIB_SRC))
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_HELPERS := $(filter-out $(UNIT_SRC),$(wildcard tests/unit/*.c))
UNIT_BIN := $(patsubst tests/unit/%.c,$(NATIVE)/%,$(UNIT_SRC))

$(NATIVE)/obj/%.o: %.c $(HEADERS)
	@mkdir -p $(@D)
	gcc $(NCFLAGS) -c $< -o $@

$(NATIVE)/libcore.a: $(NATIVE_LIB_OBJ)
	rm -f $@; ar rcs $@ $^

$(NATIVE)/test_%: tests/unit/test_%.c $(UNIT_HELPERS) $(NATIVE)/libcore.a $(wildcard tests/unit/*.h)
	gcc $(NCFLAGS) -o $@ $< $(UNIT_HELPERS) $(NATIVE)/libcore.a -lcmocka -lcjson

unittests: $(UNIT_BIN)

# ---- The email step's HTTPS tests against a loopback server (tests/env/https-suite.sh) ---------
# The libcurl code (core/sys/win32/win32_http.c has no <windows.h>) built natively against
# Debian's libcurl (OpenSSL), and the same test program for Wine (Schannel).
$(BUILD)/native/http/http_cases: tests/env/http_cases.c core/sys/win32/win32_http.c $(NATIVE)/libcore.a $(HEADERS)
	@mkdir -p $(@D)
	gcc $(NCFLAGS) -o $@ tests/env/http_cases.c core/sys/win32/win32_http.c $(NATIVE)/libcore.a -lcurl -lcjson

$(BUILD)/x64/tests/http_cases.exe: tests/env/http_cases.c $(BUILD)/x64/libsourceprep.a $(HEADERS)
	@mkdir -p $(@D)
	$(x64_CC) $(filter-out -municode,$(WINCFLAGS)) -I$(x64_DEPS)/include -mconsole -static -o $@ $< $(BUILD)/x64/libsourceprep.a \
	    -L$(x64_DEPS)/lib $(WINLIBS)

httptests: $(BUILD)/native/http/http_cases $(BUILD)/x64/tests/http_cases.exe

# ---- Fuzzers (libFuzzer) -------------------------------------------------------------
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRC))
FCFLAGS := -std=c11 -g -O1 -I. -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DSP_FAULT_INJECTION \
           -fsanitize=fuzzer,address,undefined

$(BUILD)/fuzz/%: tests/fuzz/%.c $(NATIVE_LIB_SRC) $(HEADERS)
	@mkdir -p $(@D)
	clang $(FCFLAGS) -o $@ $< $(NATIVE_LIB_SRC) -lcjson

fuzzers: $(FUZZ_BIN)

# ---- Entry points ----------------------------------------------------------------------
run:
	bash scripts/run.sh

screenshots:
	bash scripts/screenshots.sh

test:
	bash scripts/test.sh

bench:
	bash scripts/bench.sh

dist: all
	rm -rf $(BUILD)/dist; mkdir -p $(BUILD)/dist/sourceprep-$(VERSION)
	cp $(BUILD)/x64/sourceprep.exe $(BUILD)/dist/sourceprep-$(VERSION)/sourceprep-x64.exe
	cp $(BUILD)/x86/sourceprep.exe $(BUILD)/dist/sourceprep-$(VERSION)/sourceprep-x86.exe
	cp README.md $(BUILD)/dist/sourceprep-$(VERSION)/
	cd $(BUILD)/dist && rm -f ../sourceprep-$(VERSION).zip && zip -qr ../sourceprep-$(VERSION).zip sourceprep-$(VERSION)
	@echo "dist: $(BUILD)/sourceprep-$(VERSION).zip"

clean:
	rm -rf $(BUILD)
