#!/bin/sh
# Checks tools/kernel-matrix's table step (-t) in a scratch copy of the
# tree: raw results become one CSV row per figure with the judge's verdict;
# a figure outside its window that bench/kernel-matrix/machine.txt explains
# gets "the VM's" and the reason, matched by kernel prefix (6.1. is not
# 6.12), scenario and figure, and nothing else is touched; rows of a mode
# with no raw results here are kept; the summary counts the verdicts.
# Needs jq (skipped without it).  Prints cmocka's summary lines for
# tools/run-tests.sh.
set -u
cd "$(dirname "$0")/.." || exit 1
command -v jq >/dev/null || { echo "test_kernel_matrix: no jq"; exit 77; }
. tests/harness.sh

check() { # test name, pattern of the CSV row it expects
	if grep -q -- "$2" "$tmp/bench/results/kernel-matrix.csv"; then
		ok "$1"
	else
		bad "$1" "no row matching '$2'"
	fi
}

mkdir -p "$tmp/tools" "$tmp/bench/results" "$tmp/bench/kernel-matrix" \
	"$tmp/docs" "$tmp/build/kernel-matrix/tcg/6.1.0-1-amd64" \
	"$tmp/build/kernel-matrix/tcg/6.12.9-amd64"
cp tools/kernel-matrix "$tmp/tools/"
# one figure outside on each kernel, one inside, one not modelled
row() { # figure, sim, real, pass, not_modelled reason or null
	printf '{"group":"g","task":null,"index":0,"figure":"%s","sim":%s,' \
		"$1" "$2"
	printf '"sim_min":%s,"sim_max":%s,"real_mean":%s,"real_sd":0,' \
		"$2" "$2" "$3"
	printf '"abs_err":0,"rel_err":0,"tolerance":"2%%","pass":%s,' "$4"
	printf '"not_modelled":%s}' "$5"
}
for k in 6.1.0-1-amd64 6.12.9-amd64; do
	{
		printf '{"diff":['
		row usage_usec 100 150 false null
		printf ','
		row nr_periods 30 30 true null
		printf ','
		row wait_usec 10 90 false '"spread"'
		printf ']}\n'
	} >"$tmp/build/kernel-matrix/tcg/$k/probe.json"
	echo 1 >"$tmp/build/kernel-matrix/tcg/$k/probe.rc"
done
cat >"$tmp/bench/kernel-matrix/machine.txt" <<'EOF'
# comment
6.12. probe usage_usec the VM did it, measured
6. probe nr_periods never applies: that row is inside
EOF
# a kept row: mode icount has no raw directory here
cat >"$tmp/bench/results/kernel-matrix.csv" <<'EOF'
mode,kernel,scenario,row,figure,sim,sim_min,sim_max,real,real_sd,abs_err,rel_err,tolerance,verdict,note
"icount","6.12.9-amd64","old","g","usage_usec",1,1,1,1,0,0,0,"5%","ok",""
EOF
printf '# t\n\n<!-- matrix:begin -->\n<!-- matrix:end -->\n\nafter\n' \
	>"$tmp/docs/kernel-matrix.md"

echo "[==========] Running 7 test(s)."
if sh "$tmp/tools/kernel-matrix" -t 2>"$tmp/err"; then
	ok table_step_runs
else
	bad table_step_runs "$(cat "$tmp/err")"
fi
check outside_on_6_12_is_the_vms \
	'"6.12.9-amd64","probe","g","usage_usec",.*,"the VM'"'"'s","the VM did it, measured"'
check outside_on_6_1_stays_outside \
	'"6.1.0-1-amd64","probe","g","usage_usec",.*,"outside",""'
check inside_stays_ok '"6.12.9-amd64","probe","g","nr_periods",.*,"ok",""'
check not_modelled_keeps_reason \
	'"6.1.0-1-amd64","probe","g","wait_usec",.*,"not modelled","spread"'
check row_without_raw_results_kept '"icount","6.12.9-amd64","old"'
# summary: figures ok outside the-VM's not-modelled
if grep -q '^| tcg | 6.12.9-amd64 | 3 | 1 | 0 | 1 | 1 | 0 | 0 |$' \
	"$tmp/docs/kernel-matrix.md" &&
	grep -q '^| tcg | 6.1.0-1-amd64 | 3 | 1 | 1 | 0 | 1 | 0 | 0 |$' \
		"$tmp/docs/kernel-matrix.md" &&
	grep -q '^after$' "$tmp/docs/kernel-matrix.md"; then
	ok summary_counts_each_verdict
else
	bad summary_counts_each_verdict "$(grep '^| tcg' "$tmp/docs/kernel-matrix.md")"
fi

finish 7
