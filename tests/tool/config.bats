#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# sriovctl apply and the configuration files: every malformed file is
# reported as FILE:LINE, exit 2, and nothing at all is applied.

load helpers/common

P=/sys/bus/pci/devices

# conf NAME: write stdin to $ETC/NAME (NAME may be sriovctl.d/x.conf).
conf() {
	mkdir -p "$(dirname "$ETC/$1")"
	cat >"$ETC/$1"
}

# bad_config LINE MESSAGE: apply refuses the file with exactly this error
# and the tree is unchanged.
bad_config() {
	tree_snapshot
	run_sriovctl 2 apply
	expect_no_stdout
	expect_stderr "sriovctl: /etc/sriovctl.conf:$1: $2"
	expect_tree_unchanged
}

@test "apply brings a PF to its section: autoprobe, count, lock, VF driver" {
	fake pf 0000:01:00.0 --vfs 2 --numvfs 0 --autoprobe 1 --override pci-stub-pf
	fake driver vfio-pci
	conf sriovctl.conf <<-EOF2
	# a comment
	[pf 0000:01:00.0]
	vfs = 2            # 0..total
	lock = yes
	autoprobe = no
	vf-driver = vfio-pci
	EOF2
	run_sriovctl -n apply
	expect_no_stderr
	expect_stdout "write $P/0000:01:00.0/sriov_drivers_autoprobe '0'
write $P/0000:01:00.0/sriov_numvfs '2'
write $P/0000:01:00.0/sriov_lock 'locked'
write $P/0000:01:00.1/driver_override 'vfio-pci'
write /sys/bus/pci/drivers_probe '0000:01:00.1'
write $P/0000:01:00.2/driver_override 'vfio-pci'
write /sys/bus/pci/drivers_probe '0000:01:00.2'"
	with_kernel -q apply
	expect_no_stdout
	expect_no_stderr
	expect_file "$(dev 0000:01:00.0)/sriov_numvfs" 2
	expect_file "$(dev 0000:01:00.0)/sriov_lock" locked
	expect_file "$(dev 0000:01:00.0)/sriov_drivers_autoprobe" 0
	[ "$(readlink "$(dev 0000:01:00.2)/driver")" = ../../../bus/pci/drivers/vfio-pci ]
}

@test "apply is idempotent: a second run writes nothing" {
	fake pf 0000:01:00.0 --vfs 2 --lock locked --override pci-stub-pf \
		--vf-driver vfio-pci
	fake override 0000:01:00.1 vfio-pci
	fake override 0000:01:00.2 vfio-pci
	conf sriovctl.conf <<-EOF2
	[pf 01:00.0]
	vfs = 2
	lock = yes
	vf-driver = vfio-pci
	EOF2
	tree_snapshot
	run_sriovctl apply
	expect_no_stderr
	expect_tree_unchanged
	run_sriovctl -n apply
	expect_no_stdout
}

@test "apply binds a PF that is not on pci-stub-pf yet" {
	fake pf 0000:03:00.0 --driver nvme
	fake driver pci-stub-pf
	conf sriovctl.conf <<-EOF2
	[pf 0000:03:00.0]
	vfs = 0
	EOF2
	run_sriovctl -n apply
	expect_stdout "write $P/0000:03:00.0/driver/unbind '0000:03:00.0'
write $P/0000:03:00.0/driver_override 'pci-stub-pf'
write /sys/bus/pci/drivers_probe '0000:03:00.0'"
	with_kernel apply
	[ "$(readlink "$(dev 0000:03:00.0)/driver")" = ../../../bus/pci/drivers/pci-stub-pf ]
}

@test "apply with lock = no unlocks before changing the count" {
	fake pf 0000:01:00.0 --vfs 2 --lock locked --override pci-stub-pf
	conf sriovctl.conf <<-EOF2
	[pf 01:00.0]
	vfs = 4
	lock = no
	EOF2
	run_sriovctl -n apply
	expect_stdout "write $P/0000:01:00.0/sriov_lock 'unlocked'
write $P/0000:01:00.0/sriov_numvfs '0'
write $P/0000:01:00.0/sriov_numvfs '4'"
}

@test "apply refuses to change a locked count it is not told to unlock" {
	fake pf 0000:01:00.0 --vfs 2 --lock locked --override pci-stub-pf
	conf sriovctl.conf <<-EOF2
	[pf 01:00.0]
	vfs = 4
	lock = yes
	EOF2
	tree_snapshot
	run_sriovctl 1 apply
	expect_stderr "sriovctl: apply 0000:01:00.0: VF count is locked; run 'sriovctl unlock 0000:01:00.0'"
	expect_tree_unchanged
}

