# SPDX-License-Identifier: GPL-2.0
#
# tools/docs.mk: the documentation of sriovctl (man pages, bash completion,
# example configuration), for inclusion by a Makefile:
#
#	include $(srcdir)/docs.mk	# or: include docs.mk, from tools/
#
# Targets:
#	install-docs	install man pages, completion and examples
#	uninstall-docs	remove what install-docs installed
#	check-docs	lint the man pages (groff -ww: any warning fails;
#			mandoc -Tlint too when installed) and run the
#			completion tests (bats)
#
# Variables (set on the command line or before the include):
#	DESTDIR		staging root, empty by default
#	PREFIX		/usr
#	MANDIR		$(PREFIX)/share/man
#	BASHCOMPDIR	$(PREFIX)/share/bash-completion/completions
#	DOCDIR		$(PREFIX)/share/doc/pci-stub-pf
#	INSTALL		install
#	GROFF, MANDOC, BATS, SHELLCHECK	the checkers (mandoc and
#			shellcheck are used only when installed)
#
# Nothing is ever installed in /etc: the example configuration goes to
# $(DOCDIR)/examples/, for the operator to copy.
#
# Including this file does not change the including Makefile's default goal.

docs_saved_goal := $(.DEFAULT_GOAL)

# The directory of this file (tools/), wherever make runs from.
DOCS_SRCDIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))

DOCS_MAN8 := $(DOCS_SRCDIR)/man/sriovctl.8
DOCS_MAN5 := $(DOCS_SRCDIR)/man/sriovctl.conf.5
DOCS_COMPLETION := $(DOCS_SRCDIR)/completion/sriovctl
DOCS_EXAMPLES := $(DOCS_SRCDIR)/examples/sriovctl.conf \
		 $(DOCS_SRCDIR)/examples/pci-stub-pf.modprobe.conf
DOCS_BATS_TESTS := $(DOCS_SRCDIR)/../tests/completion/completion.bats

PREFIX ?= /usr
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
DOCDIR ?= $(PREFIX)/share/doc/pci-stub-pf
INSTALL ?= install
GROFF ?= groff
MANDOC ?= mandoc
BATS ?= bats
SHELLCHECK ?= shellcheck

.PHONY: install-docs uninstall-docs check-docs

install-docs: $(DOCS_MAN8) $(DOCS_MAN5) $(DOCS_COMPLETION) $(DOCS_EXAMPLES)
	$(INSTALL) -d -m 0755 '$(DESTDIR)$(MANDIR)/man8' '$(DESTDIR)$(MANDIR)/man5' \
		'$(DESTDIR)$(BASHCOMPDIR)' '$(DESTDIR)$(DOCDIR)/examples'
	$(INSTALL) -m 0644 $(DOCS_MAN8) '$(DESTDIR)$(MANDIR)/man8/'
	$(INSTALL) -m 0644 $(DOCS_MAN5) '$(DESTDIR)$(MANDIR)/man5/'
	$(INSTALL) -m 0644 $(DOCS_COMPLETION) '$(DESTDIR)$(BASHCOMPDIR)/sriovctl'
	$(INSTALL) -m 0644 $(DOCS_EXAMPLES) '$(DESTDIR)$(DOCDIR)/examples/'

uninstall-docs:
	rm -f $(foreach f,$(DOCS_MAN8),'$(DESTDIR)$(MANDIR)/man8/$(notdir $(f))') \
	      $(foreach f,$(DOCS_MAN5),'$(DESTDIR)$(MANDIR)/man5/$(notdir $(f))') \
	      '$(DESTDIR)$(BASHCOMPDIR)/sriovctl' \
	      $(foreach f,$(DOCS_EXAMPLES),'$(DESTDIR)$(DOCDIR)/examples/$(notdir $(f))')
	rmdir '$(DESTDIR)$(DOCDIR)/examples' '$(DESTDIR)$(DOCDIR)' 2>/dev/null || :

# groff reports warnings on stderr and still exits 0: fail on any output.
check-docs: $(DOCS_MAN8) $(DOCS_MAN5) $(DOCS_COMPLETION)
	@set -e; for page in $(DOCS_MAN8) $(DOCS_MAN5); do \
		echo "  GROFF   $$page"; \
		out=$$(LC_ALL=C.UTF-8 $(GROFF) -man -Tutf8 -ww -z "$$page" 2>&1); \
		if [ -n "$$out" ]; then echo "$$out" >&2; exit 1; fi; \
		if command -v $(MANDOC) >/dev/null 2>&1; then \
			echo "  MANDOC  $$page"; \
			out=$$($(MANDOC) -Tlint -W warning "$$page" 2>&1) || :; \
			if [ -n "$$out" ]; then echo "$$out" >&2; exit 1; fi; \
		fi; \
	done
	@echo "  BASH -n $(DOCS_COMPLETION)"; bash -n $(DOCS_COMPLETION)
	@if command -v $(SHELLCHECK) >/dev/null 2>&1; then \
		echo "  SHCHECK $(DOCS_COMPLETION)"; \
		$(SHELLCHECK) -s bash $(DOCS_COMPLETION); \
	fi
	@echo "  BATS    $(DOCS_BATS_TESTS)"; $(BATS) $(DOCS_BATS_TESTS)

.DEFAULT_GOAL := $(docs_saved_goal)
