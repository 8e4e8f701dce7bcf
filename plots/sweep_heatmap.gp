# sweep_heatmap.gp: one figure of a two-parameter sweep as a heat map, a
# cell per pair of values (the mean over seeds), its value written in it
# when the grid is small enough to read.
#   gnuplot -c sweep_heatmap.gp DATA.csv OUTSTEM TITLE XLABEL YLABEL ZLABEL XTICS YTICS LABELS
# DATA.csv: a header, then rows "xi,yi,value" (ranks, NaN for no point).
# XTICS and YTICS are gnuplot tic lists ('("10ms" 0, "20ms" 1)').  Writes
# OUTSTEM.png and OUTSTEM.svg.
if (ARGC < 9) {
	print "usage: gnuplot -c sweep_heatmap.gp DATA.csv OUTSTEM TITLE XLABEL YLABEL ZLABEL XTICS YTICS LABELS"
	exit status 2
}
data = ARG1
set encoding utf8
set datafile separator ","
set datafile missing "NaN"
set title ARG3 noenhanced
set xlabel ARG4 noenhanced
set ylabel ARG5 noenhanced
set cblabel ARG6 noenhanced
eval "set xtics ".ARG7." rotate by -45 noenhanced"
eval "set ytics ".ARG8." noenhanced"
set palette defined (0 "#f7fbff", 0.5 "#6baed6", 1 "#08306b")
set tics out nomirror
set key off
set autoscale fix
cell(v) = v >= 100 ? sprintf("%.0f", v) : sprintf("%.3g", v)
do for [fmt in "png svg"] {
	if (fmt eq "png") {
		set terminal pngcairo size 900,640 noenhanced font "sans,10"
	} else {
		set terminal svg size 900,640 dynamic noenhanced font "sans,10" background rgb "white"
	}
	set output ARG2.".".fmt
	if (int(ARG9)) {
		plot data using 1:2:3 skip 1 with image, \
		     data using 1:2:(cell($3)) skip 1 with labels font ",7"
	} else {
		plot data using 1:2:3 skip 1 with image
	}
	unset output
}
