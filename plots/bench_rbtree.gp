# bench_rbtree.gp: nanoseconds per operation against tree size for cfssim's
# red-black tree, BSD tree.h, glibc tsearch and a binary heap (the floor),
# one panel per loop (cfs_cycle: pick the minimum, advance its key,
# reinsert; random: move a random element), both axes logarithmic.
#   gnuplot -c bench_rbtree.gp CSV OUTDIR
# Reads CSV (impl,loop,n,ns_per_op from bench_rbtree); writes
# OUTDIR/bench_rbtree.png and OUTDIR/bench_rbtree.svg.
if (ARGC < 2) {
	print "usage: gnuplot -c bench_rbtree.gp CSV OUTDIR"
	exit status 2
}
csv = ARG1
outdir = ARG2
set encoding utf8
set datafile separator ","

impls = "cfssim bsd glibc heap"
array label[4] = ["cfssim rbtree", "BSD tree.h RB", "glibc tsearch", "binary heap (floor)"]
loops = "cfs_cycle random"
# one row per (impl, loop) pair, so lines join only that pair's points
select(impl, loop) = "< awk -F, -v i=".impl." -v l=".loop. \
	" 'NR > 1 && $1 == i && $2 == l' ".csv

set logscale xy
set xlabel "elements in the structure (n)"
set ylabel "ns per operation (median)"
set grid xtics ytics mxtics mytics lc rgb "#dddddd"
set key top left
set format x "10^{%L}"
set xrange [50:2000000]

do for [fmt in "png svg"] {
	if (fmt eq "png") {
		set terminal pngcairo size 1200,500 enhanced font "sans,10"
	} else {
		set terminal svg size 1200,500 dynamic enhanced font "sans,10" background rgb "white"
	}
	set output outdir."/bench_rbtree.".fmt
	set multiplot layout 1,2 title "bench_rbtree: cost of one operation" noenhanced
	do for [loop in loops] {
		set title (loop eq "cfs_cycle" ? \
			"cfs_cycle: take the minimum, erase, advance its key, reinsert" : \
			"random: erase a random element, new key, reinsert") noenhanced
		plot for [k = 1:words(impls)] select(word(impls, k), loop) \
			using 3:4 with linespoints lw 2 pt k title label[k] noenhanced
	}
	unset multiplot
	unset output
}
