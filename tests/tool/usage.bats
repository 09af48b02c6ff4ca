#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# sriovctl: the command line: help, version, and every malformed request
# (exit 2, one error line and the hint, nothing written).

load helpers/common

@test "--help lists every command and exits 0" {
	run_sriovctl --help
	expect_no_stderr
	for verb in list show bind unbind enable disable lock unlock autoprobe \
		assign release apply udev; do
		[[ $output == *$'\n  '"$verb"[$' \n']* ]] || { echo "no $verb"; false; }
	done
	[[ $output == *"Exit status: 0 success, 1 refused by the system, 2 usage or configuration error."* ]]
}

@test "--help has no trailing blanks" {
	run_sriovctl --help
	! grep -n ' $' <<<"$output"
}

@test "-h is --help" {
	run_sriovctl -h
	[[ $output == "Usage: sriovctl [OPTIONS] COMMAND [ARGS]"* ]]
}

@test "--version prints the version from the VERSION file" {
	run_sriovctl --version
	expect_no_stderr
	expect_stdout "sriovctl $(cat "$REPO/VERSION")"
	run_sriovctl -V
	expect_stdout "sriovctl $(cat "$REPO/VERSION")"
}

@test "a command's --help shows its synopsis and exits 0" {
	run_sriovctl enable --help
	expect_no_stderr
	expect_stdout "Usage: sriovctl enable PF N [--lock|--seal] [--vf-driver DRV] [--autoprobe on|off]
make N VFs exist (autoprobe off unless asked), hand them to DRV"
	run_sriovctl list -h
	[[ $output == "Usage: sriovctl list"* ]]
}

@test "no command is a usage error" {
	run_sriovctl 2
	expect_usage_error
	expect_stderr "sriovctl: missing command
Try 'sriovctl --help'."
}

@test "an unknown command is a usage error" {
	run_sriovctl 2 frobnicate
	expect_usage_error
	expect_stderr "sriovctl: unknown command 'frobnicate'
Try 'sriovctl --help'."
}

@test "commands are matched exactly, never by prefix" {
	for word in lis LIST en enable2 'list ' ''; do
		run_sriovctl 2 "$word"
		expect_usage_error
	done
}

@test "an unknown global option is a usage error" {
	run_sriovctl 2 --frob list
	expect_usage_error
	expect_stderr "sriovctl: unknown option '--frob'
Try 'sriovctl --help'."
	run_sriovctl 2 -x list
	expect_stderr "sriovctl: unknown option '-x'
Try 'sriovctl --help'."
}

@test "a global option that needs an argument and has none is a usage error" {
	run_sriovctl 2 --sysfs
	expect_usage_error
	expect_stderr "sriovctl: option '--sysfs' needs an argument
Try 'sriovctl --help'."
	run_sriovctl 2 -c
	expect_usage_error
}

@test "long options are not abbreviated" {
	run_sriovctl 2 --dry list
	expect_usage_error
	expect_stderr "sriovctl: unknown option '--dry' (did you mean '--dry-run'?)
Try 'sriovctl --help'."
	std_tree
	tree_snapshot
	run_sriovctl 2 bind 01:00.0 --forc
	expect_usage_error
	run_sriovctl 2 enable 01:00.0 2 --vf=vfio-pci
	expect_usage_error
	expect_tree_unchanged
}

@test "global options after the command are the command's, and unknown there" {
	std_tree
	run_sriovctl 2 list -j
	expect_usage_error
	expect_stderr "sriovctl: list: unknown option '-j'
Try 'sriovctl --help'."
}

@test "an unknown command option is a usage error and writes nothing" {
	std_tree
	tree_snapshot
	for cmd in "bind 01:00.0 --frob" "unbind 01:00.0 -z" "enable 01:00.0 2 --locked" \
		"disable 01:00.0 --force" "lock 01:00.0 --sealed" "unlock 01:00.0 --seal" \
		"autoprobe 01:00.0 on --x" "assign 01:00.1 vfio-pci --force" \
		"release 01:00.1 -r" "apply --all" "udev 01:00.0 -q" "show 01:00.0 --all"; do
		# shellcheck disable=SC2086
		run_sriovctl 2 $cmd
		expect_usage_error
		[[ $stderr == "sriovctl: ${cmd%% *}: unknown option "* ]]
	done
	expect_tree_unchanged
}

@test "missing and extra arguments are usage errors" {
	std_tree
	tree_snapshot
	for cmd in show bind unbind enable "enable 01:00.0" disable lock unlock \
		autoprobe "autoprobe 01:00.0" assign "assign 01:00.1" release udev; do
		# shellcheck disable=SC2086
		run_sriovctl 2 $cmd
		expect_usage_error
		[[ $stderr == "sriovctl: ${cmd%% *}: missing argument; usage: sriovctl ${cmd%% *}"* ]]
	done
	for cmd in "list x" "show 01:00.0 x" "bind 01:00.0 x" "enable 01:00.0 2 3" \
		"disable 01:00.0 0" "lock 01:00.0 x" "autoprobe 01:00.0 on off" \
		"assign 01:00.1 vfio-pci x" "release 01:00.1 x" "apply x" "udev 01:00.0 x"; do
		# shellcheck disable=SC2086
		run_sriovctl 2 $cmd
		expect_usage_error
		[[ $stderr == "sriovctl: ${cmd%% *}: unexpected argument "* ]]
	done
	expect_tree_unchanged
}

