#!/usr/bin/env bash
# Peak memory of each reader, for the README's "Memory" table (issue 12).
#
#   benches/memory.sh [TIERPLAN] [DIR]
#
# Generates the inputs with benches/memory_gen.py into DIR (default
# /tmp/tierplan-memory), then runs `plan -f csv` on each under a 2 GiB
# address-space limit and prints peak RSS (GNU time's "Maximum resident set
# size"), wall time, exit status and rows planned.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tp="${1:-$here/../target/release/tierplan}"
dir="${2:-/tmp/tierplan-memory}"
mkdir -p "$dir"
gen() { [ -e "$dir/$2" ] || python3 "$here/memory_gen.py" "$1" "$3" "$dir/$2"; }
gen wide w200k.csv 200000
gen iready ir200k.csv 200000
gen long l2m.csv 2000000
gen long-distinct ld8k.csv 8000
gen items it100k.csv 100000
gen oneroster or10k.zip 10000
gen oneroster or20k.zip 20000
gen oneroster or200k.zip 200000
run() {
    local label="$1"; shift
    /usr/bin/time -f '%M %e' -o "$dir/time" bash -c "ulimit -v 2097152; exec \"\$@\" > '$dir/out' 2> '$dir/err'" _ "$tp" "$@"
    local rc=$? rows
    read -r kb secs < <(tail -1 "$dir/time")
    rows=$(($(wc -l < "$dir/out") - 1))
    printf '%-28s exit %-3s %8.0f MB %7ss  %8s rows  %s\n' "$label" "$rc" "$((kb / 1024))" "$secs" "$rows" "$(head -c 150 "$dir/err" | tr '\n' ' ')"
}
run "plain 200k x 10" plan "$dir/w200k.csv" -f csv
run "profile (i-Ready) 200k" plan "$dir/ir200k.csv" -f csv
run "long 2M rows" plan "$dir/l2m.csv" -f csv
run "long 8k distinct skills" plan "$dir/ld8k.csv" -f csv
run "items 100k x 40" plan "$dir/it100k.csv" --blueprint "$dir/it100k.blueprint.csv" -f csv
run "oneroster 10k" plan "$dir/or10k.zip" -f csv
run "oneroster 20k" plan "$dir/or20k.zip" -f csv
run "oneroster 200k" plan "$dir/or200k.zip" -f csv
