# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the sriovctl tests (bats).  Load with:
#	load helpers/common
#
# Every test gets its own fake sysfs tree ($SYS, built with fake) and
# configuration directory ($ETC); the binary under test is $SRIOVCTL
# (default tools/sriovctl; `make check` also runs an ASan/UBSan build).

bats_require_minimum_version 1.5.0

REPO=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
SRIOVCTL=${SRIOVCTL:-$REPO/tools/sriovctl}
GOLDEN=$BATS_TEST_DIRNAME/golden
HELPERS=$BATS_TEST_DIRNAME/helpers

setup() {
	SYS=$BATS_TEST_TMPDIR/sys
	ETC=$BATS_TEST_TMPDIR/etc
	mkdir -p "$ETC"
	export SRIOVCTL_SYSFS=$SYS SRIOVCTL_CONFDIR=$ETC
	unset SRIOVCTL_MODPROBE
	fake init
}

# A tree for tests that run as nobody lives outside the 0700 test dirs.
teardown() {
	[ -z "${NOBODY_TOP:-}" ] || rm -rf "$NOBODY_TOP"
}

# nobody_tree: point $SYS and $ETC into a fresh world-readable directory.
nobody_tree() {
	NOBODY_TOP=$(mktemp -d /tmp/sriovctl-nobody.XXXXXX)
	chmod 0755 "$NOBODY_TOP"
	SYS=$NOBODY_TOP/sys ETC=$NOBODY_TOP/etc
	export SRIOVCTL_SYSFS=$SYS SRIOVCTL_CONFDIR=$ETC
	mkdir -p "$ETC"
}

# fake COMMAND ARGS...: build the tree (see helpers/fake-sysfs)
fake() {
	"$HELPERS/fake-sysfs" "$SYS" "$@"
}

# The device directory of ADDR in the fake tree.
dev() {
	echo "$SYS/bus/pci/devices/$1"
}