@test "apply with a vendor:device selector configures every matching PF, not VFs" {
	fake pf 0000:01:00.0 --vfs 2 --override pci-stub-pf --id 1b36:0010
	fake pf 0000:02:00.0 --override pci-stub-pf --id 1b36:0010
	fake pf 0000:03:00.0 --override pci-stub-pf --id 8086:10c9
	conf sriovctl.conf <<-EOF2
	[pf 1b36:0010]
	vfs = 3
	EOF2
	run_sriovctl -n apply
	expect_stdout "write $P/0000:01:00.0/sriov_numvfs '0'
write $P/0000:01:00.0/sriov_numvfs '3'
write $P/0000:02:00.0/sriov_numvfs '3'"
}

@test "vf-driver = none leaves the VFs alone; autoprobe = yes is written" {
	fake pf 0000:01:00.0 --override pci-stub-pf
	conf sriovctl.conf <<-EOF2
	[pf 01:00.0]
	vfs = 2
	autoprobe = yes
	vf-driver = none
	EOF2
	run_sriovctl -n apply
	expect_stdout "write $P/0000:01:00.0/sriov_drivers_autoprobe '1'
write $P/0000:01:00.0/sriov_numvfs '2'"
}

@test "apply with lock = sealed seals" {
	fake pf 0000:01:00.0 --override pci-stub-pf
	conf sriovctl.conf <<-EOF2
	[pf 01:00.0]
	vfs = 1
	lock = sealed
	EOF2
	run_sriovctl -n apply
	expect_stdout "write $P/0000:01:00.0/sriov_numvfs '1'
write $P/0000:01:00.0/sriov_lock 'sealed'"
}

@test "apply reads sriovctl.conf, then sriovctl.d/*.conf in byte order" {
	fake pf 0000:01:00.0 --override pci-stub-pf
	fake pf 0000:02:00.0 --override pci-stub-pf
	fake pf 0000:03:00.0 --override pci-stub-pf
	printf '[pf 02:00.0]\nvfs = 2\n' | conf sriovctl.d/b.conf
	printf '[pf 03:00.0]\nvfs = 3\n' | conf sriovctl.d/A.conf
	printf '[pf 01:00.0]\nvfs = 9\n' | conf sriovctl.d/c.conf.disabled
	printf '[pf 01:00.0]\nvfs = 9\n' | conf sriovctl.d/.hidden.conf
	printf '[pf 01:00.0]\nvfs = 1\n' | conf sriovctl.conf
	run_sriovctl -n apply
	expect_stdout "write $P/0000:01:00.0/sriov_numvfs '1'
write $P/0000:03:00.0/sriov_numvfs '3'
write $P/0000:02:00.0/sriov_numvfs '2'"
}

@test "apply without any configuration file does nothing" {
	std_tree
	tree_snapshot
	run_sriovctl apply
	expect_no_stdout
	expect_no_stderr
	expect_tree_unchanged
}

@test "-c FILE replaces the default files and may be repeated" {
	fake pf 0000:01:00.0 --override pci-stub-pf
	fake pf 0000:02:00.0 --override pci-stub-pf
	printf '[pf 01:00.0]\nvfs = 8\n' | conf sriovctl.conf
	printf '[pf 01:00.0]\nvfs = 1\n' | conf one.conf
	printf '[pf 02:00.0]\nvfs = 2\n' | conf two.conf
	run_sriovctl -n -c "$ETC/one.conf" --config "$ETC/two.conf" apply
	expect_stdout "write $P/0000:01:00.0/sriov_numvfs '1'
write $P/0000:02:00.0/sriov_numvfs '2'"
}

@test "a -c FILE that does not exist is a configuration error" {
	std_tree
	tree_snapshot
	run_sriovctl 2 -c "$ETC/missing.conf" apply
	expect_stderr "sriovctl: /etc/missing.conf: cannot read: No such file or directory"
	expect_tree_unchanged
}

@test "a directory as a configuration file is unreadable: exit 2" {
	std_tree
	mkdir "$ETC/dir.conf"
	tree_snapshot
	run_sriovctl 2 -c "$ETC/dir.conf" apply
	expect_stderr "sriovctl: /etc/dir.conf: cannot read: Is a directory"
	mkdir -p "$ETC/sriovctl.d/sub.conf"
	run_sriovctl 2 apply
	expect_stderr "sriovctl: /etc/sriovctl.d/sub.conf: cannot read: Is a directory"
	expect_tree_unchanged
}

