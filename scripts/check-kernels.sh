#!/usr/bin/env bash
# Build the module with W=1 and sparse (C=2) against every kernel series we
# support, and prove that a kernel without CONFIG_PCI_IOV is refused
# cleanly.  Any compiler or sparse diagnostic fails the check.
#
# Usage: scripts/check-kernels.sh [--offline] [KERNEL...]
#
#   KERNEL   5.10   Debian 11 (bullseye) headers, downloaded
#            6.1    Debian 12 linux-headers-amd64, installed
#            6.12   Debian 12 linux-headers-6.12-amd64, installed
#            7.2    sid's linux-source-7.2, configured and prepared here
#            7.3    experimental's linux-source-7.3 (release candidate;
#                   sid's once a newer one is there)
#            no-pci-iov   the 7.2 tree with CONFIG_PCI_IOV off: the build
#                   must stop at the compat header's #error
#            Default: all of them, in this order.
#   --offline   use the cached package lists and downloads only
#
# Packages of other suites come through a private apt configuration (their
# own sources.list and lists directory): the machine's apt sources are not
# touched.  Downloads, prepared kernel trees and a sparse built from sid's
# source package are cached in ${PCI_STUB_PF_CACHE}/kernels (default
# ~/.cache/pci-stub-pf/kernels) and reused; the package lists are
# refreshed when older than a day.  A series that has left its suite is
# checked against its last cached tree.  The apt and source-tree helpers
# are in scripts/lib/debian-kernels.sh, shared with scripts/vm-kernel.sh
# (which boots the 7.2 tree's kernel in the test VM).  Environment: PCI_STUB_PF_CACHE,
# PCI_STUB_PF_MIRROR (default http://deb.debian.org/debian).
#
# Cold cache: about 5 minutes and 340 MB of downloads (2 cores); warm:
# about a minute.  The cache takes about 4 GB.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"

all_kernels=(5.10 6.1 6.12 7.2 7.3 no-pci-iov)
offline=0
kernels=()
for arg in "$@"; do
	case "$arg" in
	--offline) offline=1 ;;
	-h|--help) sed -n '2,/^set -e/{/^set -e/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
	5.10|6.1|6.12|7.2|7.3|no-pci-iov) kernels+=("$arg") ;;
	*)
		echo "check-kernels.sh: unknown argument '$arg' (kernels: ${all_kernels[*]})" >&2
		exit 2
		;;
	esac
done
[ ${#kernels[@]} -gt 0 ] || kernels=("${all_kernels[@]}")

prog=check-kernels.sh
# shellcheck source=scripts/lib/debian-kernels.sh
. "$top/scripts/lib/debian-kernels.sh"
dk_init

scripts/deps.sh kernels

mkdir -p "$cache/sparse"
dk_lock

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

start_all=$(now)

# --- kernel trees -----------------------------------------------------------

# Debian header trees name their compiler (gcc-10 for bullseye): if this
# machine lacks it, build with its gcc.  Sets make_cc.
pick_cc()
{
	local kdir=$1 cc
	make_cc=()
	[ -f "$kdir/.kernelvariables" ] || return 0
	cc=$(sed -n 's/^CC = .*\(gcc-[0-9][0-9]*\)[[:space:]]*$/\1/p' \
		"$kdir/.kernelvariables" | head -n 1)
	if [ -n "$cc" ] && ! command -v "$cc" >/dev/null; then
		make_cc=(CC=gcc)
		echo "   $cc is not installed: building with $(gcc -dumpfullversion 2>/dev/null | sed 's/^/gcc /')"
	fi
}

# Debian 12's own kernels: the tree of the headers package that metapackage
# META depends on.  Sets kdir.
installed_tree()
{
	local meta=$1 pkg ver
	pkg=$(dpkg-query -W -f='${Depends}' "$meta" 2>/dev/null | tr ',' '\n' |
		sed -n 's/^ *\(linux-headers-[^ ]*-amd64\).*/\1/p' | head -n 1)
	[ -n "$pkg" ] || die "$meta is not installed (scripts/deps.sh kernels)"
	ver=$(dpkg-query -W -f='${Version}' "$pkg")
	kdir=/usr/src/$pkg
	[ -f "$kdir/Makefile" ] || die "no kernel tree at $kdir"
	echo "   installed  $pkg $ver (bookworm) -> $kdir"
}

# A headers package (plus its -common and linux-kbuild packages) of SERIES
# from SUITE, unpacked with dpkg -x into the cache.  Sets kdir.
headers_tree()
{
	local suite=$1 series=$2 hdr ver dep common='' kbuild='' tree deb

	apt_suite "$suite"
	hdr=$(headers_pkg "$suite" "$series")
	[ -n "$hdr" ] || die "no linux-headers-$series*-amd64 in $suite"
	ver=$(pkg_version "$suite" "$hdr")
	for dep in $(pkg_depends "$suite" "$hdr"); do
		case "$dep" in
		linux-headers-*-common) common=$dep ;;
		linux-kbuild-*) kbuild=$dep ;;
		esac
	done
	if [ -z "$common" ] || [ -z "$kbuild" ]; then
		die "$hdr $ver does not name its -common and linux-kbuild packages"
	fi

	tree=$cache/trees/${hdr}_$ver
	kdir=$tree/usr/src/$hdr
	if [ ! -f "$tree/.prepared" ]; then
		rm -rf "$tree"
		mkdir -p "$tree"
		for dep in "$hdr=$ver" "$common=$(pkg_version "$suite" "$common")" \
			   "$kbuild=$(pkg_version "$suite" "$kbuild")"; do
			deb=$(download "$suite" "${dep%%=*}" "${dep#*=}")
			dpkg -x "$deb" "$tree"
		done
		mv "$kdir/Makefile" "$kdir/Makefile.debian"
		find "$cache/trees" -maxdepth 1 -name "linux-headers-$series*" \
			! -path "$tree" -exec rm -rf {} +
		touch "$tree/.prepared"
		echo "   unpacked   $hdr, $common, $kbuild -> $kdir"
	else
		echo "   cached     $hdr $ver, $common, $kbuild ($suite) -> $kdir"
	fi
	# The package's Makefile includes /usr/src/...-common by absolute path.
	sed "s|^include /usr/src/|include $tree/usr/src/|" \
		"$kdir/Makefile.debian" >"$kdir/Makefile"
}

