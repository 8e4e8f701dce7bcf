# vruntime.gp: vruntime of each task thread that ran on one CPU, relative
# to its cfs_rq's min_vruntime, sampled whenever the thread stopped running.
#   gnuplot -c vruntime.gp DATADIR OUTDIR [TITLE [CPU]]
# CPU defaults to 0.  Reads DATADIR/{tasks,vruntime}.csv (cfssim
# --timeline); writes OUTDIR/vruntime.png and OUTDIR/vruntime.svg.
if (ARGC < 2) {
	print "usage: gnuplot -c vruntime.gp DATADIR OUTDIR [TITLE [CPU]]"
	exit status 2
}
datadir = ARG1
outdir = ARG2
name = (ARGC >= 3 && strlen(ARG3) > 0) ? ARG3 : "cfssim"
cpu = ARGC >= 4 ? int(ARG4) : 0
set encoding utf8
set datafile separator ","
set datafile missing NaN

ntasks = 0
stats datadir."/tasks.csv" skip 1 using (ntasks = ntasks + 1, 0) nooutput
array tname[ntasks > 0 ? ntasks : 1]
array tsamples[ntasks > 0 ? ntasks : 1]
do for [i = 1:|tsamples|] { tsamples[i] = 0 }
if (ntasks > 0) {
	stats datadir."/tasks.csv" skip 1 \
		using (tname[int($1) + 1] = sprintf("%s/%s#%d", strcol(2), strcol(3), int($4)), 0) \
		nooutput
}
nsamples = 0
stats datadir."/vruntime.csv" skip 1 \
	using (int($3) == cpu ? (nsamples = nsamples + 1, tsamples[int($6) + 1] = tsamples[int($6) + 1] + 1) : 0, 0) \
	nooutput
color(i) = hsv2rgb((i - 1.0) / (ntasks > 0 ? ntasks : 1), 0.8, 0.75)

set title sprintf("%s: vruntime of the tasks on CPU %d", name, cpu) noenhanced
set xlabel "time (ms)"
set ylabel "vruntime - min_vruntime (ms)"
set grid lc rgb "#dddddd"
set key outside right top vertical noenhanced

do for [fmt in "png svg"] {
	if (fmt eq "png") {
		set terminal pngcairo size 1200,600 noenhanced font "sans,10"
	} else {
		set terminal svg size 1200,600 dynamic noenhanced font "sans,10" background rgb "white"
	}
	set output outdir."/vruntime.".fmt
	if (nsamples == 0) {
		set label 1 sprintf("no vruntime samples on CPU %d", cpu) at graph 0.5, 0.5 center
		plot [0:1] [0:1] 2 title "no data"
		unset label 1
	} else {
		plot for [i = 1:ntasks] datadir."/vruntime.csv" skip 1 \
			using ($4 / 1000.0):(int($6) == i - 1 && int($3) == cpu ? $5 / 1000.0 : NaN) \
			with linespoints pt 7 ps 0.6 lw 1 lc rgb color(i) \
			title (tsamples[i] > 0 ? tname[i] : "")
	}
	unset output
}
