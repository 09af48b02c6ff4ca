#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# DKMS AUTOINSTALL for a second kernel, on the host: what a kernel
# upgrade does.  dkms runs for real, as root, in a mount namespace of its
# own where /usr/src, /var/lib/dkms and /lib/modules are throwaway
# overlays, so nothing reaches the host.  Building needs only the
# kernels' headers (Debian 12's 6.1 and 6.12, installed by make deps),
# not a running Debian kernel; the VM suite tests/dkms installs and loads
# the DKMS-built module for real.  (In the VM the same build took 2 to 6
# minutes under TCG; here seconds.)

bats_require_minimum_version 1.5.0

setup()
{
	TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
	VERSION=$(cat "$TOP/VERSION")
	[ "$(id -u)" -eq 0 ] || skip "needs root (dkms, mount namespaces): run make check as root"
	KVERS=()
	for build in /lib/modules/*/build; do
		[ -d "$build" ] || continue
		v=${build%/build}
		KVERS+=("${v##*/}")
	done
	# make deps installs two kernels' headers: fewer is a broken setup
	[ "${#KVERS[@]}" -ge 2 ] || {
		echo "needs two kernels with headers in /lib/modules/*/build (make deps installs 6.1 and 6.12); found: ${KVERS[*]}" >&2
		return 1
	}
}

# in_sandbox SCRIPT: run bash SCRIPT with throwaway /usr/src,
# /var/lib/dkms and /lib/modules.
in_sandbox()
{
	unshare -m --propagation private bash -euo pipefail -c '
		scratch=$(mktemp -d)
		mount -t tmpfs sandbox "$scratch"
		for dir in /usr/src /var/lib/dkms /lib/modules; do
			name=${dir//\//_}
			mkdir -p "$dir" "$scratch/$name/upper" "$scratch/$name/work"
			mount -t overlay overlay -o "lowerdir=$dir,upperdir=$scratch/$name/upper,workdir=$scratch/$name/work" "$dir"
		done
		eval "$1"' in_sandbox "$1"
}

# What the sandbox must not change on the host.
host_dkms_state()
{
	ls -la /usr/src /var/lib/dkms /lib/modules/*/updates 2>&1 || true
}

@test "dkms autoinstall builds and installs the module for a second kernel; remove cleans up" {
	first=${KVERS[0]} second=${KVERS[1]}
	host_before=$(host_dkms_state)
	run -0 --separate-stderr in_sandbox "
		make -s -C '$TOP' dkms-install KVER='$first' >/dev/null
		dkms status -m pci-stub-pf -v '$VERSION' -k '$second' 2>/dev/null
		echo ---
		dkms autoinstall -k '$second' >/dev/null
		dkms status -m pci-stub-pf -v '$VERSION' -k '$second' 2>/dev/null
		ls /lib/modules/'$second'/updates/dkms/
		modinfo -F version /lib/modules/'$second'/updates/dkms/pci-stub-pf.ko*
		modinfo -F vermagic /lib/modules/'$second'/updates/dkms/pci-stub-pf.ko*
		echo ---
		make -s -C '$TOP' dkms-remove >/dev/null
		dkms status -m pci-stub-pf 2>/dev/null
		ls /lib/modules/'$second'/updates/dkms/ 2>/dev/null || true
		ls -d /usr/src/pci-stub-pf-* 2>/dev/null || true
		echo end"
	echo "$output"; echo "stderr: $stderr"
	before=${output%%---*} output=${output#*---}
	after=${output%%---*} removed=${output#*---}
	# added for the first kernel only: nothing for the second before autoinstall
	[[ "$before" != *"$second"* ]]
	[[ "$after" == *"pci-stub-pf/$VERSION, $second, x86_64: installed"* ]]
	grep -Eq '^pci-stub-pf\.ko(\.xz|\.zst|\.gz)?$' <<<"$after"
	grep -qx "$VERSION" <<<"$after"
	grep -q "^$second " <<<"$after"
	# after remove: no status line, no module file, no source copy
	[ "$(echo $removed)" = end ]
	# and the host saw none of it
	[ "$(host_dkms_state)" = "$host_before" ]
}
