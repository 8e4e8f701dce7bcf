# latency_cdf.gp: the distribution of response times of every task with
# latency (requests, or a periodic task's activations): the share of
# requests answered within each time, on a log scale.  With a second data
# directory (the real run of --compare) its curves are drawn dashed beside
# the first's.
#   gnuplot -c latency_cdf.gp DATADIR OUTDIR [TITLE [OTHERDIR]]
# Reads DATADIR/latency_cdf.csv (cfssim --timeline); writes
# OUTDIR/latency_cdf.png and OUTDIR/latency_cdf.svg.
if (ARGC < 2) {
	print "usage: gnuplot -c latency_cdf.gp DATADIR OUTDIR [TITLE [OTHERDIR]]"
	exit status 2
}
datadir = ARG1
outdir = ARG2
name = (ARGC >= 3 && strlen(ARG3) > 0) ? ARG3 : "cfssim"
other = (ARGC >= 4 && strlen(ARG4) > 0) ? ARG4."/latency_cdf.csv" : ""
file = datadir."/latency_cdf.csv"
set encoding utf8
set datafile separator ","

# one block per task, its first line the task's name
ntasks = 0
stats file using (0) nooutput
ntasks = STATS_blocks
sim_label = strlen(other) ? " (sim)" : ""

set xlabel "latency (ms)"
set ylabel "share of requests answered"
set logscale x
set yrange [0:1.02]
set grid xtics ytics mxtics lc rgb "#dddddd"
set key right bottom noenhanced

do for [fmt in "png svg"] {
	if (fmt eq "png") {
		set terminal pngcairo size 1000,600 noenhanced font "sans,10"
	} else {
		set terminal svg size 1000,600 dynamic noenhanced font "sans,10" background rgb "white"
	}
	set output outdir."/latency_cdf.".fmt
	set title name.": latency distribution per task"
	if (strlen(other)) {
		plot for [i = 0:ntasks - 1] file index i using ($1 / 1000.0):2 \
			with steps lw 2 lc i + 1 \
			title columnheader(1).sim_label, \
		     for [i = 0:ntasks - 1] other index i using ($1 / 1000.0):2 \
			with steps lw 2 dt 2 lc i + 1 \
			title columnheader(1)." (real)"
	} else {
		plot for [i = 0:ntasks - 1] file index i using ($1 / 1000.0):2 \
			with steps lw 2 lc i + 1 title columnheader(1)
	}
	unset output
}