# --- sparse -----------------------------------------------------------------

# Kernels from 6.15 on refuse a sparse that does not know
# __typeof_unqual__ (scripts/checker-valid.sh), and then check nothing:
# Debian 12's 0.6.4 is such a sparse.  Build sid's from its source package
# into the cache.  Sets sid_sparse.
sid_sparse=
build_sid_sparse()
{
	local ver dir src t

	[ -z "$sid_sparse" ] || return 0
	apt_suite sid
	ver=$(pkg_version sid sparse)
	[ -n "$ver" ] || die "no sparse in sid"
	dir=$cache/sparse/$ver
	if [ -x "$dir/sparse" ]; then
		echo "   cached     sparse $ver (sid source) -> $dir/sparse"
		sid_sparse=$dir/sparse
		return 0
	fi
	[ "$offline" -eq 0 ] || die "--offline, but sparse $ver is not built in $dir"

	t=$(now)
	src=$work/sparse
	mkdir -p "$src"
	apt_opts sid
	(cd "$src" && apt-get "${apt_o[@]}" source --download-only "sparse=$ver" &&
	 dpkg-source -x ./*.dsc tree) >"$work/sparse.log" 2>&1 ||
		die_log "$work/sparse.log" "cannot fetch and unpack sid's sparse $ver source"
	# Only the checker: no LLVM, GTK, libxml or sqlite front ends.
	make -C "$src/tree" -j"$jobs" CC=gcc HAVE_LLVM=no HAVE_GTK=no \
		HAVE_LIBXML=no HAVE_SQLITE=no SPARSE_VERSION="$ver" sparse \
		>>"$work/sparse.log" 2>&1 ||
		die_log "$work/sparse.log" "cannot build sid's sparse $ver"
	find "$cache/sparse" -mindepth 1 -maxdepth 1 ! -path "$dir" -exec rm -rf {} +
	install -D -m 0755 "$src/tree/sparse" "$dir/sparse"
	rm -rf "$src"
	sid_sparse=$dir/sparse
	echo "   built      sparse $ver from sid's source package ($(since "$t")) -> $sid_sparse"
}

# The sparse to run against KDIR: Debian 12's unless the kernel's own
# validity check refuses it.  Sets make_check and sparse_name.
pick_sparse()
{
	local kdir=$1 valid

	make_check=()
	sparse_name="sparse $(sparse --version 2>/dev/null) (bookworm)"
	valid=$(readlink -f "$kdir/source/scripts/checker-valid.sh" 2>/dev/null ||
		readlink -f "$kdir/scripts/checker-valid.sh" 2>/dev/null) || true
	if [ -n "$valid" ] && [ -f "$valid" ] &&
	   [ "$(sh "$valid" sparse 2>/dev/null)" != 1 ]; then
		echo "   $(sparse --version) is refused by this kernel (scripts/checker-valid.sh)"
		use_sid_sparse
	fi
}

use_sid_sparse()
{
	build_sid_sparse
	make_check=(CHECK="$sid_sparse")
	sparse_name="sparse $("$sid_sparse" --version) (sid, built here)"
}

# --- the module -------------------------------------------------------------

# Copy the driver's sources (no build products) to a fresh directory.
copy_driver()
{
	local dir=$1 f
	rm -rf "$dir"
	mkdir -p "$dir"
	for f in driver/Kbuild driver/*.sh driver/*.c driver/*.h; do
		case "$f" in
		*/pci-stub-pf-conftest.h|*.mod.c) continue ;;
		esac
		cp "$f" "$dir/"
	done
	[ ! -f VERSION ] || cp VERSION "$dir/VERSION"
}

