# vruntime.gp: two panels for one CPU, sampled whenever a thread stopped
# running there.  Top: each thread's vruntime relative to its own queue's
# min_vruntime (flat at 0 for a thread alone in its group's queue).
# Bottom: the lag of the group entity at the CPU's top level above it,
# weight * (V - vruntime) / 1024 in ms of CPU time (> 0: owed, < 0: ahead;
# classic CFS: against min_vruntime), which is where groups that each hold
# one task compete.
#   gnuplot -c vruntime.gp DATADIR OUTDIR [TITLE [CPU]]
# CPU defaults to 0.  Reads DATADIR/{tasks,groups,vruntime}.csv (cfssim
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

ngroups = 0
stats datadir."/groups.csv" skip 1 using (ngroups = ngroups + 1, 0) nooutput
array gname[ngroups > 0 ? ngroups : 1]
array gsamples[ngroups > 0 ? ngroups : 1]
do for [i = 1:|gsamples|] { gsamples[i] = 0 }
if (ngroups > 0) {
	stats datadir."/groups.csv" skip 1 \
		using (gname[int($1) + 1] = strcol(2), 0) nooutput
}
# top_group_id is -1 for a thread at the top level itself (none today)
stats datadir."/vruntime.csv" skip 1 \
	using (int($3) == cpu && int($9) >= 0 && int($9) < ngroups ? \
	       (gsamples[int($9) + 1] = gsamples[int($9) + 1] + 1) : 0, 0) \
	nooutput
gcolor(i) = hsv2rgb((i - 1.0) / (ngroups > 0 ? ngroups : 1), 0.9, 0.6)

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
		set multiplot layout 2,1 title sprintf("%s: CPU %d", name, cpu) noenhanced
		set title "threads in their group's queue" noenhanced
		set xlabel ""
		set ylabel "vruntime - min_vruntime (ms)"
		plot for [i = 1:ntasks] datadir."/vruntime.csv" skip 1 \
			using ($4 / 1000.0):(int($6) == i - 1 && int($3) == cpu ? $5 / 1000.0 : NaN) \
			with linespoints pt 7 ps 0.6 lw 1 lc rgb color(i) \
			title (tsamples[i] > 0 ? tname[i] : "")
		set title "group entities at the CPU's top level: lag (> 0 owed, < 0 ahead)" noenhanced
		set xlabel "time (ms)"
		set ylabel "lag (ms of CPU)"
		plot for [i = 1:(ngroups > 0 ? ngroups : 1)] datadir."/vruntime.csv" skip 1 \
			using ($4 / 1000.0):(int($9) == i - 1 && int($3) == cpu ? $8 / 1000.0 : NaN) \
			with linespoints pt 7 ps 0.6 lw 1 lc rgb gcolor(i) \
			title (ngroups > 0 && gsamples[i] > 0 ? gname[i] : "")
		unset multiplot
	}
	unset output
}
