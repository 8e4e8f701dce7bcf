# bench_engine_speedup.gp: for every shipped scenario, its duration divided
# by the wall time of `cfssim FILE` (process start to exit), log scale.
#   gnuplot -c bench_engine_speedup.gp CSV OUTDIR
# Reads CSV (engine_speedup.csv from bench_engine); writes
# OUTDIR/bench_engine_speedup.png and .svg.
if (ARGC < 2) {
	print "usage: gnuplot -c bench_engine_speedup.gp CSV OUTDIR"
	exit status 2
}
csv = ARG1
outdir = ARG2
set encoding utf8
set datafile separator ","
set style data histograms
set style fill solid 0.7 border -1
set boxwidth 0.7
set logscale y 10
set yrange [1:*]
set grid ytics lc rgb "#dddddd"
set ylabel "speed-up: scenario duration / wall time of cfssim FILE"
set xtics rotate by -40 noenhanced
unset key
do for [fmt in "png svg"] {
	if (fmt eq "png") {
		set terminal pngcairo size 900,500 enhanced font "sans,10"
	} else {
		set terminal svg size 900,500 dynamic enhanced font "sans,10" background rgb "white"
	}
	set output outdir."/bench_engine_speedup.".fmt
	set title "bench_engine: simulating instead of running" noenhanced
	plot csv every ::1 using 8:xtic(1) lc rgb "#4477aa"
	unset output
}
