#!/bin/sh
# Check that a refactor left the program's output unchanged, byte for byte.
#
#   tools/same-output.sh REF [BUILD]
#   tools/same-output.sh --merge-base [BRANCH [BUILD]]
#
# --merge-base (what CI runs, .ci/run) takes as REF the commit where HEAD
# left BRANCH (default main, else origin/main).  It checks nothing (exit 0,
# with a message) when HEAD is on BRANCH itself, or when a commit since REF
# declares a deliberate change of output with a trailer (a line in the
# message's last paragraph) "Behaviour-change: WHY" (bench/README.md).
#
# Builds commit REF in a temporary worktree, then runs both that build and
# the current tree's BUILD/cfssim (default build/, built first with make) on
# every scenarios/examples/*.yaml of the current tree:
#   cfssim FILE, cfssim FILE --json, cfssim check FILE, cfssim check FILE
#   --json, and cfssim FILE --kernel V (V in 4.19 5.10 6.1 6.18) with the
#   scenario's seed and with --seed 1 and --seed 2.
# Standard output, standard error and the exit status are compared; the one
# figure that measures the host, not the scenario ("wall_usec": the time the
# simulation took), is masked.  Prints
# every difference and exits 1 if there is any, 0 if none, 2 on misuse.
set -eu

usage() {
	echo "usage: tools/same-output.sh REF [BUILD]" >&2
	echo "       tools/same-output.sh --merge-base [BRANCH [BUILD]]" >&2
	exit 2
}
top=$(git rev-parse --show-toplevel)
cd "$top"
if [ "${1:-}" = --merge-base ]; then
	[ $# -le 3 ] || usage
	branch=${2:-}
	if [ -z "$branch" ]; then
		branch=main
		git rev-parse --verify --quiet main >/dev/null ||
			branch=origin/main
	fi
	ref=$(git merge-base HEAD "$branch") || {
		echo "same-output: no merge base of HEAD and '$branch'" >&2
		exit 2
	}
	build=${3:-build}
	if [ "$ref" = "$(git rev-parse HEAD)" ]; then
		echo "same-output: HEAD is on $branch, nothing to compare"
		exit 0
	fi
	why=$(git log --format='%(trailers:key=Behaviour-change,valueonly)' \
		"$ref..HEAD" | sed '/^[[:space:]]*$/d')
	if [ -n "$why" ]; then
		echo "same-output: $ref..HEAD declares a change of output:"
		echo "$why" | sed 's/^/  /'
		exit 0
	fi
else
	{ [ $# -ge 1 ] && [ $# -le 2 ]; } || usage
	ref=$1
	build=${2:-build}
fi
git rev-parse --verify --quiet "$ref^{commit}" >/dev/null || {
	echo "same-output: unknown commit '$ref'" >&2
	exit 2
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/same-output.XXXXXX")
cleanup() {
	git worktree remove --force "$tmp/ref" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

git worktree add --detach --quiet "$tmp/ref" "$ref"
echo "same-output: building $ref" >&2
make -C "$tmp/ref" -j2 build/cfssim >"$tmp/ref-build.log" 2>&1 || {
	cat "$tmp/ref-build.log" >&2
	echo "same-output: cannot build $ref" >&2
	exit 2
}
echo "same-output: building the current tree" >&2
make -j2 BUILD="$build" "$build/cfssim" >"$tmp/cur-build.log" 2>&1 || {
	cat "$tmp/cur-build.log" >&2
	echo "same-output: cannot build the current tree" >&2
	exit 2
}

refbin=$tmp/ref/build/cfssim
curbin=$top/$build/cfssim

# run BIN OUT ARGS...: stdout, then stderr, then the exit status into OUT.
run() {
	bin=$1
	out=$2
	shift 2
	rc=0
	"$bin" "$@" >"$out.stdout" 2>"$out.stderr" || rc=$?
	{
		sed -E 's/("(sim_)?wall_usec": )[0-9]+/\1N/g' "$out.stdout"
		echo "--- stderr"
		cat "$out.stderr"
		echo "--- exit $rc"
	} >"$out"
}

ncase=0
ndiff=0
compare_case() {
	ncase=$((ncase + 1))
	run "$refbin" "$tmp/a" "$@"
	run "$curbin" "$tmp/b" "$@"
	if ! cmp -s "$tmp/a" "$tmp/b"; then
		ndiff=$((ndiff + 1))
		echo "=== differs: cfssim $*"
		diff -u --label "$ref" --label current "$tmp/a" "$tmp/b" |
			head -n 40 || true
	fi
}

for f in scenarios/examples/*.yaml; do
	compare_case "$f"
	compare_case "$f" --json
	compare_case check "$f"
	compare_case check "$f" --json
	for v in 4.19 5.10 6.1 6.18; do
		compare_case "$f" --kernel "$v"
		for s in 1 2; do
			compare_case "$f" --kernel "$v" --seed "$s"
		done
	done
done

echo "same-output: $ncase cases, $ndiff differ"
[ "$ndiff" -eq 0 ]