# Show a command, long arguments cut short.
show_cmd() {
	local a line='$'
	for a; do
		[ ${#a} -le 80 ] || a="${a:0:80}...(${#a} bytes)"
		line+=" $a"
	done
	echo "$line"
}

# run_sriovctl [EXPECTED_STATUS] ARGS...: run the tool with stdout and
# stderr apart, show the command and its output (seen when a test fails),
# and check the exit status (default 0; '?' accepts any).
run_sriovctl() {
	local expect=0
	case $1 in
	[0-9] | '?')
		expect=$1
		shift
		;;
	esac
	show_cmd sriovctl "$@"
	run --separate-stderr "$SRIOVCTL" "$@"
	[ -z "$output" ] || echo "$output"
	[ -z "$stderr" ] || echo "stderr: $stderr"
	if [ "$expect" != '?' ] && [ "$status" -ne "$expect" ]; then
		echo "FAIL: exit status $status, expected $expect"
		return 1
	fi
}

# Output with the fake root shown as /sys, so that expectations read well.
norm() {
	local s=${1//$SYS//sys}
	printf '%s\n' "${s//$ETC//etc}"
}

# expect_stdout TEXT / expect_stderr TEXT: exact match (after norm).
expect_stdout() {
	local got
	got=$(norm "$output")
	if [ "$got" != "$1" ]; then
		printf 'stdout differs:\n--- expected\n%s\n--- got\n%s\n' "$1" "$got"
		return 1
	fi
}

expect_stderr() {
	local got
	got=$(norm "$stderr")
	if [ "$got" != "$1" ]; then
		printf 'stderr differs:\n--- expected\n%s\n--- got\n%s\n' "$1" "$got"
		return 1
	fi
}

# expect_stderr_has STRING: a substring check (after norm).
expect_stderr_has() {
	local got
	got=$(norm "$stderr")
	if [[ $got != *"$1"* ]]; then
		printf 'stderr lacks: %s\n--- got\n%s\n' "$1" "$got"
		return 1
	fi
}

expect_no_stdout() {
	if [ -n "$output" ]; then
		printf 'unexpected stdout:\n%s\n' "$output"
		return 1
	fi
}

expect_no_stderr() {
	if [ -n "$stderr" ]; then
		printf 'unexpected stderr:\n%s\n' "$stderr"
		return 1
	fi
}

# A usage error: exit 2 (checked by run_sriovctl), one "sriovctl: " line
# naming the problem, then the hint; nothing on stdout.
expect_usage_error() {
	local first=${stderr%%$'\n'*}
	expect_no_stdout
	[[ $first == "sriovctl: "* ]] || { echo "bad first line: $first"; return 1; }
	[ "${stderr#*$'\n'}" = "Try 'sriovctl --help'." ] ||
		{ echo "no hint: $stderr"; return 1; }
}

# expect_file PATH CONTENT: the file holds exactly CONTENT.
expect_file() {
	local got
	got=$(cat "$1")
	if [ "$got" != "$2" ]; then
		printf '%s: expected %q, got %q\n' "$1" "$2" "$got"
		return 1
	fi
}

# The state of the whole tree: names, types, modes, link targets, and the
# contents of every file.
tree_state() {
	(
		cd "$SYS"
		find . -printf '%p %y %m %l\n' | LC_ALL=C sort
		find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r md5sum
	)
}

tree_snapshot() {
	tree_state >"$BATS_TEST_TMPDIR/tree.before"
}

# After a refused command: the tree is byte for byte as it was.
expect_tree_unchanged() {
	tree_state >"$BATS_TEST_TMPDIR/tree.after"
	diff -u "$BATS_TEST_TMPDIR/tree.before" "$BATS_TEST_TMPDIR/tree.after"
}

# expect_golden NAME: stdout (after norm) equals golden/NAME.
# SRIOVCTL_UPDATE_GOLDEN=1 writes the golden file instead (review the diff).
expect_golden() {
	local got
	got=$(norm "$output")
	if [ "${SRIOVCTL_UPDATE_GOLDEN:-}" = 1 ]; then
		printf '%s\n' "$got" >"$GOLDEN/$1"
	fi
	if [ "$got" != "$(cat "$GOLDEN/$1")" ]; then
		diff -u "$GOLDEN/$1" <(printf '%s\n' "$got")
		return 1
	fi
}

# expect_json: stdout is one valid JSON document.
expect_json() {
	if command -v python3 >/dev/null && python3 -c 'pass' 2>/dev/null; then
		printf '%s' "$output" | python3 -m json.tool >/dev/null
	else
		printf '%s' "$output" | jq -e . >/dev/null
	fi
}

# A standard tree: PF 01:00.0 with 4 of 8 VFs on pci-stub-pf, unlocked,
# VFs unbound; PF 02:00.0 on nvme without VFs; an ordinary device.
std_tree() {
	fake pf 0000:01:00.0 --vfs 4 --total 8
	fake pf 0000:02:00.0 --driver nvme --total 4 --id 1b36:0011
	fake dev 0000:00:1f.2 --id 8086:2922 --driver ahci
	fake driver vfio-pci
}

# Is running as nobody possible here (root, setpriv)?
can_drop_root() {
	[ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null &&
		id nobody >/dev/null 2>&1
}

# as_nobody: run_sriovctl as user nobody.
run_as_nobody() {
	local expect=$1
	shift
	echo "\$ (as nobody) sriovctl $*"
	run --separate-stderr setpriv --reuid=nobody --regid=nogroup \
		--clear-groups -- "$SRIOVCTL" "$@"
	[ -z "$output" ] || echo "$output"
	[ -z "$stderr" ] || echo "stderr: $stderr"
	[ "$status" -eq "$expect" ] ||
		{ echo "FAIL: exit status $status, expected $expect"; return 1; }
}

# The LD_PRELOAD shim (helpers/kernel-shim.c), built once per test file.
shim() {
	local so=$BATS_FILE_TMPDIR/kernel-shim.so
	if [ ! -e "$so" ]; then
		cc -shared -fPIC -O1 -o "$so" "$HELPERS/kernel-shim.c" -ldl
	fi
	echo "$so"
}

# with_kernel [EXPECTED_STATUS] ARGS...: run_sriovctl with the shim's
# unbind and drivers_probe reactions, so that rebinding can succeed.
with_kernel() {
	LD_PRELOAD=$(shim) SHIM_KERNEL=1 \
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
		run_sriovctl "$@"
}

# refused_by_kernel FILE-SUFFIX ERRNO [EXPECTED_STATUS] ARGS...: run_sriovctl
# with writes to the file refused as the kernel would, with ERRNO.
refused_by_kernel() {
	local suffix=$1 errno=$2
	shift 2
	LD_PRELOAD=$(shim) SHIM_FAIL_PATH=$suffix SHIM_ERRNO=$errno \
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
		run_sriovctl "$@"
}

# errno values (Linux, x86 and arm alike)
EPERM=1 ENOENT=2 EACCES=13 EBUSY=16 ENODEV=19 ERANGE=34
