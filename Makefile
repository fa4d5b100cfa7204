# Makefile - build, test and install facet
#
#   make            build facet, its utilities, and facet-netstack (if it can)
#   make check      unit tests (Check) and integration tests (real programs)
#   make install    PREFIX=/usr/local DESTDIR=
#   make cppcheck | clang-tidy | valgrind-check | bench

VERSION := 0.1
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
INCDIR ?= $(PREFIX)/include
MANDIR ?= $(PREFIX)/share/man
COMPDIR ?= $(PREFIX)/share/bash-completion/completions

CC ?= cc
CFLAGS ?= -O2 -g
CFLAGS += -Wall -Wextra -std=gnu11 -D_GNU_SOURCE -DFACET_VERSION=\"$(VERSION)\"
CPPFLAGS += -Icore -Imodules -Ifsmodules -Ibuild
LDLIBS_FS := $(shell pkg-config --libs fuse3 libarchive 2>/dev/null || echo -lfuse3 -larchive) -lpthread
LDLIBS_FACET := $(shell pkg-config --libs libseccomp 2>/dev/null || echo -lseccomp) -ldl $(LDLIBS_FS)
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null || echo -lcheck -lsubunit -lm -lrt -lpthread)

CORE_SRC := $(filter-out core/main.c,$(wildcard core/*.c))
# facet's own file systems: each is linked into facet and also built alone
FS_MODS := fsmodules/archivefs.c
FS_PROGS := build/facet-archivefs
MOD_SRC := modules/hostname.c modules/limits.c modules/builtin.c $(wildcard modules/files*.c) modules/fuse_client.c modules/fuse_reply.c \
	$(wildcard modules/net*.c) \
	$(wildcard modules/ident*.c) fsmodules/fsmod.c $(FS_MODS)
LIB_OBJ := $(patsubst %.c,build/%.o,$(CORE_SRC) $(MOD_SRC)) build/sys_table.o
HDRS := $(wildcard core/*.h modules/*.h) build/sys_gen.h

TEST_PROGS := $(patsubst tests/progs/%.c,build/tests/%,$(wildcard tests/progs/*.c))
TEST_MODS := build/tests/holdmod.so
# the escape suite: one program per way out (tests/escape/)
ESC_PROGS := $(patsubst tests/escape/%.c,build/tests/escape/%,$(wildcard tests/escape/*.c))

# the utilities run inside a view (utils/)
UTILS := build/facet-mount build/facet-umount build/facet-ctl

all: facet modules/inject.so $(FS_PROGS) $(UTILS)

# facet-netstack, the view's TCP/IP stack on a virtual LAN (--net vde:):
# built when libvdeplug and lwIP's source package are to be had
include netstack/netstack.mk

build/sys_gen.h: core/syscalls.list core/gensys.awk
	@mkdir -p build
	awk -v out=header -f core/gensys.awk $< > $@.tmp && mv $@.tmp $@

build/sys_table.c: core/syscalls.list core/gensys.awk
	@mkdir -p build
	awk -v out=table -f core/gensys.awk $< > $@.tmp && mv $@.tmp $@

build/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

build/sys_table.o: build/sys_table.c $(HDRS)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

build/libfacet.a: $(LIB_OBJ)
	ar rcs $@ $^

# -rdynamic: modules loaded with dlopen() call facet_* from the executable
facet: build/core/main.o build/libfacet.a
	$(CC) $(CFLAGS) -rdynamic -o $@ $^ $(LDFLAGS) $(LDLIBS_FACET) -lpthread

build/facet-%fs: fsmodules/standalone.c build/fsmodules/%fs.o fsmodules/fsmod.h
	$(CC) $(CPPFLAGS) $(CFLAGS) -DFSMOD=$*fs_mod -o $@ $< build/fsmodules/$*fs.o \
		$(LDFLAGS) $(LDLIBS_FS)

build/facet-%: utils/facet-%.c utils/facet_util.h core/facet_module.h
	@mkdir -p build
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(LDFLAGS)

modules/%.so: modules/example/%.c core/facet_module.h
	$(CC) $(CPPFLAGS) $(CFLAGS) -fPIC -shared -o $@ $< -U_GNU_SOURCE

# tests ---------------------------------------------------------------------

build/tests/ids_static: tests/progs/ids_static.c
	@mkdir -p build/tests
	$(CC) $(CFLAGS) -static -o $@ $< $(LDFLAGS)

build/tests/%: tests/progs/%.c
	@mkdir -p build/tests
	$(CC) $(CFLAGS) -o $@ $< -lpthread

build/tests/escape/%: tests/escape/%.c tests/escape/escape.h
	@mkdir -p build/tests/escape
	$(CC) $(CFLAGS) -o $@ $< -lpthread

build/tests/%.so: tests/mods/%.c core/facet_module.h
	@mkdir -p build/tests
	$(CC) $(CPPFLAGS) $(CFLAGS) -fPIC -shared -o $@ $< -U_GNU_SOURCE

build/tests/unit: $(wildcard tests/unit/*.c) tests/unit/unit.h build/libfacet.a
	@mkdir -p build/tests
	$(CC) $(CPPFLAGS) $(CFLAGS) -Itests/unit -rdynamic -o $@ \
		$(wildcard tests/unit/*.c) build/libfacet.a $(LDLIBS_FACET) -lpthread $(CHECK_LIBS)

test-build: all build/tests/unit $(TEST_PROGS) $(ESC_PROGS) $(TEST_MODS)

# fuzzing with clang's libFuzzer (Debian: clang, libclang-rt-14-dev): each
# harness of tests/fuzz/ runs for FUZZ_SECONDS from its corpus
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 120
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-D_GNU_SOURCE -Icore -Imodules -Ibuild
FUZZERS := build/fuzz/fuzz_fuse build/fuzz/fuzz_rtnl build/fuzz/fuzz_path build/fuzz/fuzz_trace \
	build/fuzz/fuzz_walk

build/fuzz/fuzz_fuse: tests/fuzz/fuzz_fuse.c modules/fuse_reply.c
build/fuzz/fuzz_rtnl: tests/fuzz/fuzz_rtnl.c modules/net_rtnl.c
build/fuzz/fuzz_path: tests/fuzz/fuzz_path.c modules/files_view.c
build/fuzz/fuzz_trace: tests/fuzz/fuzz_trace.c core/decode.c core/mem.c
$(filter-out build/fuzz/fuzz_walk,$(FUZZERS)): $(HDRS)
	@mkdir -p build/fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $(filter %.c,$^)
# the resolver's walk needs the files module whole, and what it links with
build/fuzz/fuzz_walk: tests/fuzz/fuzz_walk.c $(CORE_SRC) $(MOD_SRC) build/sys_table.c $(HDRS)
	@mkdir -p build/fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) -Ifsmodules -DFACET_VERSION=\"$(VERSION)\" -o $@ \
		$(filter %.c,$^) $(LDLIBS_FACET)

fuzz: $(FUZZERS)
	tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZERS)

# in make check: the fuzzers if clang's libFuzzer is there, else a SKIP
fuzz-check:
	@if printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }' | \
	    $(FUZZ_CC) -fsanitize=fuzzer -x c - -o /dev/null 2>/dev/null; then \
		$(MAKE) --no-print-directory fuzz; \
	else \
		echo "SKIP fuzz: $(FUZZ_CC) with libFuzzer is not installed (clang, libclang-rt-14-dev)"; \
	fi

check: test-build
	build/tests/unit
	$(MAKE) --no-print-directory netstack-check
	$(MAKE) --no-print-directory fuzz-check
	tests/integration.sh

# quality -------------------------------------------------------------------

cppcheck: build/sys_gen.h
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
		--inline-suppr -Icore -Imodules -Ifsmodules -Ibuild --std=c11 -D_GNU_SOURCE \
		core modules fsmodules

clang-tidy: build/sys_gen.h
	clang-tidy $(CORE_SRC) core/main.c $(MOD_SRC) -- $(CPPFLAGS) -std=gnu11 -D_GNU_SOURCE

# valgrind 3.19 does not know seccomp(2), so facet itself cannot run under
# it: check the suites that need no filter, in-process (CK_FORK=no)
valgrind-check: test-build
	for s in syscalls decode task files; do \
		CK_FORK=no CK_RUN_SUITE=$$s valgrind -q --error-exitcode=1 \
			--leak-check=full build/tests/unit || exit 1; \
	done

bench: all
	bench/run.sh

# real test suites natively and under facet (tests/compat/run.sh; as root,
# about an hour; not part of check)
compat: all
	tests/compat/run.sh

# install -------------------------------------------------------------------

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(INCDIR)/facet $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man3 $(DESTDIR)$(MANDIR)/man7
	install -m 755 facet $(FS_PROGS) $(UTILS) $(DESTDIR)$(BINDIR)/
	if [ -x build/facet-netstack ]; then \
		install -m 755 build/facet-netstack $(DESTDIR)$(BINDIR)/; fi
	install -m 644 core/facet_module.h $(DESTDIR)$(INCDIR)/facet/module.h
	install -m 644 man/facet.1 man/facet-mount.1 man/facet-umount.1 man/facet-ctl.1 \
		$(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/facet-module.3 $(DESTDIR)$(MANDIR)/man3/
	install -m 644 man/facet-modules.7 $(DESTDIR)$(MANDIR)/man7/
	install -d $(DESTDIR)$(COMPDIR)
	install -m 644 utils/facet.bash $(DESTDIR)$(COMPDIR)/facet
	for u in facet-mount facet-umount facet-ctl; do \
		ln -sf facet $(DESTDIR)$(COMPDIR)/$$u; done

clean:
	rm -rf build facet modules/*.so

.PHONY: all check fuzz fuzz-check test-build cppcheck clang-tidy valgrind-check bench compat install clean
.DELETE_ON_ERROR:
