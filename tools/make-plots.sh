#!/bin/sh
# Regenerates the pictures of every shipped scenario: for each
# scenarios/examples/NAME.yaml runs `cfssim plot` into BUILD/plots/NAME/
# (CSV data, PNG and SVG).  Usage: tools/make-plots.sh BUILD
set -u
build=${1:-build}
cfssim=$build/cfssim
if [ ! -x "$cfssim" ]; then
	echo "make-plots: '$cfssim' not built; run make first" >&2
	exit 1
fi
set -- scenarios/examples/*.yaml
if [ ! -e "$1" ]; then
	echo "make-plots: no scenarios in scenarios/examples" >&2
	exit 1
fi
failed=0 done=0
for f in "$@"; do
	name=$(basename "$f" .yaml)
	out=$build/plots/$name
	rm -rf "$out"
	if "$cfssim" plot "$f" -o "$out" >/dev/null; then
		echo "make-plots: $out"
		done=$((done + 1))
	else
		echo "make-plots: '$f' failed" >&2
		failed=$((failed + 1))
	fi
done
echo "make-plots: $done scenarios drawn, $failed failed"
[ "$failed" -eq 0 ]