# Build the module against KDIR with W=1 C=2; fail on any diagnostic, on a
# sparse that did not run, or on a missing .ko.
build_module()
{
	local label=$1 kdir=$2 dir=$work/build-$1 log=$work/build-$1.log
	shift 2

	copy_driver "$dir"
	if ! make -C "$kdir" M="$dir" W=1 C=2 "$@" modules >"$log" 2>&1; then
		cat "$log"
		echo "check-kernels.sh: $label: build failed against $kdir" >&2
		return 1
	fi
	if ! grep -q "^ *CHECK .*pci-stub-pf.c" "$log"; then
		cat "$log"
		echo "check-kernels.sh: $label: sparse did not run against $kdir" >&2
		return 3
	fi
	# kbuild's progress lines and notes are not diagnostics of our code
	if grep -v -E -e '^  [A-Z]+ ' -e '^make(\[[0-9]+\])?: (Entering|Leaving)' \
		-e '^Skipping BTF generation' "$log" | grep -q .; then
		cat "$log"
		echo "check-kernels.sh: $label: diagnostics building against $kdir" >&2
		return 1
	fi
	if [ ! -f "$dir/pci-stub-pf.ko" ]; then
		echo "check-kernels.sh: $label: no pci-stub-pf.ko built against $kdir" >&2
		return 1
	fi
	echo "   conftest:  $(grep -o 'HAVE_[A-Z_]*.*' "$dir/pci-stub-pf-conftest.h" |
		sed -e 's/ 1$//' -e 's/: not available \*\//=no/' | tr '\n' ' ')"
}

