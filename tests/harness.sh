# Sourced by the shell tests (tests/test_*.sh) after they cd to the top of
# the repository: a scratch directory $tmp removed on exit, and cmocka's
# result lines, which tools/run-tests.sh counts.
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0

ok() {
	echo "[       OK ] $1"
	passed=$((passed + 1))
}

bad() {
	echo "[  FAILED  ] $1: $2"
	failed=$((failed + 1))
}

# The closing lines for N tests; the status is the script's.
finish() {
	echo "[==========] $1 test(s) run."
	[ $passed -gt 0 ] && echo "[  PASSED  ] $passed test(s)."
	[ $failed -gt 0 ] && echo "[  FAILED  ] $failed test(s), listed above."
	[ $failed -eq 0 ]
}
