# latency_time.gp: every request's latency at its arrival time, one panel
# per task, over the throttled stretches of the periods of the task's group
# (shaded: the period's throttled time, as if on one CPU, before its end,
# where a throttled queue waits), so that spikes line up with throttling.
#   gnuplot -c latency_time.gp DATADIR OUTDIR [TITLE]
# Reads DATADIR/{requests,periods}.csv (cfssim --timeline); writes
# OUTDIR/latency_time.png and OUTDIR/latency_time.svg.
if (ARGC < 2) {
	print "usage: gnuplot -c latency_time.gp DATADIR OUTDIR [TITLE]"
	exit status 2
}
datadir = ARG1
outdir = ARG2
name = (ARGC >= 3 && strlen(ARG3) > 0) ? ARG3 : "cfssim"
file = datadir."/requests.csv"
periods = datadir."/periods.csv"
set encoding utf8
set datafile separator ","

tasks = " "
groups = " "
add(t, g) = strstrt(tasks, " ".t." ") ? 0 : (tasks = tasks.t." ", groups = groups.g." ", 0)
stats file skip 1 using (add(strcol(1)."/".strcol(2), strcol(1))) nooutput
ntasks = words(tasks)
mine(i) = (strcol(1)."/".strcol(2) eq word(tasks, i)) ? $5 / 1000.0 : 1/0
nperiods = 0
stats periods skip 1 using (nperiods = nperiods + 1, 0) nooutput
ingroup(i) = (nperiods > 0 && strcol(1) eq word(groups, i) && $6 > 0)
max2(a, b) = a > b ? a : b
stats file skip 1 using 8 nooutput
ytop = STATS_max * 1.05 / 1000.0
height = ntasks > 1 ? 120 + 300 * ntasks : 600

set xlabel "arrival (ms)"
set ylabel "latency (ms)"
set yrange [0:ytop]
set grid ytics lc rgb "#dddddd"
set key outside right top vertical noenhanced
set style fill solid 0.35 noborder

do for [fmt in "png svg"] {
	if (fmt eq "png") {
		set terminal pngcairo size 1200,height noenhanced font "sans,10"
	} else {
		set terminal svg size 1200,height dynamic noenhanced font "sans,10" background rgb "white"
	}
	set output outdir."/latency_time.".fmt
	set multiplot layout ntasks, 1 title name.": latency over time"
	do for [i = 1:ntasks] {
		set title word(tasks, i)
		if (nperiods > 0) {
			plot periods skip 1 using \
				(ingroup(i) ? max2($2, $3 - $6) / 1000.0 : 1/0):(0): \
				(max2($2, $3 - $6) / 1000.0):($3 / 1000.0): \
				(0):(ytop) with boxxyerror lc rgb "#f4a582" \
				title "throttled (per period)", \
			     file skip 1 using (mine(i)):($8 / 1000.0) \
				with points pt 7 ps 0.4 lc rgb "#2166ac" \
				title "request"
		} else {
			plot file skip 1 using (mine(i)):($8 / 1000.0) \
				with points pt 7 ps 0.4 lc rgb "#2166ac" \
				title "request"
		}
	}
	unset multiplot
	unset output
}
