#!/bin/sh
# Renders Parley's icons (bundles/org.parley.ui/icons/src/*.svg, drawn by hand on a 16x16 grid) to the PNGs the
# bundles load: NAME.png (16 px) and NAME@2x.png (32 px, picked by SWT on HiDPI screens), plus larger window
# icons of the logo. Needs ImageMagick (apt-get install imagemagick). The PNGs are committed.
set -eu
cd "$(dirname "$0")/../../bundles/org.parley.ui/icons"
for svg in src/*.svg; do
  name=$(basename "$svg" .svg)
  convert -background none -density 96 "$svg" -resize 16x16 "$name.png"
  convert -background none -density 192 "$svg" -resize 32x32 "$name@2x.png"
done
for size in 32 48 64 128; do
  convert -background none -density 1200 src/parley.svg -resize ${size}x${size} "parley-$size.png"
done
