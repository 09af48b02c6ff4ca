# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The VM's initramfs: static busybox, tests/vm/initramfs-init as /init, and
# the modules needed to mount a 9p root with an overlay on top (sourced by
# tests/vm/run).

# What the initramfs must be able to load, in order.  Dependencies are
# resolved through modprobe, so modules that a kernel renamed, merged or
# built in (fscache is part of netfs in 6.12) cost nothing.
INITRAMFS_MODULES=(virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev
	virtio_pci netfs fscache 9pnet 9pnet_virtio 9p overlay)

BUSYBOX=/bin/busybox

# Print the module files for kernel $1, dependencies first, each once.
initramfs_module_files() {
	local ver=$1 mod line seen=" "

	for mod in "${INITRAMFS_MODULES[@]}"; do
		# "insmod /lib/modules/.../x.ko[.xz]" per module to load,
		# "builtin x" for built-in ones; fails if x does not exist.
		if ! line=$(modprobe ${KROOT:+-d "$KROOT"} -S "$ver" --show-depends "$mod" 2>/dev/null); then
			msg "note: module $mod does not exist in $ver, skipped" >&2
			continue
		fi
		while read -r verb path _; do
			[ "$verb" = insmod ] || continue
			case "$seen" in *" $path "*) continue ;; esac
			seen+="$path "
			echo "$path"
		done <<<"$line"
	done
}

# Copy a possibly compressed module to $2 (a plain .ko: busybox insmod
# cannot decompress).
initramfs_unpack_module() {
	local src=$1 dst=$2

	case "$src" in
	*.ko) cp "$src" "$dst" ;;
	*.ko.xz) xz -dc "$src" >"$dst" ;;
	*.ko.zst) zstd -qdc "$src" >"$dst" ;;
	*.ko.gz) gzip -dc "$src" >"$dst" ;;
	*) msg "$src: unknown module format"; return 1 ;;
	esac
}

# Build (or reuse) the initramfs for kernel $1; prints its path.  The cache
# key covers everything that goes in: the init script, busybox and each
# module file (path, size, mtime).
initramfs_build() {
	local ver=$1 out="$BUILD/$1/initramfs.cpio" files key dir f name

	[ -x "$BUSYBOX" ] || { msg "$BUSYBOX missing: apt-get install busybox-static"; return 1; }
	files=$(initramfs_module_files "$ver" 2>"$BUILD/$ver/initramfs.notes")
	key=$( { sha256sum "$VM_DIR/initramfs-init" "$VM_DIR/lib/initramfs.sh"
		 # shellcheck disable=SC2086 # one path per line, no spaces
		 stat -L -c '%n %s %Y' "$BUSYBOX" $files; } | sha256sum | cut -d' ' -f1)
	if [ -f "$out" ] && [ "$(cat "$out.key" 2>/dev/null)" = "$key" ]; then
		echo "$out"
		return 0
	fi

	msg "building the initramfs for $ver"
	cat "$BUILD/$ver/initramfs.notes" >&2
	dir=$(mktemp -d "$BUILD/$ver/initramfs.XXXXXX")
	mkdir -p "$dir"/{bin,dev,proc,sys,lib/modules}
	cp "$BUSYBOX" "$dir/bin/busybox"
	cp "$VM_DIR/initramfs-init" "$dir/init"
	chmod 0755 "$dir/init"
	: >"$dir/lib/modules/load-order"
	for f in $files; do
		name=$(basename "$f")
		name=${name%%.ko*}
		initramfs_unpack_module "$f" "$dir/lib/modules/$name.ko"
		echo "$name" >>"$dir/lib/modules/load-order"
	done
	# Uncompressed: the kernel unpacks it faster than it could inflate it
	# under TCG, and it is only a few MB.
	(cd "$dir" && find . -print0 | cpio --null -o -H newc --quiet) >"$out.tmp"
	mv "$out.tmp" "$out"
	echo "$key" >"$out.key"
	rm -rf "$dir"
	echo "$out"
}
