#!/bin/sh
# Guards the README's tour against drifting from the program.  The tour
# shows a scenario (a ```yaml block), names the command that runs it (the
# `build/cfssim ...` in the line ending "prints:") and shows the output (the
# fenced block after that line).  This runs the named command, and the
# scenario block itself, and compares both outputs with the block, byte for
# byte.  Prints cmocka's summary lines for tools/run-tests.sh.
# Usage: tests/test_readme.sh (from the top of the repository; the build
# directory is $CFSSIM_BUILD, default build).
set -u
cd "$(dirname "$0")/.." || exit 1
build=${CFSSIM_BUILD:-build}
readme=README.md
. tests/harness.sh

# The tour's section: from "## A tour" to the next "## ".
sed -n '/^## A tour/,/^## [^A]/p' "$readme" >"$tmp/tour"

# The output block: the first fence after the line ending in "prints:".
awk '/prints:$/ { want = 1; next }
     want == 1 && /^```/ { want = 2; next }
     want == 2 && /^```/ { exit }
     want == 2 { print }' "$tmp/tour" >"$tmp/expected"

# The command: the `build/cfssim ...` in the paragraph that ends "prints:".
cmd=$(awk '/^$/ { para = "" } { para = para " " $0 }
	   /prints:$/ { print para; exit }' "$tmp/tour" |
	sed -n 's/.*`\(build\/cfssim [^`]*\)`.*/\1/p')

# The scenario: the first ```yaml block of the tour.
awk '/^```yaml/ { on = 1; next } on && /^```/ { exit } on { print }' \
	"$tmp/tour" >"$tmp/scenario.yaml"

echo "[==========] Running 3 test(s)."

name=readme_tour_has_command_and_output
if [ -z "$cmd" ] || [ ! -s "$tmp/expected" ] || [ ! -s "$tmp/scenario.yaml" ]
then
	bad $name "README.md's tour lacks the command, output or scenario"
else
	ok $name
fi

# The command is run as written, with build/ replaced by the build
# directory under test (make asan builds into build/asan).
name=readme_tour_command_prints_the_block
set -- ${cmd#build/cfssim }
if [ -n "$cmd" ] && "$build/cfssim" "$@" >"$tmp/got" 2>"$tmp/err" &&
	cmp -s "$tmp/expected" "$tmp/got"; then
	ok $name
else
	diff -u "$tmp/expected" "$tmp/got" | sed 's/^/    /'
	sed 's/^/    stderr: /' "$tmp/err"
	bad $name "'$cmd' does not print README.md's block"
fi

# The yaml block, saved under the example's name (a scenario is named after
# its file), must be the example: same output.
name=readme_tour_scenario_prints_the_block
mkdir -p "$tmp/s"
scen=$tmp/s/$(basename "${cmd#build/cfssim }")
cp "$tmp/scenario.yaml" "$scen"
if "$build/cfssim" "$scen" >"$tmp/got2" 2>"$tmp/err2" &&
	cmp -s "$tmp/expected" "$tmp/got2"; then
	ok $name
else
	diff -u "$tmp/expected" "$tmp/got2" | sed 's/^/    /'
	sed 's/^/    stderr: /' "$tmp/err2"
	bad $name "the tour's yaml block does not print the same block"
fi

finish 3
