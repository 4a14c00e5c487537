#!/bin/sh
# Regenerate the README's pictures of the HTML report: docs/report.png (the
# example class's report, top of the page) and docs/progress-graph.png (Eli
# Novak's graph in the progress example, cropped from the report). Needs
# Chromium, Python's Pillow (pip install pillow) and, to shrink them, optipng.
set -eu
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo run --quiet -- plan examples/quiz.csv -o "$work/plan.html"
cargo run --quiet -- plan examples/progress.csv -o "$work/progress.html"
# As root Chromium runs only without its sandbox.
sandbox=
if [ "$(id -u)" = 0 ]; then sandbox=--no-sandbox; fi
shot() {
  chromium --headless $sandbox --disable-gpu --hide-scrollbars \
    --user-data-dir="$work/profile" --window-size="$2" --screenshot="$3" "$1"
}
shot "$work/plan.html" 1200,1200 docs/report.png
# The whole progress report fits 1200x2400 (a screenshot of a fragment such as
# progress.html#s-2 comes out blank at the top in headless Chromium, so crop).
shot "$work/progress.html" 1200,2400 "$work/progress.png"
python3 -c "from PIL import Image; import sys; Image.open(sys.argv[1]).crop((104, 1869, 600, 2280)).save(sys.argv[2])" \
  "$work/progress.png" docs/progress-graph.png
if command -v optipng >/dev/null 2>&1; then optipng -quiet -o5 docs/report.png docs/progress-graph.png; fi
ls -l docs/report.png docs/progress-graph.png