@test "an unreadable configuration file is an error, nothing applied" {
	can_drop_root || skip "needs root and setpriv to run as nobody (root reads any file)"
	nobody_tree
	fake pf 0000:01:00.0 --override pci-stub-pf
	printf '[pf 01:00.0]\nvfs = 1\n' >"$ETC/sriovctl.conf"
	chmod -R a+rX "$NOBODY_TOP"
	chmod 0600 "$ETC/sriovctl.conf"
	tree_snapshot
	run_as_nobody 2 apply
	expect_stderr "sriovctl: /etc/sriovctl.conf: cannot read: Permission denied"
	expect_tree_unchanged
}

@test "a FIFO as a configuration file is not read" {
	mkfifo "$ETC/fifo.conf"
	run_sriovctl 2 -c "$ETC/fifo.conf" apply
	expect_stderr "sriovctl: /etc/fifo.conf: cannot read: not a regular file"
}

@test "config: an unknown key" {
	std_tree
	printf '[pf 01:00.0]\nvfs = 2\nfrobs = 3\n' | conf sriovctl.conf
	bad_config 3 "unknown key 'frobs': expected vfs, lock, autoprobe or vf-driver"
}

@test "config: keys are case-sensitive and exact" {
	std_tree
	printf '[pf 01:00.0]\nVFS = 2\n' | conf sriovctl.conf
	bad_config 2 "unknown key 'VFS': expected vfs, lock, autoprobe or vf-driver"
	printf '[pf 01:00.0]\nvf = 2\n' | conf sriovctl.conf
	bad_config 2 "unknown key 'vf': expected vfs, lock, autoprobe or vf-driver"
}

@test "config: bad values" {
	std_tree
	printf '[pf 01:00.0]\nvfs = many\n' | conf sriovctl.conf
	bad_config 2 "vfs: 'many' is not a VF count (0-65535)"
	printf '[pf 01:00.0]\nvfs = -1\n' | conf sriovctl.conf
	bad_config 2 "vfs: '-1' is not a VF count (0-65535)"
	printf '[pf 01:00.0]\nvfs = 65536\n' | conf sriovctl.conf
	bad_config 2 "vfs: '65536' is not a VF count (0-65535)"
	printf '[pf 01:00.0]\nvfs =\n' | conf sriovctl.conf
	bad_config 2 "vfs: '' is not a VF count (0-65535)"
	printf '[pf 01:00.0]\nvfs = 2 3\n' | conf sriovctl.conf
	bad_config 2 "vfs: '2 3' is not a VF count (0-65535)"
	printf '[pf 01:00.0]\nlock = on\n' | conf sriovctl.conf
	bad_config 2 "lock: 'on' is not one of 'no', 'yes', 'sealed'"
	printf '[pf 01:00.0]\nautoprobe = 1\n' | conf sriovctl.conf
	bad_config 2 "autoprobe: '1' is not one of 'yes', 'no'"
	printf '[pf 01:00.0]\nvf-driver = ../../x\n' | conf sriovctl.conf
	bad_config 2 "vf-driver: '../../x' is not a driver name or 'none'"
}

@test "config: a key outside a section" {
	std_tree
	printf '# top\nvfs = 2\n[pf 01:00.0]\n' | conf sriovctl.conf
	bad_config 2 "key 'vfs' outside a section: start one with '[pf SELECTOR]'"
}

@test "config: a section without selector" {
	std_tree
	printf '[pf]\nvfs = 2\n' | conf sriovctl.conf
	bad_config 1 "section without selector: expected '[pf DDDD:BB:DD.F]' or '[pf VVVV:DDDD]'"
	printf '[]\n' | conf sriovctl.conf
	bad_config 1 "section without selector: expected '[pf DDDD:BB:DD.F]' or '[pf VVVV:DDDD]'"
	printf '[  pf   ]\n' | conf sriovctl.conf
	bad_config 1 "section without selector: expected '[pf DDDD:BB:DD.F]' or '[pf VVVV:DDDD]'"
}

