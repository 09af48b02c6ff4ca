#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# The VM side of "make bench": run by bench/run through tests/vm/run.  Not
# a test: it fails only if the benchmark itself could not run (a driver
# that did not bind, VFs missing after a contender ran), never because of a
# time.  The samples land in $VM_RESULTS/bench/; bench/run turns them into
# bench/results/*.json and the table.

bats_require_minimum_version 1.5.0

@test "benchmarks: enable, provision, inventory, udev coldplug" {
	"$REPO/bench/guest.sh" "$VM_RESULTS/bench" 2>&3
}
