#!/bin/sh
# Cuts DejaVu Sans Condensed down to the Latin alphabets, punctuation and the
# euro sign (the -Latin fonts the notices embed when their text fits; see
# latinRanges in ../notice.go, which must list the same ranges).
# Needs fontTools (Debian: python3-fonttools).
set -e
cd "$(dirname "$0")"
for f in DejaVuSansCondensed DejaVuSansCondensed-Bold; do
	python3 -m fontTools.subset "$f.ttf" --unicodes="U+0020-007E,U+00A0-024F,U+2010-2027,U+2030,U+2039-203A,U+20AC,U+2122" \
		--layout-features='' --no-hinting --output-file="$f-Latin.ttf"
done
