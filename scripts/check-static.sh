#!/usr/bin/env bash
# Static checks of the kernel module, all of which must be silent:
# checkpatch --strict on the driver's files, then, for every kernel with
# a build tree under /lib/modules (or the KDIRS given), a W=1 build with
# sparse (C=2).  Any compiler or sparse diagnostic fails the check.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"

echo "== checkpatch --strict"
scripts/checkpatch.sh driver/pci-stub-pf.c driver/pci-stub-pf-compat.h \
	driver/Kbuild driver/conftest.sh

kdirs=("$@")
if [ ${#kdirs[@]} -eq 0 ]; then
	for build in /lib/modules/*/build; do
		[ -d "$build" ] && kdirs+=("$build")
	done
fi
if [ ${#kdirs[@]} -eq 0 ]; then
	echo "check-static.sh: no kernel build tree in /lib/modules/*/build; install linux-headers-amd64" >&2
	exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

status=0
for kdir in "${kdirs[@]}"; do
	echo "== W=1 C=2 build against $kdir"
	rm -rf "$work/driver"
	cp -r driver "$work/driver"
	cp VERSION "$work/driver/VERSION"
	if ! make -C "$kdir" M="$work/driver" W=1 C=2 modules \
		>"$work/log" 2>&1; then
		cat "$work/log"
		echo "check-static.sh: build failed against $kdir" >&2
		status=1
		continue
	fi
	# A kbuild that refuses sparse (too old for it) checks nothing.
	if ! grep -q "^ *CHECK .*pci-stub-pf.c" "$work/log"; then
		cat "$work/log"
		echo "check-static.sh: sparse did not run against $kdir" >&2
		status=1
	fi
	# kbuild's progress lines and notes are not diagnostics of our code
	if grep -v -E -e '^  [A-Z]+ ' -e '^make(\[[0-9]+\])?: (Entering|Leaving)' \
		-e '^Skipping BTF generation' "$work/log" | grep -q .; then
		cat "$work/log"
		echo "check-static.sh: diagnostics building against $kdir" >&2
		status=1
	fi
	if [ ! -f "$work/driver/pci-stub-pf.ko" ]; then
		echo "check-static.sh: no pci-stub-pf.ko built against $kdir" >&2
		status=1
	fi
done
exit $status
