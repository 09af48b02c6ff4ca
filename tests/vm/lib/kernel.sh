# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Kernel selection and the host-side builds for it (sourced by tests/vm/run).

# True if version $1 starts with prefix $2 at a component boundary:
# "6.1" matches 6.1.0-56-amd64 but not 6.12.117+deb12-amd64.
kernel_matches() {
	local ver=$1 prefix=$2

	[ -z "$prefix" ] && return 0
	case "$ver" in
	"$prefix" | "$prefix".* | "$prefix"-* | "$prefix"+*) return 0 ;;
	esac
	return 1
}

# Print the newest kernel version (sort -V) that can boot the VM and build
# the module: /boot/vmlinuz-VER plus /lib/modules/VER/build, under $KROOT
# (empty: the host's /).  With a prefix ("6.12"), only versions starting
# with it count.
kernel_pick() {
	local prefix=$1 image ver best=

	for image in "$KROOT"/boot/vmlinuz-*; do
		[ -e "$image" ] || continue
		ver=${image#"$KROOT"/boot/vmlinuz-}
		kernel_matches "$ver" "$prefix" || continue
		[ -d "$KROOT/lib/modules/$ver/build" ] || continue
		best=$(printf '%s\n%s\n' "$best" "$ver" | sed '/^$/d' | sort -V | tail -n1)
	done
	if [ -z "$best" ]; then
		msg "no kernel${prefix:+ matching \"$prefix\"} with both $KROOT/boot/vmlinuz-VER and $KROOT/lib/modules/VER/build"
		if [ -n "$KROOT" ]; then
			msg "$KROOT is a --kernel-root: unpack or build the kernel there (scripts/vm-kernel.sh)"
		elif [ -n "$prefix" ]; then
			msg "install one: apt-get install linux-image-$prefix-amd64 linux-headers-$prefix-amd64"
		else
			msg "install one: apt-get install linux-image-amd64 linux-headers-amd64"
		fi
		return 1
	fi
	echo "$best"
}

# Set KERNEL_VER for the --kernel prefix $1.  When no kernel of the host
# matches a series prefix (7.2) and no --kernel-root was given, Debian's
# kernel of that series is fetched from sid into the cache and unpacked as
# a kernel root (scripts/vm-kernel.sh, which prints it): KROOT is set to
# it.  The host's own kernels win, so 6.1 and 6.12 never download anything.
kernel_resolve() {
	local prefix=$1

	if [ -z "$KROOT" ] && [[ "$prefix" =~ ^[0-9]+\.[0-9]+$ ]] &&
		! kernel_pick "$prefix" >/dev/null 2>&1; then
		msg "no installed $prefix kernel: using Debian's from sid (scripts/vm-kernel.sh $prefix)"
		KROOT=$("$REPO/scripts/vm-kernel.sh" "$prefix") ||
			die "scripts/vm-kernel.sh $prefix failed (see above)"
		check_path "$KROOT"
	fi
	# shellcheck disable=SC2034 # tests/vm/run's
	KERNEL_VER=$(kernel_pick "$prefix")
}

# List driver/'s source files, NUL-separated, relative to driver/: what git
# tracks or would add, so that objects built in the tree (possibly for
# another kernel) and generated headers are never copied.
module_sources() {
	if git -C "$REPO" rev-parse --git-dir >/dev/null 2>&1; then
		git -C "$REPO/driver" ls-files -z -co --exclude-standard
	else
		(cd "$REPO/driver" && find . -type f ! -name '*.o' ! -name '*.ko' \
			! -name '*.mod*' ! -name '*.cmd' ! -name '*.symvers' \
			! -name modules.order -print0)
	fi
}

# Build driver/ for kernel $1 in build/vm/$1/driver (a copy, so that builds
# for several kernels never share objects).  Prints the .ko path, or nothing
# when driver/ has no sources yet.  A build from the same sources is reused.
module_build() {
	local ver=$1 src="$REPO/driver" dst="$BUILD/$1/driver" key ko lock

	if ! compgen -G "$src/*.c" >/dev/null; then
		msg "driver/ has no sources yet: not building the module"
		return 0
	fi
	# Several runs (several engineers, or CI and a developer) may build
	# for the same kernel at once: one at a time per kernel.
	mkdir -p "$BUILD/$ver"
	exec {lock}>"$BUILD/$ver/build.lock"
	flock "$lock"

	key=$( {
		echo "$KROOT $ver"
		cat "$REPO/VERSION"
		# a kernel rebuilt under the same version needs a new module
		stat -L -c '%n %s %Y' "$KROOT/lib/modules/$ver/build/Module.symvers" 2>/dev/null || true
		cd "$src" && module_sources | xargs -0 sha256sum
	} | sha256sum)
	ko=$(compgen -G "$dst/*.ko" | head -n1) || true
	if [ -f "$dst/pci-stub-pf.ko" ]; then
		ko="$dst/pci-stub-pf.ko"
	fi
	if [ -n "$ko" ] && [ "$(cat "$BUILD/$ver/driver.key" 2>/dev/null)" = "$key" ]; then
		echo "$ko"
		return 0
	fi

	# A fresh copy every time: stale objects of deleted or reverted files
	# must not survive (the build takes a few seconds).
	rm -rf "$dst" "$BUILD/$ver/driver.key"
	mkdir -p "$dst"
	(cd "$src" && module_sources | xargs -0 cp -a --parents -t "$dst")
	# Kbuild takes the module's version from VERSION beside the sources
	cp "$REPO/VERSION" "$dst/VERSION"
	msg "building the module for $ver"
	make -C "$KROOT/lib/modules/$ver/build" M="$dst" modules >"$dst/build.log" 2>&1 || {
		cat "$dst/build.log" >&2
		msg "module build for $ver failed"
		return 1
	}
	ko="$dst/pci-stub-pf.ko"
	[ -f "$ko" ] || ko=$(compgen -G "$dst/*.ko" | head -n1) || true
	[ -n "$ko" ] || { msg "module build for $ver produced no .ko"; return 1; }
	echo "$key" >"$BUILD/$ver/driver.key"
	echo "$ko"
}

# Build tools/ (sriovctl) in place; it does not depend on the kernel.
# Prints the binary's path, or nothing when tools/ has no Makefile yet.
tools_build() {
	if [ ! -f "$REPO/tools/Makefile" ]; then
		msg "tools/Makefile does not exist yet: not building sriovctl"
		return 0
	fi
	msg "building tools/"
	make -C "$REPO/tools" >"$BUILD/tools-build.log" 2>&1 || {
		cat "$BUILD/tools-build.log" >&2
		msg "tools build failed"
		return 1
	}
	if [ -x "$REPO/tools/sriovctl" ]; then
		echo "$REPO/tools/sriovctl"
	else
		msg "tools/ built but tools/sriovctl does not exist"
	fi
}

# Make `modprobe pci-stub-pf` work in the guest, as after an install: a
# module index for kernel $1 with the module $2 in updates/, built on the
# host (depmod over the 9p root takes minutes under TCG; here it reads the
# host's disk through a symlinked kernel/).  Prints the index directory;
# guest-init copies its modules.* files and updates/ into the overlay.
module_index() {
	local ver=$1 ko=$2 root="$BUILD/$1/modroot" dir

	[ -n "$ko" ] || return 0
	dir="$root/lib/modules/$ver"
	if [ "$dir/modules.dep" -nt "$ko" ] && [ -f "$dir/updates/pci-stub-pf.ko" ]; then
		echo "$dir"
		return 0
	fi
	rm -rf "$root"
	mkdir -p "$dir/updates"
	ln -s "$KROOT/lib/modules/$ver/kernel" "$dir/kernel"
	cp "$KROOT/lib/modules/$ver"/modules.{order,builtin,builtin.modinfo} "$dir/"
	cp "$ko" "$dir/updates/pci-stub-pf.ko"
	depmod -b "$root" "$ver" || { msg "depmod for $ver failed"; return 1; }
	echo "$dir"
}