@test "config: bad section headers and selectors" {
	std_tree
	printf '[vf 01:00.0]\n' | conf sriovctl.conf
	bad_config 1 "unknown section 'vf': expected '[pf DDDD:BB:DD.F]' or '[pf VVVV:DDDD]'"
	printf '[pf 01:00.0\n' | conf sriovctl.conf
	bad_config 1 "section header without closing ']'"
	printf '[pf ../../etc]\n' | conf sriovctl.conf
	bad_config 1 "bad selector '../../etc': expected a PCI address [DDDD:]BB:DD.F or vendor:device VVVV:DDDD"
	printf '[pf 1b36:10]\n' | conf sriovctl.conf
	bad_config 1 "bad selector '1b36:10': expected a PCI address [DDDD:]BB:DD.F or vendor:device VVVV:DDDD"
	printf '[pf 01:00.0 01:00.1]\n' | conf sriovctl.conf
	bad_config 1 "bad selector '01:00.0 01:00.1': expected a PCI address [DDDD:]BB:DD.F or vendor:device VVVV:DDDD"
}

@test "config: a line that is neither a key nor a section" {
	std_tree
	printf '[pf 01:00.0]\nvfs 2\n' | conf sriovctl.conf
	bad_config 2 "expected 'key = value', '[pf SELECTOR]' or a comment"
	printf '[pf 01:00.0]\n= 2\n' | conf sriovctl.conf
	bad_config 2 "expected 'key = value', '[pf SELECTOR]' or a comment"
}

@test "config: duplicate keys in one section" {
	std_tree
	printf '[pf 01:00.0]\nvfs = 2\nlock = no\nvfs = 3\n' | conf sriovctl.conf
	bad_config 4 "duplicate key 'vfs' in this section (first at line 2)"
}

@test "config: the same key in two sections is fine" {
	fake pf 0000:01:00.0 --override pci-stub-pf
	fake pf 0000:02:00.0 --override pci-stub-pf
	printf '[pf 01:00.0]\nvfs = 2\n[pf 02:00.0]\nvfs = 3\n' | conf sriovctl.conf
	run_sriovctl -n apply
	expect_stdout "write $P/0000:01:00.0/sriov_numvfs '2'
write $P/0000:02:00.0/sriov_numvfs '3'"
}

@test "config: a PF named by two sections" {
	std_tree
	printf '[pf 01:00.0]\nvfs = 2\n' | conf sriovctl.conf
	printf '[pf 1b36:0010]\nvfs = 3\n' | conf sriovctl.d/x.conf
	tree_snapshot
	run_sriovctl 2 apply
	expect_stderr "sriovctl: /etc/sriovctl.d/x.conf:1: 0000:01:00.0 is configured already, at /etc/sriovctl.conf:1"
	expect_tree_unchanged
}

@test "config: NUL bytes" {
	std_tree
	printf '[pf 01:00.0]\nvfs = 2\0\n' | conf sriovctl.conf
	bad_config 2 "NUL byte: this is not a text file"
}

@test "config: binary garbage" {
	std_tree
	head -c 4096 /dev/urandom >"$ETC/sriovctl.conf"
	printf '\x01\x02\n' >>"$ETC/sriovctl.conf"
	tree_snapshot
	run_sriovctl 2 apply
	expect_no_stdout
	[[ $stderr == "sriovctl: $ETC/sriovctl.conf:"* ]]
	expect_tree_unchanged
	printf '[pf 01:00.0]\n# caf\xc3\n' | conf sriovctl.conf
	bad_config 2 "invalid UTF-8: this is not a text file"
	printf '[pf 01:00.0]\nvfs = 2\x1b[0m\n' | conf sriovctl.conf
	bad_config 2 "control character: this is not a text file"
}

@test "config: valid UTF-8 in comments and CRLF line ends are fine" {
	fake pf 0000:01:00.0 --override pci-stub-pf
	printf '# caf\xc3\xa9 \xe2\x9c\x93\r\n[pf 01:00.0]\r\nvfs = 2\r\n' | conf sriovctl.conf
	run_sriovctl -n apply
	expect_stdout "write $P/0000:01:00.0/sriov_numvfs '2'"
}

@test "config: a 1 MiB line" {
	std_tree
	{
		printf '[pf 01:00.0]\n# '
		head -c 1048576 /dev/zero | tr '\0' x
		printf '\nvfs = 2\n'
	} >"$ETC/sriovctl.conf"
	bad_config 2 "line longer than 4096 bytes"
}

@test "config: a line of exactly 4096 bytes is fine" {
	fake pf 0000:01:00.0 --override pci-stub-pf
	{
		printf '[pf 01:00.0]\n#'
		head -c 4095 /dev/zero | tr '\0' x
		printf '\nvfs = 2\n'
	} >"$ETC/sriovctl.conf"
	run_sriovctl -n apply
	expect_stdout "write $P/0000:01:00.0/sriov_numvfs '2'"
}

