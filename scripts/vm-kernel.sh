#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Debian's kernel of series SERIES from sid (or experimental), which Debian
# 12 cannot install, unpacked as a kernel root for the test VM
# (tests/vm/run --kernel-root ROOT), and print ROOT.  tests/vm/run calls it
# for `--kernel SERIES` when no installed kernel matches.
#
# Usage: scripts/vm-kernel.sh [--offline] [--refresh] SERIES
#
#   SERIES      7.2: MAJOR.MINOR of a kernel in sid or experimental
#   --refresh   look for a newer package even if a usable root is cached
#   --offline   use the cached package lists and downloads only
#
# ROOT is ${PCI_STUB_PF_CACHE:-~/.cache/pci-stub-pf}/vm-kernels/RELEASE:
#
#   boot/vmlinuz-RELEASE     the kernel image
#   lib/modules/RELEASE/     the kernel's modules (.ko.xz), depmod'ed here
#   lib/modules/RELEASE/build -> linux-source-SERIES configured and prepared
#                            by scripts/check-kernels.sh's helpers (same
#                            cache), under Debian's kernel release, so that
#                            modules built there load into this kernel
#
# The image packages (linux-image-RELEASE and the linux-binary-,
# linux-modules- and linux-base-RELEASE it depends on, or the older
# single linux-image-RELEASE-unsigned) are unpacked with dpkg -x, never
# installed.  A cached root is used as long as its build tree is there
# (check-kernels.sh replaces the tree when sid moves on; the next run then
# unpacks the matching kernel).  Cold cache: about 340 MB of downloads and
# 2-3 minutes (2 cores, loaded host); warm: instant.  Progress goes to stderr.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

prog=vm-kernel.sh
# shellcheck source=scripts/lib/debian-kernels.sh
. "$top/scripts/lib/debian-kernels.sh"

usage()
{
	sed -n '3,/^set -e/{/^set -e/d;s/^# \{0,1\}//;p}' "$0"
}

offline=0
refresh=0
series=
for arg in "$@"; do
	case "$arg" in
	--offline) offline=1 ;;
	--refresh) refresh=1 ;;
	-h|--help) usage; exit 0 ;;
	-*) echo "$prog: unknown option '$arg'" >&2; exit 2 ;;
	*)
		[ -z "$series" ] || { echo "$prog: one SERIES only" >&2; exit 2; }
		series=$arg
		;;
	esac
done
if ! [[ "$series" =~ ^[0-9]+\.[0-9]+$ ]]; then
	echo "$prog: want a kernel series MAJOR.MINOR (7.2), not '$series'" >&2
	usage >&2
	exit 2
fi

dk_init
roots=$(dirname "$cache")/vm-kernels
suites="sid experimental"

# Whether ROOT is complete for its release: image, modules index, and a
# build tree prepared under the same release.
root_ok()
{
	local root=$1 rel=$2

	[ -f "$root/.complete" ] && [ -e "$root/boot/vmlinuz-$rel" ] &&
	[ -f "$root/lib/modules/$rel/modules.dep" ] &&
	[ "$(cat "$root/lib/modules/$rel/build/include/config/kernel.release" 2>/dev/null)" = "$rel" ]
}

# The newest usable cached root of SERIES, or nothing.
cached_root()
{
	local dir rel best=

	for dir in "$roots"/"$series".*/ "$roots"/"$series"-*/ "$roots"/"$series"+*/; do
		[ -d "$dir" ] || continue
		rel=$(basename "$dir")
		root_ok "$roots/$rel" "$rel" || continue
		best=$(printf '%s\n%s\n' "$best" "$rel" | sed '/^$/d' | sort -V | tail -n 1)
	done
	[ -z "$best" ] || echo "$roots/$best"
}

if [ "$refresh" -eq 0 ] && root=$(cached_root) && [ -n "$root" ]; then
	echo "$root"
	exit 0
fi

"$top/scripts/deps.sh" kernels >&2
mkdir -p "$roots"
dk_lock
# Parallel runs (make check-vm's lanes) may all have found no root: the
# first to get the lock makes it, the others use it.
if [ "$refresh" -eq 0 ] && root=$(cached_root) && [ -n "$root" ]; then
	echo "$root"
	exit 0
fi
work=$(mktemp -d)
stage=
trap 'rm -rf "$work" ${stage:+"$stage"}' EXIT

