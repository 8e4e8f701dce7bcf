#!/bin/sh
# Measures cfssim sweep: a 1000-point sweep (web's quota x batch's shares)
# of bench/sweep-20-tasks.yaml (20 threads, 10 s, 2 CPUs) with -j 2 and
# with -j 1.  Prints, for each, the wall and CPU time, points per second
# and the load average before and after, then the speed-up.
#   tools/bench-sweep.sh [BUILD]
set -eu
build=${1:-build}
cfssim=$build/cfssim
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
run() {
	j=$1
	echo "-j $j: start $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
	/usr/bin/time -f "%e %U %S" -o "$dir/time" "$cfssim" sweep \
		bench/sweep-20-tasks.yaml --set web.quota=10ms..1000ms/10ms \
		--set batch.shares=100..1000/100 -j "$j" -o "$dir/j$j.jsonl"
	read -r wall user sys <"$dir/time"
	n=$(wc -l <"$dir/j$j.jsonl")
	awk -v j="$j" -v n="$n" -v w="$wall" -v u="$user" -v s="$sys" \
		-v l="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN {
		printf "-j %s: %d points in %.2f s wall, %.2f s user + %.2f s sys; %.1f points/s, %.2f ms CPU per point; load after %s\n",
			j, n, w, u, s, n / w, (u + s) * 1000 / n, l }'
	eval "wall$j=$wall"
}
run 2
run 1
awk -v a="$wall1" -v b="$wall2" 'BEGIN { printf "speed-up of -j 2 over -j 1: %.2f\n", a / b }'
# both runs hold the same points, line for line once sorted by id
sort -t' ' -k2,2n "$dir/j1.jsonl" >"$dir/s1"
sort -t' ' -k2,2n "$dir/j2.jsonl" >"$dir/s2"
cmp -s "$dir/s1" "$dir/s2" && echo "-j 1 and -j 2 wrote the same points" ||
	{ echo "bench-sweep: -j 1 and -j 2 differ" >&2; exit 1; }
