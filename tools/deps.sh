#!/bin/sh
# Checks cfssim's build and test dependencies.  As root, installs what is
# missing with apt-get; otherwise prints the exact command and fails.
set -u
pkgs="build-essential pkg-config libyaml-dev libcmocka-dev libmnl-dev libbsd-dev gnuplot-nox iproute2 chromium"
# test needs of the kernel matrix (tools/kernel-vm, tools/kernel-matrix,
# tests/test_kernel_vm.c): the emulator, the guest's static shell, the
# initramfs packer, module decompression and modules.dep, JSON to CSV
pkgs="$pkgs qemu-system-x86 busybox-static cpio xz-utils kmod jq"
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
