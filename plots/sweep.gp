# sweep.gp: one figure of a sweep against one parameter, one line per
# combination of the other parameters' values (the mean over seeds).
#   gnuplot -c sweep.gp DATA.csv OUTSTEM TITLE XLABEL YLABEL XNUMERIC NSERIES
# DATA.csv: a header "x,<series>,...", then one row per x value (NaN where
# a series has no point).  XNUMERIC 1 spaces x by value, 0 by rank with the
# values as labels.  Writes OUTSTEM.png and OUTSTEM.svg.
if (ARGC < 7) {
	print "usage: gnuplot -c sweep.gp DATA.csv OUTSTEM TITLE XLABEL YLABEL XNUMERIC NSERIES"
	exit status 2
}
data = ARG1
xnum = int(ARG6)
n = int(ARG7)
set encoding utf8
set datafile separator ","
set datafile missing "NaN"
set title ARG3 noenhanced
set xlabel ARG4 noenhanced
set ylabel ARG5 noenhanced
set key outside right top vertical noenhanced
set grid
set yrange [0:*]
set offsets graph 0.02, graph 0.02, graph 0.05, 0
do for [fmt in "png svg"] {
	if (fmt eq "png") {
		set terminal pngcairo size 960,560 noenhanced font "sans,10"
	} else {
		set terminal svg size 960,560 dynamic noenhanced font "sans,10" background rgb "white"
	}
	set output ARG2.".".fmt
	if (xnum) {
		plot for [c=2:n+1] data using 1:c with linespoints pt 7 ps 0.6 lw 1.5 title columnhead(c)
	} else {
		plot for [c=2:n+1] data using 0:c:xtic(1) with linespoints pt 7 ps 0.6 lw 1.5 title columnhead(c)
	}
	unset output
}
