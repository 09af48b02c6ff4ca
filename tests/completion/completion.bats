#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# The bash completion of sriovctl (tools/completion/sriovctl), run against
# a stub sriovctl on PATH and a fake sysfs tree.  The stub logs its
# arguments, so the tests also check what the completion asks the tool.

# shellcheck disable=SC2030,SC2031 # each @test runs in its own subshell
bats_require_minimum_version 1.5.0

COMPLETION="$BATS_TEST_DIRNAME/../../tools/completion/sriovctl"

# A fake sysfs: two PFs (01:00.0 with VFs 01:00.2 and 01:00.3, 3b:00.0 with
# none), one device without SR-IOV, and three drivers.
make_sysfs()
{
	local sys=$1 d

	d=$sys/bus/pci/devices
	mkdir -p "$d/0000:01:00.0" "$d/0000:01:00.2" "$d/0000:01:00.3" \
		"$d/0000:3b:00.0" "$d/0000:00:1f.0" \
		"$sys/bus/pci/drivers/pci-stub-pf" "$sys/bus/pci/drivers/nvme" \
		"$sys/bus/pci/drivers/igbvf"
	echo 8 >"$d/0000:01:00.0/sriov_totalvfs"
	echo 2 >"$d/0000:01:00.0/sriov_numvfs"
	echo 4 >"$d/0000:3b:00.0/sriov_totalvfs"
	echo 0 >"$d/0000:3b:00.0/sriov_numvfs"
	ln -s ../0000:01:00.0 "$d/0000:01:00.2/physfn"
	ln -s ../0000:01:00.0 "$d/0000:01:00.3/physfn"
}

# A stub sriovctl: --help in the layout of the real one (name and
# arguments, help on the next line), with a few entries in other layouts
# that the parsing must tolerate; 'list' with a header line.  It has a
# command 'frob' that no real sriovctl has, to show where commands come from.
make_stub()
{
	local bin=$1

	mkdir -p "$bin"
	cat >"$bin/sriovctl" <<-'EOF'
	#!/bin/bash
	echo "$*" >>"$STUB_LOG"
	[ -n "$STUB_BROKEN" ] && exit 127
	while [ "$1" = --sysfs ]; do shift 2; done
	case $1 in
	--help)
		cat <<'HELP'
	Usage: sriovctl [OPTIONS] COMMAND [ARGS]

	Create SR-IOV VFs on PFs bound to pci-stub-pf and hand them to drivers.
	DEV, PF: a PCI address [DDDD:]BB:DD.F.

	Commands:
	  list       
	             list SR-IOV PFs: address, vendor:device, driver, VFs, lock
	  show       DEV
	             show a PF and its VFs, or a VF and its PF
	  enable     PF N [--lock|--seal] [--vf-driver DRV] [--autoprobe on|off]
	             make N VFs exist (autoprobe off unless asked), hand them to DRV

	  frob                 a command only this stub has, help on the same line
	  autoprobe PF on|off  let host drivers probe new VFs, or not
	                       (a wrapped line)

	Options:
	  -j, --json         JSON output (list, show)
	  -q, --quiet        no informational output
	HELP
		;;
	list)
		printf '%s\n' \
			'PF            ID         DRIVER       VFS   LOCK      AUTOPROBE' \
			'0000:01:00.0  1b36:0010  pci-stub-pf  2/8   locked    no' \
			'0000:3b:00.0  8086:10c9  -            0/4   -         yes'
		;;
	*)
		exit 2
		;;
	esac
	EOF
	chmod +x "$bin/sriovctl"
}

setup()
{
	make_sysfs "$BATS_TEST_TMPDIR/sys"
	make_stub "$BATS_TEST_TMPDIR/bin"
	PATH="$BATS_TEST_TMPDIR/bin:$PATH"
	export SRIOVCTL_SYSFS="$BATS_TEST_TMPDIR/sys"
	export STUB_LOG="$BATS_TEST_TMPDIR/stub.log"
	: >"$STUB_LOG"
	COMP_WORDBREAKS=$' \t\n"\'><=;|&(:'
	# shellcheck source=tools/completion/sriovctl
	source "$COMPLETION"
}

