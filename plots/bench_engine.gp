# bench_engine.gp: cost of one simulated context switch (wall-clock ns,
# setup excluded) against the number of tasks at 8 CPUs and against the
# number of CPUs at 1000 tasks, for hogs and 20-80 us periodic tasks,
# without and with quotas (8 groups).
#   gnuplot -c bench_engine.gp CSV OUTDIR
# Reads CSV (engine.csv from bench_engine); writes OUTDIR/bench_engine.png
# and OUTDIR/bench_engine.svg.
if (ARGC < 2) {
	print "usage: gnuplot -c bench_engine.gp CSV OUTDIR"
	exit status 2
}
csv = ARG1
outdir = ARG2
set encoding utf8
set datafile separator ","

# one series per (workload, quota); x column 3 (tasks) or 4 (CPUs)
array wl[4] = ["hog", "hog", "periodic", "periodic"]
array qu[4] = [0, 1, 0, 1]
array label[4] = ["hogs", "hogs, quota", "periodic 20-80 us", "periodic, quota"]
series(k, fixcol, fixval) = "< awk -F, -v w=".wl[k]." -v q=".qu[k]. \
	" -v c=".fixcol." -v v=".fixval." 'NR > 1 && $1 == w && $2 == q && $5 == 8 && $c == v' ".csv

set grid xtics ytics mxtics mytics lc rgb "#dddddd"
set key top left
set ylabel "ns per simulated switch (median, setup excluded)"
set yrange [0:*]

do for [fmt in "png svg"] {
	if (fmt eq "png") {
		set terminal pngcairo size 1200,500 enhanced font "sans,10"
	} else {
		set terminal svg size 1200,500 dynamic enhanced font "sans,10" background rgb "white"
	}
	set output outdir."/bench_engine.".fmt
	set multiplot layout 1,2 title "bench_engine: wall-clock cost of a simulated context switch" noenhanced
	set logscale x 10
	set format x "10^{%L}"
	set xlabel "simulated tasks (8 CPUs)"
	set title "against tasks" noenhanced
	plot for [k = 1:4] series(k, 4, 8) using 3:15 with linespoints lw 2 pt k title label[k] noenhanced
	set logscale x 2
	set format x "%g"
	set xlabel "simulated CPUs (1000 tasks)"
	set title "against CPUs" noenhanced
	plot for [k = 1:4] series(k, 3, 1000) using 4:15 with linespoints lw 2 pt k title label[k] noenhanced
	unset multiplot
	unset output
}