@test "config: a file over 4 MiB is refused" {
	std_tree
	head -c $((4 * 1048576 + 1)) /dev/zero | tr '\0' '\n' >"$ETC/sriovctl.conf"
	run_sriovctl 2 apply
	expect_stderr "sriovctl: /etc/sriovctl.conf: cannot read: larger than 4194304 bytes"
}

@test "config: every error is reported, up to 10 per file" {
	std_tree
	printf '[pf 01:00.0]\nvfs = x\nlock = x\n[pf 02:00.0]\nfoo = 1\n' | conf sriovctl.conf
	tree_snapshot
	run_sriovctl 2 apply
	expect_stderr "sriovctl: /etc/sriovctl.conf:2: vfs: 'x' is not a VF count (0-65535)
sriovctl: /etc/sriovctl.conf:3: lock: 'x' is not one of 'no', 'yes', 'sealed'
sriovctl: /etc/sriovctl.conf:5: unknown key 'foo': expected vfs, lock, autoprobe or vf-driver"
	for i in $(seq 20); do echo "bad $i"; done | conf sriovctl.conf
	run_sriovctl 2 apply
	[ "$(echo "$stderr" | wc -l)" -eq 11 ]
	[[ $stderr == *"sriovctl: $ETC/sriovctl.conf:11: too many errors, giving up on this file" ]]
	expect_tree_unchanged
}

@test "config: an error in one file stops every file from being applied" {
	fake pf 0000:01:00.0 --override pci-stub-pf
	printf '[pf 01:00.0]\nvfs = 2\n' | conf sriovctl.conf
	printf '[pf 02:00.0]\nvfs = two\n' | conf sriovctl.d/z.conf
	tree_snapshot
	run_sriovctl 2 apply
	expect_no_stdout
	expect_stderr "sriovctl: /etc/sriovctl.d/z.conf:2: vfs: 'two' is not a VF count (0-65535)"
	expect_tree_unchanged
}

@test "config: vfs above the PF's total is reported at its line" {
	std_tree
	printf '[pf 01:00.0]\nlock = yes\nvfs = 9\n' | conf sriovctl.conf
	bad_config 3 "vfs = 9 is above the total of 8 VFs of 0000:01:00.0"
}

@test "config: a VF or a non-SR-IOV device as a PF is an error" {
	std_tree
	printf '[pf 01:00.1]\nvfs = 1\n' | conf sriovctl.conf
	bad_config 1 "0000:01:00.1 is a VF, not a PF (its PF is 0000:01:00.0)"
	printf '[pf 00:1f.2]\nvfs = 1\n' | conf sriovctl.conf
	bad_config 1 "0000:00:1f.2 is not an SR-IOV PF"
}

@test "config: a PF that is not there is skipped with a note" {
	fake pf 0000:01:00.0 --override pci-stub-pf
	printf '[pf 0000:42:00.0]\nvfs = 1\n[pf 01:00.0]\nvfs = 1\n[pf abcd:ef01]\nvfs = 1\n' | conf sriovctl.conf
	run_sriovctl apply
	expect_stderr "sriovctl: /etc/sriovctl.conf:1: no PF matches '0000:42:00.0' now; skipped
sriovctl: /etc/sriovctl.conf:5: no PF matches 'abcd:ef01' now; skipped"
	expect_stdout "apply 0000:01:00.0: 0000:01:00.0 is already bound to 'pci-stub-pf'
apply 0000:01:00.0: 0000:01:00.0 has 1 VFs"
	run_sriovctl -q apply
	expect_no_stderr
}

@test "apply goes on after a PF fails, and exits 1" {
	fake pf 0000:01:00.0 --vfs 2 --lock locked --override pci-stub-pf
	fake pf 0000:02:00.0 --override pci-stub-pf
	printf '[pf 01:00.0]\nvfs = 4\n[pf 02:00.0]\nvfs = 2\n' | conf sriovctl.conf
	run_sriovctl 1 -q apply
	expect_stderr "sriovctl: apply 0000:01:00.0: VF count is locked; run 'sriovctl unlock 0000:01:00.0'"
	expect_file "$(dev 0000:02:00.0)/sriov_numvfs" 2
	expect_file "$(dev 0000:01:00.0)/sriov_numvfs" 2
}