# The kernel's packages: PKG and, transitively, what it depends on of the
# same release (linux-binary-, linux-modules-, linux-base-RELEASE); every
# one of them must be of version VER, that of the source tree, or the
# modules built against the tree would not fit.  Prints "name=version".
image_closure()
{
	local pkg=$1 ver=$2 rel=$3 todo seen=' ' p v d

	todo=("$pkg")
	while [ ${#todo[@]} -gt 0 ]; do
		p=${todo[0]}
		todo=("${todo[@]:1}")
		case "$seen" in *" $p "*) continue ;; esac
		seen+="$p "
		v=$(pkg_version "$suite" "$p")
		if [ "$v" != "$ver" ]; then
			die "$suite has ${v:+$p $v, not $ver}${v:-no $p}, but linux-source-$series $ver: the kernel's packages are not all built yet.  Wait for the archive to catch up (then scripts/vm-kernel.sh --refresh $series), or boot a kernel of your own with tests/vm/run --kernel-root DIR"
		fi
		echo "$p=$v"
		for d in $(pkg_depends "$suite" "$p"); do
			case "$d" in
			linux-*"$rel"*) todo+=("$d") ;;
			esac
		done
	done
}

t0=$(now)
echo "$prog: Debian's $series kernel for the VM (cache $roots)" >&2
# kdir, srcdir, suite, src_ver, hdr
source_tree "$suites" "$series" >&2
[ -n "$suite" ] || die "linux-source-$series is in none of $suites any more: no kernel image to fetch (use an older cached root with tests/vm/run --kernel-root, or a newer series)"
rel=$(cat "$kdir/include/config/kernel.release")

# Debian 12's layout: linux-image-REL-unsigned holds everything; sid's
# linux-image-REL is signed, and since 6.17 an empty package that depends
# on linux-binary-REL (vmlinuz), linux-modules-REL and linux-base-REL.
image=
for p in "linux-image-$rel-unsigned" "linux-image-$rel"; do
	if [ -n "$(pkg_version "$suite" "$p")" ]; then
		image=$p
		break
	fi
done
[ -n "$image" ] || die "$suite has linux-source-$series $src_ver and $hdr, but no linux-image-$rel(-unsigned): the image is not built yet.  Wait for the archive to catch up (then scripts/vm-kernel.sh --refresh $series), or boot a kernel of your own with tests/vm/run --kernel-root DIR"
closure=$(image_closure "$image" "$src_ver" "$rel")
mapfile -t pkgs <<<"$closure"

root=$roots/$rel
complete=$(printf '%s\n' "# Debian packages unpacked here by scripts/vm-kernel.sh ($suite)" \
	"${pkgs[@]}" "linux-source-$series=$src_ver -> $kdir")
# --refresh with nothing new: a VM may be using this root, leave it be.
if root_ok "$root" "$rel" && [ "$(cat "$root/.complete")" = "$complete" ]; then
	echo "$prog: $root is up to date ($(since "$t0"))" >&2
	echo "$root"
	exit 0
fi
stage=$(mktemp -d "$roots/.$rel.XXXXXX")
for p in "${pkgs[@]}"; do
	deb=$(download "$suite" "${p%%=*}" "${p#*=}")
	dpkg -x "$deb" "$stage"
done

# Merged /usr (sid): the modules are in usr/lib/modules; the VM harness
# looks in lib/modules.
if [ -d "$stage/usr/lib/modules/$rel" ]; then
	mkdir -p "$stage/lib/modules"
	[ ! -e "$stage/lib/modules/$rel" ] ||
		die "$image ships both lib/modules/$rel and usr/lib/modules/$rel"
	mv "$stage/usr/lib/modules/$rel" "$stage/lib/modules/$rel"
fi
mods=$stage/lib/modules/$rel
[ -d "$mods/kernel" ] || die "$image and its dependencies hold no lib/modules/$rel/kernel"
# linux-binary installs vmlinuz beside the modules (its postinst copies it
# to /boot); the older packages ship boot/vmlinuz-REL.
if [ ! -e "$stage/boot/vmlinuz-$rel" ]; then
	[ -f "$mods/vmlinuz" ] || die "$image and its dependencies hold no kernel image (boot/vmlinuz-$rel or modules/$rel/vmlinuz)"
	mkdir -p "$stage/boot"
	ln -s "../lib/modules/$rel/vmlinuz" "$stage/boot/vmlinuz-$rel"
fi
# The packages' build link points at linux-headers-REL, which Debian 12
# cannot use (its tools need a newer glibc): the prepared source tree
# stands in for it.
rm -f "$mods/build" "$mods/source"
ln -s "$kdir" "$mods/build"
# The modules.dep a package's postinst would create (bookworm's kmod reads
# .ko.xz and .ko.zst).
depmod -b "$stage" "$rel" || die "depmod -b $stage $rel failed"

echo "$complete" >"$stage/.complete"
chmod 0755 "$stage"
rm -rf "$root"
mv "$stage" "$root"
stage=
# Roots whose build tree is gone (check-kernels.sh replaced it) are dead.
for dir in "$roots"/*/; do
	[ -e "$dir/lib/modules/$(basename "$dir")/build/Makefile" ] || rm -rf "$dir"
done
root_ok "$root" "$rel" || die "$root is incomplete after unpacking"
echo "$prog: $root: $image $src_ver ($(since "$t0"))" >&2
echo "$root"
