# usage.gp: CPU usage of each group over time, stacked (each band is the
# time of the group's own tasks in one time bucket); for every group with a
# quota, its hierarchical usage per period (solid) against its quota
# (dashed), both divided by the group's period (its longest sample, as the
# first and last periods of a run can be cut short), in CPUs.
#   gnuplot -c usage.gp DATADIR OUTDIR [TITLE]
# Reads DATADIR/{groups,usage,periods}.csv (cfssim --timeline); writes
# OUTDIR/usage.png and OUTDIR/usage.svg.
if (ARGC < 2) {
	print "usage: gnuplot -c usage.gp DATADIR OUTDIR [TITLE]"
	exit status 2
}
datadir = ARG1
outdir = ARG2
name = (ARGC >= 3 && strlen(ARG3) > 0) ? ARG3 : "cfssim"
set encoding utf8
set datafile separator ","

ngroups = 0
stats datadir."/groups.csv" skip 1 using (ngroups = ngroups + 1, 0) nooutput
array gname[ngroups > 0 ? ngroups : 1]
array gself[ngroups > 0 ? ngroups : 1]
array gquota[ngroups > 0 ? ngroups : 1]
array glen[ngroups > 0 ? ngroups : 1]
do for [i = 1:|gself|] { gself[i] = 0; gquota[i] = 0; glen[i] = 1 }
if (ngroups > 0) {
	stats datadir."/groups.csv" skip 1 \
		using (gname[int($1) + 1] = strcol(2), 0) nooutput
}
nbuckets = 0
stats datadir."/usage.csv" skip 1 \
	using (nbuckets = nbuckets + 1, gself[int($7) + 1] = gself[int($7) + 1] + $5, 0) \
	nooutput
stats datadir."/periods.csv" skip 1 \
	using (gquota[int($8) + 1] = gquota[int($8) + 1] + 1, \
	       glen[int($8) + 1] = ($3 - $2 > glen[int($8) + 1] ? $3 - $2 : glen[int($8) + 1]), 0) \
	nooutput
color(i) = hsv2rgb((i - 1.0) / (ngroups > 0 ? ngroups : 1), 0.45, 0.95)
dark(i) = hsv2rgb((i - 1.0) / (ngroups > 0 ? ngroups : 1), 0.9, 0.6)

set title sprintf("%s: CPU usage per group (stacked bands); used per period vs quota (lines)", name) noenhanced
set xlabel "time (ms)"
set ylabel "CPU usage (CPUs)"
set yrange [0:*]
set grid ytics lc rgb "#dddddd"
set key outside right top vertical noenhanced
set style fill solid 1.0 noborder

do for [fmt in "png svg"] {
	if (fmt eq "png") {
		set terminal pngcairo size 1200,600 noenhanced font "sans,10"
	} else {
		set terminal svg size 1200,600 dynamic noenhanced font "sans,10" background rgb "white"
	}
	set output outdir."/usage.".fmt
	if (nbuckets == 0) {
		set label 1 "no timeline data" at graph 0.5, 0.5 center
		plot [0:1] [0:1] 2 title "no data"
		unset label 1
	} else {
		plot for [i = 1:ngroups] datadir."/usage.csv" skip 1 \
			using (($2 + $3) / 2000.0):(int($7) == i - 1 && $5 > 0 ? ($6 - $5 / 2) / ($3 - $2) : NaN):(($3 - $2) / 2000.0):($5 / 2 / ($3 - $2)) \
			with boxxyerror lc rgb color(i) fs solid 1.0 border lc rgb color(i) \
			title (gself[i] > 0 ? gname[i] : ""), \
		     for [i = 1:ngroups] datadir."/periods.csv" skip 1 \
			using ($2 / 1000.0):(int($8) == i - 1 ? $5 / glen[i] : NaN):(($3 - $2) / 1000.0):(0) \
			with vectors nohead lw 2 lc rgb dark(i) \
			title (gquota[i] > 0 ? sprintf("%s used / period", gname[i]) : ""), \
		     for [i = 1:ngroups] datadir."/periods.csv" skip 1 \
			using ($2 / 1000.0):(int($8) == i - 1 ? $4 / glen[i] : NaN):(($3 - $2) / 1000.0):(0) \
			with vectors nohead dt 2 lw 2 lc rgb dark(i) \
			title (gquota[i] > 0 ? sprintf("%s quota", gname[i]) : "")
	}
	unset output
}
