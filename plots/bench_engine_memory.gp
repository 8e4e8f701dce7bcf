# bench_engine_memory.gp: peak RSS per simulated task (bytes, the run with
# no task subtracted) against the number of periodic tasks on 8 CPUs.
#   gnuplot -c bench_engine_memory.gp CSV OUTDIR
# Reads CSV (engine_memory.csv from bench_engine); writes
# OUTDIR/bench_engine_memory.png and .svg.
if (ARGC < 2) {
	print "usage: gnuplot -c bench_engine_memory.gp CSV OUTDIR"
	exit status 2
}
csv = ARG1
outdir = ARG2
set encoding utf8
set datafile separator ","
set grid xtics ytics mxtics lc rgb "#dddddd"
set logscale x 10
set format x "10^{%L}"
set xlabel "simulated tasks (periodic, 8 CPUs)"
set ylabel "bytes per task (peak RSS)"
set yrange [0:*]
set key bottom right
do for [fmt in "png svg"] {
	if (fmt eq "png") {
		set terminal pngcairo size 700,450 enhanced font "sans,10"
	} else {
		set terminal svg size 700,450 dynamic enhanced font "sans,10" background rgb "white"
	}
	set output outdir."/bench_engine_memory.".fmt
	set title "bench_engine: memory per simulated task" noenhanced
	plot csv every ::1 using 1:4 with linespoints lw 2 pt 7 title "peak RSS / task", \
		256 with lines dt 2 lc rgb "#cc0000" title "target 256 B"
	unset output
}
