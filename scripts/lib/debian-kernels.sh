# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# shellcheck disable=SC2154 # prog and work are the caller's (see below)
#
# Debian kernel packages of other suites (bullseye, sid, experimental),
# fetched without touching the machine's apt configuration, and Debian's
# linux-source-X.Y configured and prepared for building modules.  Sourced
# by scripts/check-kernels.sh (W=1/sparse builds) and scripts/vm-kernel.sh
# (a kernel to boot in the test VM), which share one cache.
#
# The caller sets, before calling anything but dk_init:
#   prog      name for messages ("check-kernels.sh")
#   work      a scratch directory it removes itself
#   offline   1: cached package lists and downloads only (default 0)
# dk_init sets cache, mirror, keyring and jobs.  Environment:
# PCI_STUB_PF_CACHE, PCI_STUB_PF_MIRROR (default http://deb.debian.org/debian).

die()
{
	echo "$prog: $*" >&2
	exit 1
}

# Print a log's last lines after a failed step, then stop.
die_log()
{
	local log=$1
	shift
	tail -n 40 "$log" >&2
	die "$* (log above)"
}

now() { date +%s; }
since() { echo "$(($(now) - $1)) s"; }

dk_init()
{
	cache=${PCI_STUB_PF_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pci-stub-pf}/kernels
	mirror=${PCI_STUB_PF_MIRROR:-http://deb.debian.org/debian}
	keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	jobs=$(nproc)
	offline=${offline:-0}
	mkdir -p "$cache/debs" "$cache/trees"
}

# Two runs sharing the cache would unpack into the same trees: hold its
# lock (on fd 9) until the caller exits.
dk_lock()
{
	exec 9>"$cache/.lock"
	if ! flock -n 9; then
		echo "$prog: waiting for another run to release $cache" >&2
		flock 9
	fi
}

# --- apt, privately ---------------------------------------------------------

# apt-get/apt-cache options that confine apt to $cache/apt/SUITE: its own
# sources.list (deb and deb-src), lists, package cache and an empty dpkg
# status, so that the machine's installed packages and sources play no part.
apt_opts()
{
	local dir=$cache/apt/$1
	apt_o=(-o "Dir::Etc::sourcelist=$dir/sources.list"
	       -o "Dir::Etc::sourceparts=$dir/sources.list.d"
	       -o "Dir::Etc::preferences=$dir/preferences"
	       -o "Dir::Etc::preferencesparts=$dir/preferences.d"
	       -o "Dir::State::Lists=$dir/lists"
	       -o "Dir::State::status=$dir/status"
	       -o "Dir::Cache=$dir/cache"
	       -o "APT::Sandbox::User=$(id -un)"
	       -o "Acquire::Languages=none"
	       -o "Acquire::PDiffs=false"
	       -q)
}

# Whether SUITE's private lists hold its Release file and both indexes.
lists_ok()
{
	local lists=$cache/apt/$1/lists
	[ -n "$(find "$lists" -maxdepth 1 -name '*_InRelease' -print -quit)" ] &&
	[ -n "$(find "$lists" -maxdepth 1 -name '*_binary-amd64_Packages*' \
		! -name '*diff_Index' -print -quit)" ] &&
	[ -n "$(find "$lists" -maxdepth 1 -name '*_source_Sources*' \
		! -name '*diff_Index' -print -quit)" ]
}

# Set up SUITE's private apt directory and refresh its lists when they are
# missing or older than a day (never with --offline).
apt_suite()
{
	local suite=$1 dir=$cache/apt/$1
	local lists=$dir/lists

	mkdir -p "$dir/sources.list.d" "$dir/preferences.d" \
		"$lists/partial" "$dir/cache/archives/partial"
	: >>"$dir/status"
	printf 'deb [signed-by=%s] %s %s main\ndeb-src [signed-by=%s] %s %s main\n' \
		"$keyring" "$mirror" "$suite" "$keyring" "$mirror" "$suite" \
		>"$dir/sources.list.new"
	if ! cmp -s "$dir/sources.list.new" "$dir/sources.list"; then
		mv "$dir/sources.list.new" "$dir/sources.list"
		rm -rf "$lists"
		mkdir -p "$lists/partial"
	else
		rm -f "$dir/sources.list.new"
	fi

	if lists_ok "$suite"; then
		[ "$offline" -eq 0 ] || return 0
		[ -n "$(find "$lists" -maxdepth 1 -name '*_InRelease' -mmin +1440)" ] ||
			return 0
	fi
	[ "$offline" -eq 0 ] || die "--offline, but no cached package lists for $suite"
	apt_opts "$suite"
	echo "   apt-get update: $mirror $suite (private lists in $lists)"
	if apt-get "${apt_o[@]}" update >"$work/apt.log" 2>&1 &&
	   ! grep -q '^[WE]:' "$work/apt.log" && lists_ok "$suite"; then
		return 0
	fi
	lists_ok "$suite" || die_log "$work/apt.log" "apt-get update of $suite failed"
	cat "$work/apt.log" >&2
	echo "$prog: cannot refresh $suite; using the cached lists" >&2
}

# The candidate version of binary package PKG in SUITE, or nothing.
pkg_version()
{
	apt_opts "$1"
	apt-cache "${apt_o[@]}" show --no-all-versions "$2" 2>/dev/null |
		sed -n 's/^Version: //p' | head -n 1 || true
}

# The packages PKG (in SUITE) depends on, names only.
pkg_depends()
{
	apt_opts "$1"
	apt-cache "${apt_o[@]}" show --no-all-versions "$2" 2>/dev/null |
		sed -n 's/^Depends: //p' | head -n 1 | tr ',|' '\n' |
		sed -e 's/(.*)//' -e 's/[[:space:]]//g' -e '/^$/d' || true
}

# The generic amd64 headers package of kernel SERIES in SUITE (not cloud,
# not rt): the one of version VERSION if given, else the newest.
headers_pkg()
{
	local suite=$1 series=$2 want=${3:-} name ver
	local re="^linux-headers-${series//./\\.}([.+~-][0-9a-z.+~]+)*-amd64\$"

	apt_opts "$suite"
	apt-cache "${apt_o[@]}" pkgnames "linux-headers-$series" |
		grep -E "$re" | grep -v -E -e '-(cloud|rt)-amd64$' |
		while read -r name; do
			ver=$(pkg_version "$suite" "$name")
			[ -n "$ver" ] || continue
			[ -z "$want" ] || [ "$ver" = "$want" ] || continue
			echo "$ver $name"
		done | sort -V | tail -n 1 | cut -d' ' -f2
}

# Download PKG=VER from SUITE into the cache unless it is there; print the
# path of the .deb.
download()
{
	local suite=$1 pkg=$2 ver=$3 deb

	deb=$(find "$cache/debs" -maxdepth 1 -name "${pkg}_${ver//:/%3a}_*.deb" | head -n 1)
	if [ -z "$deb" ]; then
		[ "$offline" -eq 0 ] || die "--offline, but $pkg $ver is not in $cache/debs"
		apt_opts "$suite"
		(cd "$cache/debs" && apt-get "${apt_o[@]}" download "$pkg=$ver") \
			>"$work/apt.log" 2>&1 ||
			die_log "$work/apt.log" "cannot download $pkg $ver from $suite"
		deb=$(find "$cache/debs" -maxdepth 1 -name "${pkg}_${ver//:/%3a}_*.deb" | head -n 1)
		[ -n "$deb" ] || die "apt-get download of $pkg $ver left no .deb"
		# older versions of the same package are of no more use
		find "$cache/debs" -maxdepth 1 -name "${pkg}_*.deb" ! -path "$deb" -delete
		echo "   downloaded $pkg $ver ($suite)" >&2
	else
		echo "   cached     $pkg $ver ($suite)" >&2
	fi
	echo "$deb"
}

# --- prepared source trees --------------------------------------------------

# The kernel release (uname -r) of headers package HDR in .deb HDEB, as
# its include/config/kernel.release says.
headers_release()
{
	local hdr=$1 hdeb=$2 rel

	rel=$(dpkg-deb --fsys-tarfile "$hdeb" |
		tar -xO "./usr/src/$hdr/include/config/kernel.release") ||
		die "$hdeb has no include/config/kernel.release"
	[ -n "$rel" ] || die "$hdeb: empty include/config/kernel.release"
	echo "$rel"
}

# modules_prepare in object tree KDIR of source tree SRCDIR, under the
# kernel release REL of Debian's binary packages: the modules built there
# then carry Debian's vermagic, and the kernel of linux-image-REL loads
# them (the test VM boots it).  Without KERNELRELEASE, kbuild would name
# the tree after its Makefile's version alone (7.2.13).
prepare_tree()
{
	local srcdir=$1 kdir=$2 rel=$3

	make -C "$srcdir" O="$kdir" -j"$jobs" KERNELRELEASE="$rel" modules_prepare \
		>"$work/prepare.log" 2>&1 ||
		die_log "$work/prepare.log" "make modules_prepare failed in $srcdir"
}

# Debian's linux-source-SERIES from the first of SUITES that has its newest
# version, configured with the Debian config of the matching
# linux-headers-*-amd64 package, prepared with modules_prepare in a
# separate object tree under that package's kernel release, with its
# Module.symvers.  The header packages themselves cannot be used: their
# tools need a newer glibc than Debian 12's.  When no suite has the series
# any more, the tree prepared last is used.  Sets kdir, srcdir, and suite,
# src_ver and hdr (empty for such a leftover tree).
source_tree()
{
	local suites=$1 series=$2 src=linux-source-$2 tree t rel
	local s v deb hdeb

	suite=
	src_ver=
	hdr=
	for s in $suites; do
		apt_suite "$s"
		v=$(pkg_version "$s" "$src")
		if [ -n "$v" ] && { [ -z "$src_ver" ] || dpkg --compare-versions "$v" gt "$src_ver"; }; then
			suite=$s
			src_ver=$v
		fi
	done
	if [ -z "$src_ver" ]; then
		suite=
		tree=$(find "$cache/trees" -maxdepth 2 -path "*/${src}_*/.prepared" |
			sort -V | tail -n 1)
		[ -n "$tree" ] || die "no $src in $suites, and none cached: update the kernel list in $0"
		tree=$(dirname "$tree")
		kdir=$tree/obj
		srcdir=$tree/src
		echo "   $src is no longer in $suites: using the cached $kdir" >&2
		return 0
	fi
	hdr=$(headers_pkg "$suite" "$series" "$src_ver")
	[ -n "$hdr" ] || die "no linux-headers-$series*-amd64 $src_ver in $suite"

	tree=$cache/trees/${src}_$src_ver
	kdir=$tree/obj
	srcdir=$tree/src
	if [ -f "$tree/.prepared" ]; then
		echo "   cached     $src $src_ver, $hdr $src_ver ($suite) -> $kdir"
		# Trees prepared before the kernel release was set carry the
		# Makefile's version: prepare them again under Debian's.
		rel=$(cat "$tree/kernel.release" 2>/dev/null) || {
			hdeb=$(download "$suite" "$hdr" "$src_ver")
			rel=$(headers_release "$hdr" "$hdeb")
		}
		if [ "$(cat "$kdir/include/config/kernel.release" 2>/dev/null)" != "$rel" ]; then
			t=$(now)
			prepare_tree "$srcdir" "$kdir" "$rel"
			echo "$rel" >"$tree/kernel.release"
			echo "   prepared   $kdir again as $rel ($(since "$t"))"
		fi
		return 0
	fi

	deb=$(download "$suite" "$src" "$src_ver")
	hdeb=$(download "$suite" "$hdr" "$src_ver")
	rm -rf "$tree"
	mkdir -p "$srcdir" "$kdir"

	t=$(now)
	dpkg-deb --fsys-tarfile "$deb" |
		tar -xO --wildcards './usr/src/linux-source-*.tar.xz' |
		xz -T0 -dc | tar -x -C "$srcdir" --strip-components=1
	dpkg-deb --fsys-tarfile "$hdeb" |
		tar -x -C "$work" --wildcards "./usr/src/$hdr/.config" \
			"./usr/src/$hdr/Module.symvers"
	rel=$(headers_release "$hdr" "$hdeb")
	cp "$work/usr/src/$hdr/.config" "$kdir/.config"
	echo "   unpacked   $src ($(since "$t"))"

	t=$(now)
	make -C "$srcdir" O="$kdir" olddefconfig >"$work/prepare.log" 2>&1 ||
		die_log "$work/prepare.log" "make olddefconfig failed in $srcdir"
	prepare_tree "$srcdir" "$kdir" "$rel"
	cp "$work/usr/src/$hdr/Module.symvers" "$kdir/Module.symvers"
	rm -rf "${work:?}/usr"
	echo "$rel" >"$tree/kernel.release"
	echo "   prepared   $kdir as $rel with $hdr's config and Module.symvers ($(since "$t"))"

	find "$cache/trees" -maxdepth 1 -name "${src}_*" ! -path "$tree" \
		-exec rm -rf {} +
	touch "$tree/.prepared"
}
