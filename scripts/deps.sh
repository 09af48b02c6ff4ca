#!/usr/bin/env bash
# Install the Debian packages the build and the tests need.
#
# Each part of the project lists its packages in scripts/deps/*.txt (one
# name per line).  Usage: scripts/deps.sh [LIST...]; with no argument every
# list is used.  As root, missing packages are installed with apt-get; as
# any other user, the exact command to run is printed and the exit status
# is 1.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

lists=("$@")
if [ ${#lists[@]} -eq 0 ]; then
	lists=("$here"/deps/*.txt)
fi

wanted=()
for list in "${lists[@]}"; do
	[ -f "$list" ] || list="$here/deps/$list.txt"
	if [ ! -f "$list" ]; then
		echo "deps.sh: no package list '$list'" >&2
		exit 2
	fi
	while read -r pkg _; do
		case "$pkg" in ''|'#'*) continue ;; esac
		wanted+=("$pkg")
	done <"$list"
done

missing=()
for pkg in $(printf '%s\n' "${wanted[@]}" | sort -u); do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	[ "$status" = "install ok installed" ] || missing+=("$pkg")
done

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: missing packages: ${missing[*]}" >&2
	echo "deps.sh: run as root: apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
	exit 1
fi

echo "deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
