# evmap - events at named places -> maps.
# `make` builds build/evmap, build/libevmap.a and the shipped data indexes;
# `make check` runs every test; `make demo` draws the example map.
# SANITIZER=address,undefined builds into build-san/ with sanitizers.

PREFIX ?= /usr/local
DESTDIR ?=
PKG_CONFIG ?= pkg-config
CC ?= cc
SANITIZER ?=

ifeq ($(SANITIZER),)
BUILD ?= build
OPT ?= -O2 -g
else
BUILD ?= build-san
OPT ?= -O1 -g -fsanitize=$(SANITIZER) -fno-sanitize-recover=all -fno-omit-frame-pointer
endif

PKGS = proj cairo pangocairo pangoft2 fontconfig yaml-0.1 libutf8proc zlib libpng libdeflate
FONT_CHECK = /usr/share/fonts/truetype/noto/NotoSans-Regular.ttf

# Install what is missing before anything is built (not for `make clean`).
ifeq ($(filter clean distclean,$(MAKECMDGOALS)),)
DEPS_OK := $(shell $(PKG_CONFIG) --exists $(PKGS) gdal 2>/dev/null && test -f $(FONT_CHECK) && echo yes)
ifneq ($(DEPS_OK),yes)
$(info evmap: dependencies missing; running scripts/bootstrap)
BOOT_RC := $(shell scripts/bootstrap >&2; echo $$?)
ifneq ($(BOOT_RC),0)
$(error scripts/bootstrap could not install the dependencies; run it by hand and follow what it prints)
endif
endif
endif

# Recursive (=) so pkg-config runs after bootstrap.
DEP_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS))
DEP_LIBS = $(shell $(PKG_CONFIG) --libs $(PKGS)) -lm -ldl -lpthread
GDAL_CFLAGS = $(shell $(PKG_CONFIG) --cflags gdal)
GDAL_LIBS = $(shell $(PKG_CONFIG) --libs gdal)

WARN = -Wall -Wextra -Wshadow -Wvla -Wno-unused-parameter -Werror=implicit-function-declaration -Werror=incompatible-pointer-types
CFLAGS ?=
ALL_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE $(OPT) $(WARN) -Iinclude -Isrc \
	-DEVMAP_DATADIR='"$(PREFIX)/share/evmap"' $(DEP_CFLAGS) $(CFLAGS)
LDFLAGS ?=
# -rdynamic: the GDAL module (dlopen'ed) calls back into libevmap symbols.
ALL_LDFLAGS = -rdynamic $(OPT) $(LDFLAGS)