# Build, and if sparse did not run with Debian 12's, once more with sid's.
check_kernel()
{
	local label=$1 kdir=$2 rc=0

	pick_cc "$kdir"
	pick_sparse "$kdir"
	build_module "$label" "$kdir" ${make_cc[@]+"${make_cc[@]}"} \
		${make_check[@]+"${make_check[@]}"} || rc=$?
	if [ $rc -eq 3 ] && [ ${#make_check[@]} -eq 0 ]; then
		echo "   sparse did not run: retrying with sid's sparse"
		use_sid_sparse
		rc=0
		build_module "$label" "$kdir" ${make_cc[@]+"${make_cc[@]}"} \
			"${make_check[@]}" || rc=$?
	fi
	[ $rc -eq 0 ] || return 1
	echo "   ok: W=1 C=2 clean with $sparse_name"
}

# The 7.2 tree configured once more, in a second object tree next to the
# first (cached with it), with CONFIG_PCI_IOV off and every option that
# selects it.  The build must stop at the compat header's #error, and
# dkms.conf's BUILD_EXCLUSIVE_CONFIG="CONFIG_PCI_IOV" must find nothing in
# its .config, so that DKMS skips such a kernel instead of failing.
check_no_pci_iov()
{
	local obj log=$work/build-no-pci-iov.log t sel s
	local msg='pci-stub-pf needs a kernel built with CONFIG_PCI_IOV'
	local -a off=(-d PCI_IOV)

	source_tree sid 7.2
	obj=$(dirname "$kdir")/obj-no-pci-iov
	if [ -f "$obj/.prepared" ]; then
		echo "   cached     $obj"
	else
		t=$(now)
		rm -rf "$obj"
		mkdir -p "$obj"
		cp "$kdir/.config" "$obj/.config"
		# options that would select PCI_IOV back on
		sel=$(find "$srcdir" -name 'Kconfig*' -exec awk '
			$1 == "config" || $1 == "menuconfig" { sym = $2 }
			$1 == "select" && $2 == "PCI_IOV" { print sym }' {} + |
			sort -u)
		for s in $sel; do
			off+=(-d "$s")
		done
		"$srcdir/scripts/config" --file "$obj/.config" --keep-case "${off[@]}"
		make -C "$srcdir" O="$obj" olddefconfig >"$work/prepare.log" 2>&1 ||
			die_log "$work/prepare.log" "olddefconfig without PCI_IOV failed"
		if grep -q '^CONFIG_PCI_IOV=' "$obj/.config"; then
			die "cannot configure the 7.2 tree without CONFIG_PCI_IOV (selected by: ${sel//$'\n'/ })"
		fi
		make -C "$srcdir" O="$obj" -j"$jobs" modules_prepare \
			>"$work/prepare.log" 2>&1 ||
			die_log "$work/prepare.log" "modules_prepare without PCI_IOV failed"
		cp "$kdir/Module.symvers" "$obj/Module.symvers"
		touch "$obj/.prepared"
		echo "   prepared   $obj: CONFIG_PCI_IOV off (and ${sel//$'\n'/ }) ($(since "$t"))"
	fi

	# dkms 3.0.10 (Debian 12): grep -q -E "^${kconf}=[ym]" .config || build_exclude=yes
	if grep -E -q '^CONFIG_PCI_IOV=[ym]' "$obj/.config"; then
		echo "check-kernels.sh: no-pci-iov: DKMS's BUILD_EXCLUSIVE_CONFIG would not skip it" >&2
		return 1
	fi
	echo "   dkms: BUILD_EXCLUSIVE_CONFIG=\"CONFIG_PCI_IOV\" finds no CONFIG_PCI_IOV=[ym] in its .config: dkms skips this kernel"

	copy_driver "$work/build-no-pci-iov"
	if make -C "$obj" M="$work/build-no-pci-iov" W=1 modules >"$log" 2>&1; then
		cat "$log"
		echo "check-kernels.sh: no-pci-iov: the module built without CONFIG_PCI_IOV" >&2
		return 1
	fi
	# the #error and nothing else: no other compiler error on the way
	if ! grep -q -F "error: #error \"$msg\"" "$log" ||
	   grep 'error:' "$log" | grep -q -v -F "$msg"; then
		cat "$log"
		echo "check-kernels.sh: no-pci-iov: the build failed, but not (only) with the #error" >&2
		return 1
	fi
	echo "   ok: a direct build stops with: $(grep -m 1 -o "error: #error.*" "$log")"
}

# --- main -------------------------------------------------------------------

# One kernel; a failure to fetch or prepare its tree fails this kernel only.
check_one()
{
	case "$1" in
	5.10)
		headers_tree bullseye 5.10
		check_kernel "$1" "$kdir"
		;;
	6.1)
		installed_tree linux-headers-amd64
		check_kernel "$1" "$kdir"
		;;
	6.12)
		installed_tree linux-headers-6.12-amd64
		check_kernel "$1" "$kdir"
		;;
	7.2)
		source_tree sid 7.2
		check_kernel "$1" "$kdir"
		;;
	7.3)
		source_tree "experimental sid" 7.3
		check_kernel "$1" "$kdir"
		;;
	no-pci-iov)
		check_no_pci_iov
		;;
	esac
}

echo "check-kernels.sh: cache $cache"
status=0
results=()
for k in "${kernels[@]}"; do
	t=$(now)
	echo "== $k"
	# a subshell, so that die ends this kernel's check only; outside any
	# || list, so that set -e still holds inside it
	set +e
	(
		set -eE
		trap '[ "$BASH_COMMAND" = "return 1" ] ||
			echo "check-kernels.sh: $k: failed at line $LINENO: $BASH_COMMAND" >&2' ERR
		check_one "$k"
	)
	rc=$?
	set -e
	if [ $rc -eq 0 ]; then
		results+=("$(printf '%-11s ok    %s' "$k" "$(since "$t")")")
	else
		results+=("$(printf '%-11s FAIL  %s' "$k" "$(since "$t")")")
		status=1
	fi
done

echo "== summary"
printf '   %s\n' "${results[@]}"
echo "   total $(since "$start_all")"
exit $status
