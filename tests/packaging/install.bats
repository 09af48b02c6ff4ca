#!/usr/bin/env bats
# make install / uninstall into a staging DESTDIR, on the host, and the
# single source of the version.  (DKMS: dkms-autoinstall.bats here, and
# for real in the VM, tests/dkms.)

bats_require_minimum_version 1.5.0

setup()
{
	TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
	STAGE=$BATS_TEST_TMPDIR/stage
}

@test "make install puts every file where it belongs, under DESTDIR and PREFIX" {
	run -0 make -s -C "$TOP" install DESTDIR="$STAGE" PREFIX=/usr \
		UDEVDIR=/lib/udev SYSTEMDUNITDIR=/lib/systemd/system
	run -0 bash -c "cd '$STAGE' && find . ! -type d | sort"
	expected=(
		./lib/systemd/system/sriovctl.service
		./lib/udev/rules.d/70-sriovctl.rules
		./usr/sbin/sriovctl
		./usr/share/bash-completion/completions/sriovctl
		./usr/share/doc/pci-stub-pf/examples/pci-stub-pf.modprobe.conf
		./usr/share/doc/pci-stub-pf/examples/sriovctl.conf
		./usr/share/man/man5/sriovctl.conf.5
		./usr/share/man/man8/sriovctl.8
	)
	[ "$output" = "$(printf '%s\n' "${expected[@]}")" ]
	[ -x "$STAGE/usr/sbin/sriovctl" ]
	[ "$(stat -c %a "$STAGE/lib/udev/rules.d/70-sriovctl.rules")" = 644 ]
}

@test "the udev rules call sriovctl where make install puts it" {
	run -0 make -s -C "$TOP" install DESTDIR="$STAGE" PREFIX=/usr \
		UDEVDIR=/lib/udev SYSTEMDUNITDIR=/lib/systemd/system
	grep -q '/usr/sbin/sriovctl' "$STAGE/lib/udev/rules.d/70-sriovctl.rules"
	grep -q '/usr/sbin/sriovctl' "$STAGE/lib/systemd/system/sriovctl.service"
}

@test "make install honours another PREFIX" {
	run -0 make -s -C "$TOP" install DESTDIR="$STAGE" PREFIX=/usr/local \
		UDEVDIR=/lib/udev SYSTEMDUNITDIR=/lib/systemd/system
	[ -x "$STAGE/usr/local/sbin/sriovctl" ]
	[ -f "$STAGE/usr/local/share/man/man8/sriovctl.8" ]
	[ ! -e "$STAGE/usr/sbin/sriovctl" ]
}

@test "make uninstall leaves no file behind" {
	run -0 make -s -C "$TOP" install DESTDIR="$STAGE" PREFIX=/usr \
		UDEVDIR=/lib/udev SYSTEMDUNITDIR=/lib/systemd/system
	run -0 make -s -C "$TOP" uninstall DESTDIR="$STAGE" PREFIX=/usr \
		UDEVDIR=/lib/udev SYSTEMDUNITDIR=/lib/systemd/system
	run -0 find "$STAGE" ! -type d
	[ -z "$output" ]
}

@test "VERSION is the one version: dkms.conf, sriovctl --version" {
	version=$(cat "$TOP/VERSION")
	[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]
	# dkms sources dkms.conf with bash, from anywhere
	run -0 bash -c "cd / && . '$TOP/dkms.conf' && echo \"\$PACKAGE_NAME \$PACKAGE_VERSION \$BUILD_EXCLUSIVE_CONFIG \$AUTOINSTALL\""
	[ "$output" = "pci-stub-pf $version CONFIG_PCI_IOV yes" ]
	run -0 make -s -C "$TOP" tool
	run -0 "$TOP/tools/sriovctl" --version
	[[ "$output" == *"$version"* ]]
}
