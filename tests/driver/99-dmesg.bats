#!/usr/bin/env bats
# Runs last: nothing above may have left a kernel splat.

bats_require_minimum_version 1.5.0
load ../test_helper/vm

@test "the kernel log has no WARNING, BUG, Oops, lockdep report or sleep-in-atomic" {
	vm_assert_dmesg_clean
}
