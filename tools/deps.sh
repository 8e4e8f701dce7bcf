#!/bin/sh
# Checks cfssim's build and test dependencies.  As root, installs what is
# missing with apt-get; otherwise prints the exact command and fails.
set -u
# parallel (GNU parallel) is a test dependency: the sweep tests run the
# command line `cfssim sweep --emit parallel` prints.
pkgs="build-essential pkg-config libyaml-dev libcmocka-dev libmnl-dev libbsd-dev gnuplot-nox iproute2 chromium parallel"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
cmd="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "cfssim: installing build dependencies:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq && $cmd -qq || {
		echo "cfssim: '$cmd' failed" >&2
		exit 1
	}
	exit 0
fi
echo "cfssim: missing build dependencies:$missing" >&2
echo "cfssim: install them with: sudo $cmd" >&2
exit 1
