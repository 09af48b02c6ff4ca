#!/usr/bin/env bash
# Run the kernel's checkpatch.pl --strict on the driver's files.
#
# checkpatch is not in Debian's headers package; take it (and the data
# files it reads) from linux-source-6.12 and cache it outside the tree.
set -euo pipefail

cache=${PCI_STUB_PF_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pci-stub-pf}/checkpatch
tarball=$(ls /usr/src/linux-source-6.12*.tar.xz 2>/dev/null | sort -V | tail -n 1)

if [ ! -x "$cache/scripts/checkpatch.pl" ]; then
	if [ -z "$tarball" ]; then
		echo "checkpatch.sh: no /usr/src/linux-source-6.12*.tar.xz; install linux-source-6.12" >&2
		exit 1
	fi
	top=$(basename "$tarball" .tar.xz)
	mkdir -p "$cache"
	tar -xJf "$tarball" -C "$cache" --strip-components=1 \
		"$top/scripts/checkpatch.pl" "$top/scripts/spelling.txt" \
		"$top/scripts/const_structs.checkpatch"
fi

# --no-tree: we are not inside a kernel tree; the data files are found
# next to the script.
exec perl "$cache/scripts/checkpatch.pl" --no-tree --strict --terse \
	--show-types -f "$@"
