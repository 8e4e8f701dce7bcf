#!/bin/sh
# Runs every benchmark program BUILD/bench/bench_* (each writes its own CSV
# into BUILD/bench/), after printing the machine, compiler and flags; copies
# the CSVs and that description into bench/results/ and draws each
# plots/bench_NAME.gp from bench/results/NAME.csv.  Usage:
# tools/run-bench.sh BUILD (what `make bench` runs).  With BENCH_FULL=1 in
# the environment (make bench-full) bench_engine also runs its long cells.
set -u
build=${1:-build}
out=$build/bench
results=bench/results
mkdir -p "$out" "$results"

set -- "$out"/bench_*
progs=""
for p in "$@"; do
	case $p in *.o | *.d | *.txt | *.csv) continue ;; esac
	[ -f "$p" ] && [ -x "$p" ] && progs="$progs $p"
done
if [ -z "$progs" ]; then
	echo "run-bench: no benchmark programs in '$out'; run make bench" >&2
	exit 1
fi

env=$out/environment.txt
{
	echo "date:     $(date -u '+%Y-%m-%d %H:%M UTC')"
	commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
	git diff --quiet HEAD -- rbtree sim "bench/*.c" 2>/dev/null || commit="$commit (modified)"
	echo "commit:   $commit"
	cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
	echo "cpu:      ${cpu:-unknown}, $(nproc) cores online"
	echo "caches:   $(lscpu 2>/dev/null | awk -F: '/^L[123][di]? cache/ {gsub(/^ +/, "", $2); printf "%s %s; ", $1, $2}')"
	echo "kernel:   $(uname -sr)"
	echo "compiler: $(${CC:-cc} --version | head -n 1)"
	for p in $progs; do
		name=$(basename "$p")
		# the exact compile line make used for this program
		line=$(make -s -n -B BUILD="$build" "$build/bench/$name.o" 2>/dev/null |
			grep -e ' -c ' | tail -n 1)
		echo "flags:    $name: ${line:-unknown}"
	done
} >"$env"
cat "$env"
echo

failed=0
for p in $progs; do
	name=$(basename "$p")
	echo "== $name"
	full=""
	[ "${BENCH_FULL:-0}" = 1 ] && [ "$name" = bench_engine ] && full=-f
	if ! "$p" $full "$out" | tee "$out/$name.txt"; then
		echo "run-bench: '$name' failed" >&2
		failed=$((failed + 1))
	fi
	echo
done

cp "$env" "$results/environment.txt"
for csv in "$out"/*.csv; do
	[ -e "$csv" ] || continue
	cp "$csv" "$results/"
	echo "run-bench: $results/$(basename "$csv")"
done

for gp in plots/bench_*.gp; do
	[ -e "$gp" ] || continue
	name=$(basename "$gp" .gp)
	csv=$results/${name#bench_}.csv
	if [ ! -e "$csv" ]; then
		echo "run-bench: no '$csv' for '$gp'" >&2
		continue
	fi
	if gnuplot -c "$gp" "$csv" "$results"; then
		echo "run-bench: $results/$name.png $results/$name.svg"
	else
		echo "run-bench: gnuplot failed on '$gp'" >&2
		failed=$((failed + 1))
	fi
done
[ "$failed" -eq 0 ]