bad_devices=(
	'../../etc' '0000:zz:00.0' '' "$(printf 'a%.0s' {1..4096})" '01:00.8'
	'01:20.0' '1:00.0' '001:00.0' '00000:01:00.0' '0000:01:00.0 '
	' 0000:01:00.0' '0000:01:00.0/' '0000:01:00' '0000-01-00.0' '01:00.-1'
	'0000:01:00.0x' '/sys/bus/pci/devices/0000:01:00.0' '*' '01:00.0;id'
	$'01:00.0\n' '+1:00.0' '0x01:00.0' '10000:01:00.0'
)

# A usage error for the argument d of command cmd.
bad_device_rejected() {
	local cmd=$1 d=$2
	case $cmd in
	enable) run_sriovctl 2 "$cmd" "$d" 2 ;;
	autoprobe) run_sriovctl 2 "$cmd" "$d" on ;;
	assign) run_sriovctl 2 "$cmd" "$d" vfio-pci ;;
	*) run_sriovctl 2 "$cmd" "$d" ;;
	esac
	expect_usage_error
	[[ $stderr == "sriovctl: $cmd: '"*" is not a PCI address [DDDD:]BB:DD.F (hex, device 00-1f, function 0-7)"* ]]
}

@test "a device argument that is not [DDDD:]BB:DD.F is a usage error" {
	std_tree
	tree_snapshot
	local d
	for d in "${bad_devices[@]}"; do
		bad_device_rejected show "$d"
		bad_device_rejected assign "$d"
	done
	expect_tree_unchanged
}

@test "every command that takes a device checks it" {
	std_tree
	tree_snapshot
	local d cmd
	for cmd in show bind unbind enable disable lock unlock autoprobe \
		assign release udev; do
		for d in '../../etc' '0000:zz:00.0' '' "$(printf 'a%.0s' {1..4096})"; do
			bad_device_rejected "$cmd" "$d"
		done
	done
	expect_tree_unchanged
}

@test "a long device argument is shown cut short and on one line" {
	run_sriovctl 2 show "$(printf 'a%.0s' {1..4096})"
	expect_stderr "sriovctl: show: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'... is not a PCI address [DDDD:]BB:DD.F (hex, device 00-1f, function 0-7)
Try 'sriovctl --help'."
	run_sriovctl 2 show $'01:00.0\nx'
	expect_stderr "sriovctl: show: '01:00.0\\nx' is not a PCI address [DDDD:]BB:DD.F (hex, device 00-1f, function 0-7)
Try 'sriovctl --help'."
}

@test "addresses are accepted with or without domain, in either case" {
	fake pf 0000:0a:1f.7 --total 2
	for a in 0a:1f.7 0A:1F.7 0000:0a:1f.7 0000:0A:1f.7; do
		run_sriovctl show "$a"
		[[ $output == "0000:0a:1f.7 "* ]]
	done
}

@test "a VF count that is not a decimal number is a usage error" {
	std_tree
	tree_snapshot
	for n in abc -1 '' ' 2' '2 ' 0x2 +2 1.5 1e3 2x 9999999999 $'2\n'; do
		run_sriovctl 2 enable 01:00.0 "$n"
		expect_usage_error
	done
	run_sriovctl 2 enable 01:00.0 abc
	expect_stderr "sriovctl: enable: 'abc' is not a VF count (a decimal number)
Try 'sriovctl --help'."
	expect_tree_unchanged
}

@test "a bad driver name is a usage error" {
	std_tree
	tree_snapshot
	for drv in '' ../x 'a/b' -x .x 'a b' "$(printf 'd%.0s' {1..64})" 'vfio*'; do
		run_sriovctl 2 assign 01:00.1 "$drv"
		expect_usage_error
		run_sriovctl 2 enable 01:00.0 2 --vf-driver "$drv"
		expect_usage_error
	done
	run_sriovctl 2 assign 01:00.1 ../../x
	expect_stderr "sriovctl: assign: '../../x' is not a driver name
Try 'sriovctl --help'."
	expect_tree_unchanged
}

@test "autoprobe takes exactly on or off" {
	std_tree
	tree_snapshot
	for v in yes no 1 0 ON Off '' o; do
		run_sriovctl 2 autoprobe 01:00.0 "$v"
		expect_usage_error
		run_sriovctl 2 enable 01:00.0 2 --autoprobe "$v"
		expect_usage_error
	done
	run_sriovctl 2 autoprobe 01:00.0 yes
	expect_stderr "sriovctl: autoprobe: value 'yes' is not 'on' or 'off'
Try 'sriovctl --help'."
	expect_tree_unchanged
}

@test "--lock and --seal together are a usage error" {
	std_tree
	tree_snapshot
	run_sriovctl 2 enable 01:00.0 2 --lock --seal
	expect_usage_error
	expect_stderr "sriovctl: enable: --lock and --seal exclude each other
Try 'sriovctl --help'."
	expect_tree_unchanged
}

@test "options may come before or after the arguments of a command" {
	std_tree
	run_sriovctl -n enable --lock 01:00.0 4
	expect_stdout "write /sys/bus/pci/devices/0000:01:00.0/sriov_lock 'locked'"
	run_sriovctl -n enable 01:00.0 4 --lock
	expect_stdout "write /sys/bus/pci/devices/0000:01:00.0/sriov_lock 'locked'"
}

@test "-- ends the options of a command" {
	std_tree
	run_sriovctl 2 enable -- 01:00.0 -1
	expect_usage_error
	expect_stderr "sriovctl: enable: '-1' is not a VF count (a decimal number)
Try 'sriovctl --help'."
}
