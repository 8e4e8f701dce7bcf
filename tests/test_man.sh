#!/bin/sh
# Checks the manual pages: each formats without a single groff warning
# (groff -ww, tables through tbl) and through man -l, and cfssim(1) names
# every command and option that `cfssim --help` lists, so the page cannot
# fall behind the program.  Prints cmocka's summary lines for
# tools/run-tests.sh.  The build directory is $CFSSIM_BUILD (default build).
set -u
cd "$(dirname "$0")/.." || exit 1
build=${CFSSIM_BUILD:-build}
. tests/harness.sh

pages="docs/man/cfssim.1 docs/man/cfssim-scenario.5"
echo "[==========] Running 5 test(s)."

for page in $pages; do
	name=groff_without_warnings_$(basename "$page")
	if groff -t -man -Tutf8 -ww -z "$page" >"$tmp/groff" 2>&1 &&
		[ ! -s "$tmp/groff" ]; then
		ok "$name"
	else
		sed 's/^/    /' "$tmp/groff"
		bad "$name" "groff warns about $page"
	fi
	name=man_l_$(basename "$page")
	if MANWIDTH=80 man --warnings -l "$page" >"$tmp/out" 2>"$tmp/err" &&
		[ ! -s "$tmp/err" ] && grep -q NAME "$tmp/out"; then
		ok "$name"
	else
		sed 's/^/    /' "$tmp/err"
		bad "$name" "man -l $page fails or warns"
	fi
done

# Every command of the usage ("cfssim NAME ...") and every long option of
# --help must appear in cfssim(1), where roff writes "-" as "\-".
name=cfssim_1_covers_help
"$build/cfssim" --help >"$tmp/help" 2>&1
missing=""
for c in $(sed -n 's/^\(usage:\)\{0,1\} *cfssim \[\{0,1\}\([a-z]*\).*/\2/p' \
	"$tmp/help"); do
	grep -q "^\.B[IR]* \"*\[* *$c\b" docs/man/cfssim.1 ||
		grep -q "^\.RB \[ $c \]" docs/man/cfssim.1 ||
		missing="$missing $c"
done
for opt in $(grep -o -- '--[a-z-]*' "$tmp/help" | sort -u); do
	roff=$(printf '%s' "$opt" | sed 's/-/\\\\-/g')
	grep -q -- "$roff" docs/man/cfssim.1 || missing="$missing $opt"
done
if [ -s "$tmp/help" ] && [ -z "$missing" ]; then
	ok "$name"
else
	bad "$name" "cfssim(1) lacks:$missing"
fi

finish 5
