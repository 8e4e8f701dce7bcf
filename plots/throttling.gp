# throttling.gp: CFS bandwidth per period for every group with a quota, one
# panel per group: runtime used in the period against the quota handed out,
# the throttled time accounted in it, and a mark over each period that
# counted in nr_throttled.
#   gnuplot -c throttling.gp DATADIR OUTDIR [TITLE]
# Reads DATADIR/{groups,periods}.csv (cfssim --timeline); writes
# OUTDIR/throttling.png and OUTDIR/throttling.svg.
if (ARGC < 2) {
	print "usage: gnuplot -c throttling.gp DATADIR OUTDIR [TITLE]"
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
array gperiods[ngroups > 0 ? ngroups : 1]
array gthrottled[ngroups > 0 ? ngroups : 1]
do for [i = 1:|gperiods|] { gperiods[i] = 0; gthrottled[i] = 0 }
if (ngroups > 0) {
	stats datadir."/groups.csv" skip 1 \
		using (gname[int($1) + 1] = strcol(2), 0) nooutput
}
stats datadir."/periods.csv" skip 1 \
	using (gperiods[int($8) + 1] = gperiods[int($8) + 1] + 1, \
	       gthrottled[int($8) + 1] = gthrottled[int($8) + 1] + $7, 0) nooutput
npanels = 0
do for [i = 1:|gperiods|] { if (gperiods[i] > 0) { npanels = npanels + 1 } }
max2(a, b) = a > b ? a : b
top(q, u, t) = 1.08 * max2(q, max2(u, t)) / 1000.0
height = npanels > 1 ? 120 + 300 * npanels : 600

set xlabel "period start (ms)"
set ylabel "time per period (ms)"
set yrange [0:*]
set offsets 0, 0, graph 0.12, 0
set grid ytics lc rgb "#dddddd"
set key outside right top vertical noenhanced
set style fill solid 0.8 noborder

do for [fmt in "png svg"] {
	if (fmt eq "png") {
		set terminal pngcairo size 1200,height noenhanced font "sans,10"
	} else {
		set terminal svg size 1200,height dynamic noenhanced font "sans,10" background rgb "white"
	}
	set output outdir."/throttling.".fmt
	if (npanels == 0) {
		set title sprintf("%s: CFS bandwidth per period", name) noenhanced
		set label 1 "no group has a quota" at graph 0.5, 0.5 center
		plot [0:1] [0:1] 2 title "no data"
		unset label 1
	} else {
		set multiplot layout npanels, 1 title sprintf("%s: CFS bandwidth per period", name) noenhanced
		do for [i = 1:ngroups] {
			if (gperiods[i] > 0) {
				g = i - 1
				set title sprintf("group %s: %d periods, %d throttled", gname[i], gperiods[i], gthrottled[i]) noenhanced
				plot datadir."/periods.csv" skip 1 \
					using ($2 / 1000.0 + ($3 - $2) / 4000.0):(int($8) == g ? $5 / 1000.0 : NaN):(($3 - $2) / 2500.0) \
					with boxes lc rgb "#4c72b0" title "runtime used", \
				     "" skip 1 \
					using ($2 / 1000.0 + 3 * ($3 - $2) / 4000.0):(int($8) == g ? $6 / 1000.0 : NaN):(($3 - $2) / 2500.0) \
					with boxes lc rgb "#dd8452" title "throttled time", \
				     "" skip 1 \
					using ($2 / 1000.0):(int($8) == g ? $4 / 1000.0 : NaN):(($3 - $2) / 1000.0):(0) \
					with vectors nohead dt 2 lw 2 lc rgb "#222222" title "quota", \
				     "" skip 1 \
					using (($2 + $3) / 2000.0):(int($8) == g && $7 > 0 ? top($4, $5, $6) : NaN) \
					with points pt 9 ps 1.2 lc rgb "#c44e52" title "throttled period"
			}
		}
		unset multiplot
	}
	unset output
}