LIB_SRC := $(sort $(wildcard src/core/*.c src/gazetteer/*.c src/spec/*.c \
	src/geo/*.c src/basemap/*.c src/style/*.c src/render/*.c src/export/*.c src/write/*.c src/tables/*.c \
	src/geoparse/*.c src/batch/*.c))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
GDAL_SRC := $(sort $(wildcard src/gdal/*.c))
TOOL_SRC := $(sort $(wildcard tools/*.c))
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))

LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)

# The evmap binary holds only the core (errors, data paths, the gazetteer,
# `evmap geocode`) and loads every other command from evmap-cmds.so on
# first use: a process that links PROJ, cairo and Pango pays for loading
# about 75 shared libraries before main(), more than a whole lookup.
# libevmap.a still holds everything, for programs that link the library.
# The geoparser (not the report extractor) is core too: `evmap geoparse`
# on one document must start as fast as `evmap geocode`.
CORE_SRC := $(sort $(wildcard src/core/*.c src/gazetteer/*.c) \
	$(filter-out src/geoparse/extract%,$(wildcard src/geoparse/*.c)))
CORE_CLI := src/cli/main.c src/cli/geocode.c src/cli/geoparse.c
MOD_SRC := $(filter-out $(CORE_SRC),$(LIB_SRC)) $(filter-out $(CORE_CLI),$(CLI_SRC))
CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/obj/%.o) $(CORE_CLI:%.c=$(BUILD)/obj/%.o)
MOD_OBJ := $(MOD_SRC:%.c=$(BUILD)/obj/%.pic.o)
CORE_LIBS = $(shell $(PKG_CONFIG) --libs libutf8proc zlib) -lm -ldl -lpthread
GDAL_OBJ := $(GDAL_SRC:%.c=$(BUILD)/obj/%.pic.o)
TOOLS := $(TOOL_SRC:tools/%.c=$(BUILD)/tools/%)
TESTS := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)

DATA := $(if $(wildcard tools/mkgaz.c),$(BUILD)/gazetteer.evg) $(if $(wildcard tools/mkbasemap.c),$(BUILD)/basemap.evb) \
	$(BUILD)/natural_earth_relief.png $(BUILD)/natural_earth_relief.pgw
GDAL_MOD := $(if $(GDAL_SRC),$(BUILD)/evmap-gdal.so)

.PHONY: all check test demo clean install uninstall bench fuzz torture regen-golden
all: $(BUILD)/evmap $(BUILD)/evmap-cmds.so $(BUILD)/libevmap.a $(GDAL_MOD) $(DATA) $(TOOLS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/obj/%.pic.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(GDAL_CFLAGS) -fPIC -MMD -MP -c $< -o $@

$(BUILD)/libevmap.a: $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/evmap: $(CORE_OBJ)
	$(CC) $(ALL_LDFLAGS) -o $@ $(CORE_OBJ) $(CORE_LIBS)

$(BUILD)/evmap-cmds.so: $(MOD_OBJ)
	$(CC) -shared $(OPT) -o $@ $(MOD_OBJ) $(DEP_LIBS)

# The only code that links GDAL: loaded with dlopen on first use, so the
# paths that read no GDAL format never pay libgdal's start-up.
$(BUILD)/evmap-gdal.so: $(GDAL_OBJ)
	$(CC) -shared $(OPT) -o $@ $(GDAL_OBJ) $(GDAL_LIBS)

# A tool is tools/NAME.c (its main) and the parts in tools/NAME/, if any.
$(BUILD)/tools/%: tools/%.c $(BUILD)/libevmap.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(sort $(wildcard tools/$*/*.c)) $(BUILD)/libevmap.a $(DEP_LIBS)
$(BUILD)/tools/mkgaz: $(wildcard tools/mkgaz/*.c tools/mkgaz/*.h)
$(BUILD)/tools/mkbasemap: $(wildcard tools/mkbasemap/*.c tools/mkbasemap/*.h)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/harness.h $(BUILD)/libevmap.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(BUILD)/libevmap.a $(DEP_LIBS)

# Shipped data compiled into the mmap'ed forms evmap reads. A sanitizer
# build takes them from the normal build (DATA_BUILD): the data is the
# same, and the compilers run many times slower under the sanitizers.
DATA_BUILD ?= build
ifeq ($(SANITIZER),)
$(BUILD)/gazetteer.evg: $(BUILD)/tools/mkgaz $(wildcard gazetteer/*.tsv gazetteer/*.gz)
	$(BUILD)/tools/mkgaz gazetteer $@

$(BUILD)/basemap.evb: $(BUILD)/tools/mkbasemap $(wildcard basemap/*.gz basemap/*.tsv)
	$(BUILD)/tools/mkbasemap basemap $@
else
$(BUILD)/gazetteer.evg $(BUILD)/basemap.evb: $(BUILD)/%: FORCE
	@$(MAKE) --no-print-directory SANITIZER= BUILD=$(DATA_BUILD) $(DATA_BUILD)/$*
	@mkdir -p $(BUILD)
	@cmp -s $(DATA_BUILD)/$* $@ || cp $(DATA_BUILD)/$* $@
endif

# The shaded relief (`background: relief`) is read by GDAL as it is.
$(BUILD)/natural_earth_relief.%: data/raster/natural_earth_relief.%
	@mkdir -p $(BUILD)
	install -m 644 $< $@

.PHONY: FORCE
FORCE:

check test: all $(TESTS)
	@tests/run $(BUILD)

# Rewrites tests/golden/*/expected from the current build: review the
# diff (and look at the changed PNGs) like code before committing it.
regen-golden: all
	@tests/golden/run $(BUILD) --regen

demo: all
	@scripts/demo $(BUILD)

bench: all
	@bench/run $(BUILD)

fuzz:
	@tests/fuzz/build

# Allocation-failure injection (tests/torture/torture.c): every N-th
# allocation of libevmap fails in turn; TORTURE_STEP=k tries every k-th.
# Run it with SANITIZER=address,undefined to check for leaks too.
TORTURE_STEP ?= 1
TORTURE_WRAP = -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=strndup
$(BUILD)/torture: tests/torture/torture.c $(BUILD)/libevmap.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $(TORTURE_WRAP) -o $@ $< $(BUILD)/libevmap.a $(DEP_LIBS)

torture: all $(BUILD)/torture
	@tests/torture/run $(BUILD) $(TORTURE_STEP)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib \
		$(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/share/evmap \
		$(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 755 $(BUILD)/evmap $(DESTDIR)$(PREFIX)/bin/evmap
	install -m 644 $(BUILD)/libevmap.a $(DESTDIR)$(PREFIX)/lib/libevmap.a
	install -m 644 include/evmap.h $(DESTDIR)$(PREFIX)/include/evmap.h
	install -m 644 $(DATA) $(DESTDIR)$(PREFIX)/share/evmap/
	install -m 755 $(BUILD)/evmap-cmds.so $(DESTDIR)$(PREFIX)/share/evmap/
	$(if $(GDAL_MOD),install -m 755 $(GDAL_MOD) $(DESTDIR)$(PREFIX)/share/evmap/)
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(shell sed -n 's/.*EVM_VERSION "\(.*\)"/\1/p' include/evmap.h)|' \
		-e 's|@REQUIRES@|$(PKGS)|' evmap.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/evmap.pc

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/evmap $(DESTDIR)$(PREFIX)/lib/libevmap.a \
		$(DESTDIR)$(PREFIX)/include/evmap.h $(DESTDIR)$(PREFIX)/lib/pkgconfig/evmap.pc
	rm -rf $(DESTDIR)$(PREFIX)/share/evmap

clean:
	rm -rf build build-san

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