# try_complete LINE: complete LINE as bash would with the cursor at its end,
# and leave the candidates sorted, space-separated, in $reply.
try_complete()
{
	COMP_LINE=$1
	COMP_POINT=${#1}
	read -ra COMP_WORDS <<<"$1"
	if [[ $1 == *' ' ]]; then
		COMP_WORDS+=("")
	fi
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_sriovctl sriovctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	reply=$(printf '%s\n' "${COMPREPLY[@]}" | sort | xargs)
	echo "complete '$1' -> '$reply'"
}

@test "completion is registered for sriovctl" {
	run -0 complete -p sriovctl
	[[ $output == *"-F _sriovctl"* ]]
}

@test "commands are read from the Commands section of --help" {
	try_complete "sriovctl "
	[ "$reply" = "autoprobe enable frob list show" ]
	grep -qx -- "--help" "$STUB_LOG"
}

@test "a command is completed from its prefix" {
	try_complete "sriovctl fr"
	[ "$reply" = "frob" ]
}

@test "without a working sriovctl the commands of the man page are offered" {
	export STUB_BROKEN=1
	try_complete "sriovctl "
	[ "$reply" = "apply assign autoprobe bind disable enable list lock release show udev unbind unlock" ]
}

@test "global options are completed before the command" {
	try_complete "sriovctl --"
	[ "$reply" = "--config --dry-run --help --json --quiet --sysfs --version" ]
}

@test "--sysfs completes directories" {
	mkdir -p "$BATS_TEST_TMPDIR/fake-a" "$BATS_TEST_TMPDIR/fake-b"
	: >"$BATS_TEST_TMPDIR/fake-file"
	try_complete "sriovctl --sysfs $BATS_TEST_TMPDIR/fake"
	[ "$reply" = "$BATS_TEST_TMPDIR/fake-a $BATS_TEST_TMPDIR/fake-b" ]
}

@test "-c completes file names" {
	: >"$BATS_TEST_TMPDIR/my.conf"
	try_complete "sriovctl -c $BATS_TEST_TMPDIR/my"
	[ "$reply" = "$BATS_TEST_TMPDIR/my.conf" ]
}

@test "PFs come from sriovctl list, without its header" {
	try_complete "sriovctl enable "
	[ "$reply" = "0000:01:00.0 0000:3b:00.0" ]
	grep -qx "list" "$STUB_LOG"
}

@test "an address is completed after the last colon, as bash expects" {
	try_complete "sriovctl bind 0000:3"
	[ "$reply" = "3b:00.0" ]
}

@test "an address typed without its domain is completed" {
	try_complete "sriovctl lock 3"
	[ "$reply" = "3b:00.0" ]
}

@test "the --sysfs of the command line is passed to sriovctl list" {
	try_complete "sriovctl --sysfs $SRIOVCTL_SYSFS unlock "
	[ "$reply" = "0000:01:00.0 0000:3b:00.0" ]
	grep -qx -- "--sysfs $SRIOVCTL_SYSFS list" "$STUB_LOG"
}

@test "PFs fall back to sysfs when sriovctl list gives nothing" {
	export STUB_BROKEN=1
	try_complete "sriovctl disable "
	[ "$reply" = "0000:01:00.0 0000:3b:00.0" ]
}

@test "assign and release complete VFs and PFs" {
	try_complete "sriovctl assign 0000:01:00."
	[ "$reply" = "00.0 00.2 00.3" ]
	try_complete "sriovctl release "
	[ "$reply" = "0000:01:00.0 0000:01:00.2 0000:01:00.3 0000:3b:00.0" ]
}

@test "assign completes drivers from sysfs, vfio-pci, never pci-stub-pf" {
	try_complete "sriovctl assign 0000:01:00.2 "
	[ "$reply" = "igbvf nvme vfio-pci" ]
}

@test "enable completes the count up to sriov_totalvfs" {
	try_complete "sriovctl enable 0000:3b:00.0 "
	[ "$reply" = "0 1 2 3 4" ]
}

@test "enable completes its options, --lock and --seal exclude each other" {
	try_complete "sriovctl enable 0000:3b:00.0 4 --"
	[ "$reply" = "--autoprobe --lock --seal --vf-driver" ]
	try_complete "sriovctl enable 0000:3b:00.0 4 --lock --"
	[ "$reply" = "--autoprobe --vf-driver" ]
}

@test "--vf-driver completes drivers, --autoprobe on and off" {
	try_complete "sriovctl enable 0000:3b:00.0 4 --vf-driver vf"
	[ "$reply" = "vfio-pci" ]
	try_complete "sriovctl enable 0000:3b:00.0 4 --autoprobe "
	[ "$reply" = "off on" ]
	try_complete "sriovctl enable 0000:3b:00.0 4 --autoprobe=o"
	[ "$reply" = "off on" ]
}

@test "bind, disable and lock complete their own options" {
	try_complete "sriovctl bind 0000:3b:00.0 --"
	[ "$reply" = "--force" ]
	try_complete "sriovctl disable 0000:3b:00.0 "
	[ "$reply" = "--release" ]
	try_complete "sriovctl lock 0000:3b:00.0 --s"
	[ "$reply" = "--seal" ]
}

@test "autoprobe completes on and off after the PF" {
	try_complete "sriovctl autoprobe 0000:01:00.0 "
	[ "$reply" = "off on" ]
}

@test "commands without arguments complete nothing" {
	try_complete "sriovctl list "
	[ "$reply" = "" ]
	try_complete "sriovctl apply x"
	[ "$reply" = "" ]
}
