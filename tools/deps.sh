#!/bin/sh
# Checks the Debian packages one part of cfssim needs, and installs the
# missing ones.  Usage: tools/deps.sh build|test|bench|fuzz|lint
#   build  what `make` needs to compile and link cfssim (make, make run)
#   test   what only the tests need on top of that (make test)
#   bench  what only the benchmarks need (make bench)
#   fuzz   what only the fuzzer needs (make fuzz)
#   lint   the formatter and the static analyser (make lint)
# As root with apt-get, installs what is missing (non-interactively, so it
# works in CI without a terminal).  Otherwise prints the exact apt-get line
# to run and exits 1.  Exits 0 when nothing is missing.
set -u

case ${1:-} in
build)
	# the compiler, make and libc headers (static libc for the workload),
	# pkg-config for the flags, the YAML parser and netlink.
	pkgs="build-essential pkg-config libyaml-dev libmnl-dev"
	;;
test)
	# cmocka runs the tests; gnuplot draws the pictures that test_plot
	# and test_report check; chromium renders the HTML report; man and
	# groff check the manual pages.
	# parallel: the sweep tests run the line `cfssim sweep --emit
	# parallel` prints (GNU parallel)
	pkgs="libcmocka-dev gnuplot-nox chromium man-db groff-base iproute2 parallel"
	# the kernel matrix (tools/kernel-vm, tools/kernel-matrix,
	# tests/test_kernel_vm.c): the emulator, the guest's static shell,
	# the initramfs packer, module decompression and modules.dep, JSON
	# to CSV
	pkgs="$pkgs qemu-system-x86 busybox-static cpio xz-utils kmod jq"
	;;
bench)
	pkgs="libbsd-dev gnuplot-nox"
	;;
fuzz)
	# clang with libFuzzer and the sanitizer runtimes (make fuzz)
	pkgs="clang libclang-rt-14-dev"
	;;
lint)
	pkgs="clang-format clang-tidy"
	;;
*)
	echo "usage: tools/deps.sh build|test|bench|fuzz|lint" >&2
	exit 2
	;;
esac
what=$1

# Without dpkg (not Debian) nothing can be checked by package name; say
# what is wanted and let the build find out.
if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "cfssim: not a Debian system; the $what needs the Debian" \
		"packages (or their equivalents): $pkgs" >&2
	exit 0
fi

missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

cmd="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "cfssim: installing the $what dependencies:$missing"
	export DEBIAN_FRONTEND=noninteractive
	# Wait for another apt-get holding the lock instead of failing.
	lock="-o DPkg::Lock::Timeout=600"
	if ! apt-get update -qq $lock </dev/null ||
		! $cmd -qq $lock </dev/null; then
		echo "cfssim: '$cmd' failed" >&2
		exit 1
	fi
	exit 0
fi
echo "cfssim: missing $what dependencies:$missing" >&2
echo "cfssim: install them with: sudo $cmd" >&2
exit 1
