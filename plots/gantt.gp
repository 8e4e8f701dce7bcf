# gantt.gp: which task thread ran on each CPU, over a window of time.
#   gnuplot -c gantt.gp DATADIR OUTDIR [TITLE [START_US END_US]]
# The window defaults to the first 200 ms.  Reads DATADIR/{tasks,slices}.csv
# (cfssim --timeline); writes OUTDIR/gantt.png and OUTDIR/gantt.svg.
if (ARGC < 2) {
	print "usage: gnuplot -c gantt.gp DATADIR OUTDIR [TITLE [START_US END_US]]"
	exit status 2
}
datadir = ARG1
outdir = ARG2
name = (ARGC >= 3 && strlen(ARG3) > 0) ? ARG3 : "cfssim"
wstart = ARGC >= 5 ? real(ARG4) : 0.0
wend = ARGC >= 5 ? real(ARG5) : 200000.0
set encoding utf8
set datafile separator ","

ntasks = 0
stats datadir."/tasks.csv" skip 1 using (ntasks = ntasks + 1, 0) nooutput
array tname[ntasks > 0 ? ntasks : 1]
array tslices[ntasks > 0 ? ntasks : 1]
do for [i = 1:|tslices|] { tslices[i] = 0 }
if (ntasks > 0) {
	stats datadir."/tasks.csv" skip 1 \
		using (tname[int($1) + 1] = sprintf("%s/%s#%d", strcol(2), strcol(3), int($4)), 0) \
		nooutput
}
ncpus = 1
nslices = 0
inwin(s, e) = e > wstart && s < wend
stats datadir."/slices.csv" skip 1 \
	using (ncpus = int($3) + 1 > ncpus ? int($3) + 1 : ncpus, \
	       inwin($4, $5) ? (nslices = nslices + 1, tslices[int($7) + 1] = tslices[int($7) + 1] + 1) : 0, 0) \
	nooutput
color(i) = hsv2rgb((i - 1.0) / (ntasks > 0 ? ntasks : 1), 0.55, 0.9)
height = 200 + 60 * ncpus + 16 * ntasks
height = height < 400 ? 400 : height

set title sprintf("%s: tasks on each CPU, %.1f to %.1f ms", name, wstart / 1000.0, wend / 1000.0) noenhanced
set xlabel "time (ms)"
set ylabel "CPU"
set xrange [wstart / 1000.0:wend / 1000.0]
set yrange [-0.6:ncpus - 0.4]
set ytics 1
set grid xtics lc rgb "#dddddd"
set key outside right top vertical noenhanced
set style fill solid 1.0 noborder

do for [fmt in "png svg"] {
	if (fmt eq "png") {
		set terminal pngcairo size 1200,height noenhanced font "sans,10"
	} else {
		set terminal svg size 1200,height dynamic noenhanced font "sans,10" background rgb "white"
	}
	set output outdir."/gantt.".fmt
	if (nslices == 0) {
		set label 1 "no task ran in this window" at graph 0.5, 0.5 center
		plot 1 / 0 title "no data"
		unset label 1
	} else {
		plot for [i = 1:ntasks] datadir."/slices.csv" skip 1 \
			using (($4 + $5) / 2000.0):(int($7) == i - 1 && inwin($4, $5) ? $3 : NaN):(($5 - $4) / 2000.0):(0.35) \
			with boxxyerror lc rgb color(i) \
			title (tslices[i] > 0 ? tname[i] : "")
	}
	unset output
}
