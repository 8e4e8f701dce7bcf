# compare.gp: simulated against measured figures, one panel per figure,
# a pair of bars per group, the error (real - sim) / sim written above.
#   gnuplot -c compare.gp DATADIR OUTDIR [TITLE]
# Reads DATADIR/compare.csv (group,figure,unit,sim,real,error_pct,group_id,
# figure_id; error_pct empty when sim is 0 and real is not); writes
# OUTDIR/compare.png and OUTDIR/compare.svg.
if (ARGC < 2) {
	print "usage: gnuplot -c compare.gp DATADIR OUTDIR [TITLE]"
	exit status 2
}
datadir = ARG1
outdir = ARG2
name = (ARGC >= 3 && strlen(ARG3) > 0) ? ARG3 : "cfssim"
set encoding utf8
set datafile separator ","

ngroups = 0
nfigures = 0
nrows = 0
stats datadir."/compare.csv" skip 1 \
	using (nrows = nrows + 1, \
	       ngroups = int($7) + 1 > ngroups ? int($7) + 1 : ngroups, \
	       nfigures = int($8) + 1 > nfigures ? int($8) + 1 : nfigures, 0) \
	nooutput
array gname[ngroups > 0 ? ngroups : 1]
array fname[nfigures > 0 ? nfigures : 1]
array funit[nfigures > 0 ? nfigures : 1]
if (nrows > 0) {
	stats datadir."/compare.csv" skip 1 \
		using (gname[int($7) + 1] = strcol(1), fname[int($8) + 1] = strcol(2), \
		       funit[int($8) + 1] = strcol(3), 0) nooutput
}
errlabel(s) = strlen(s) > 0 ? sprintf("%+.1f%%", real(s)) : "n/a"
max2(a, b) = a > b ? a : b
height = nfigures > 1 ? 100 + 280 * nfigures : 600

set grid ytics lc rgb "#dddddd"
set key outside right top vertical noenhanced
set style fill solid 0.85 noborder
set yrange [0:*]
set offsets 0, 0, graph 0.15, 0
set xrange [-0.6:ngroups - 0.4]
set xlabel "group"

do for [fmt in "png svg"] {
	if (fmt eq "png") {
		set terminal pngcairo size 1200,height noenhanced font "sans,10"
	} else {
		set terminal svg size 1200,height dynamic noenhanced font "sans,10" background rgb "white"
	}
	set output outdir."/compare.".fmt
	if (nrows == 0) {
		set title sprintf("%s: simulated vs measured", name) noenhanced
		set label 1 "no figures to compare" at graph 0.5, 0.5 center
		plot [0:1] [0:1] 2 title "no data"
		unset label 1
	} else {
		set multiplot layout nfigures, 1 title sprintf("%s: simulated vs measured (error = (measured - simulated) / simulated)", name) noenhanced
		set xtics ()
		do for [i = 1:ngroups] { set xtics add (gname[i] i - 1) }
		do for [f = 1:nfigures] {
			set title fname[f] noenhanced
			set ylabel sprintf("%s (%s)", fname[f], funit[f]) noenhanced
			plot datadir."/compare.csv" skip 1 \
				using ($7 - 0.2):(int($8) == f - 1 ? $4 : NaN):(0.38) \
				with boxes lc rgb "#4c72b0" title "simulated", \
			     "" skip 1 \
				using ($7 + 0.2):(int($8) == f - 1 ? $5 : NaN):(0.38) \
				with boxes lc rgb "#dd8452" title "measured", \
			     "" skip 1 \
				using ($7):(int($8) == f - 1 ? max2($4, $5) : NaN):(errlabel(strcol(6))) \
				with labels offset 0, 0.8 font "sans,10" notitle
		}
		unset multiplot
	}
	unset output
}
