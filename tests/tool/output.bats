#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# sriovctl: output that cannot be written, and the quiet udev fast path.

load helpers/common

@test "list to a full device fails with exit 1 and says so" {
	[ -w /dev/full ] || skip "no /dev/full"
	std_tree
	echo "\$ sriovctl list >/dev/full"
	run --separate-stderr bash -c '"$0" list >/dev/full' "$SRIOVCTL"
	[ "$status" -eq 1 ]
	expect_stderr "sriovctl: cannot write to standard output: No space left on device"
}

@test "show -j to a full device fails with exit 1" {
	[ -w /dev/full ] || skip "no /dev/full"
	std_tree
	run --separate-stderr bash -c '"$0" -j show 01:00.0 >/dev/full' "$SRIOVCTL"
	[ "$status" -eq 1 ]
	expect_stderr "sriovctl: cannot write to standard output: No space left on device"
}

@test "udev with configuration files but an unknown device exits 0 quietly" {
	std_tree
	printf '[pf 01:00.0]\nvfs = 1\n' >"$ETC/sriovctl.conf"
	run_sriovctl udev 0000:0b:00.0
	expect_no_stdout
	expect_no_stderr
}
