#!/usr/bin/env bash
# The compiled query's time on DuckDB and Spark beside `tierplan plan`, on
# B1 (examples/bench/rules.yaml), for the README's "How fast" table
# (issue 15).
#
#   benches/sql.sh STUDENTS [TIERPLAN] [DIR]
#
# The input comes from ../shared/bench/gen.py (seed 1) into DIR (default
# /tmp/tierplan-sql-bench). Each writes the per-student plan as CSV:
# tierplan `plan -f csv -o`; DuckDB `COPY (query) TO` over a view of
# `read_csv` (every column text); Spark `spark.sql(query).write.csv` in
# local mode over a view of its CSV reader, the session's start not
# counted. Three runs each, the median's wall time and peak RSS (GNU
# time's "Maximum resident set size"; not for Spark, whose JVM it does not
# see). Needs python3
# with duckdb==2.0.0 and pyspark==4.0.1, a Java runtime, /usr/bin/time.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
students="${1:?usage: benches/sql.sh STUDENTS [TIERPLAN] [DIR]}"
tp="${2:-$here/../target/release/tierplan}"
dir="${3:-/tmp/tierplan-sql-bench}"
rules="$here/../examples/bench/rules.yaml"
mkdir -p "$dir"
in="$dir/in-$students.csv"
[ -e "$in" ] || python3 "$here/../../shared/bench/gen.py" --students "$students" --seed 1 --out "$in"
"$tp" sql --rules "$rules" --dialect duckdb --table results --header-from "$in" > "$dir/duckdb.sql"
"$tp" sql --rules "$rules" --dialect spark --table results --header-from "$in" > "$dir/spark.sql"

cat > "$dir/run_duckdb.py" <<'EOF'
import sys, duckdb
csv, query, out = sys.argv[1], open(sys.argv[2]).read().rstrip().rstrip(";"), sys.argv[3]
literal = lambda text: "'" + text.replace("'", "''") + "'"
con = duckdb.connect()
con.execute(f"CREATE VIEW results AS SELECT * FROM read_csv({literal(csv)}, all_varchar = true, header = true)")
con.execute(f"COPY ({query}) TO {literal(out)} (FORMAT csv, HEADER true)")
EOF
cat > "$dir/run_spark.py" <<'EOF'
import sys, time
from pyspark.sql import SparkSession
csv, query, out = sys.argv[1], open(sys.argv[2]).read().rstrip().rstrip(";"), sys.argv[3]
spark = (SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
         .config("spark.ui.showConsoleProgress", "false")
         .config("spark.driver.memory", "8g").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
start = time.monotonic()
spark.read.option("header", "true").option("escape", '"').csv(csv).createOrReplaceTempView("results")
spark.sql(query).write.mode("overwrite").option("header", "true").csv(out)
print(f"{time.monotonic() - start:.2f}")
EOF

# One run of "$@" under GNU time: prints "seconds megabytes".
once() {
    /usr/bin/time -f '%e %M' -o "$dir/time" "$@" > /dev/null 2> "$dir/err" || {
        cat "$dir/err" >&2
        exit 1
    }
    read -r secs kb < <(tail -1 "$dir/time")
    echo "$secs $((kb / 1024))"
}
# The median of three runs (by time) of "$@".
median() {
    for _ in 1 2 3; do once "$@"; done | sort -n | sed -n 2p
}
# Spark's own clock, the session's start not counted (its memory is the
# JVM's, which GNU time does not see: not shown).
spark() {
    for _ in 1 2 3; do
        python3 "$dir/run_spark.py" "$in" "$dir/spark.sql" "$dir/spark-out" 2> "$dir/err" || {
            cat "$dir/err" >&2
            exit 1
        }
    done | sort -n | sed -n 2p
}
native=$(median "$tp" plan "$in" --rules "$rules" -f csv -o "$dir/tierplan.csv")
duckdb=$(median python3 "$dir/run_duckdb.py" "$in" "$dir/duckdb.sql" "$dir/duckdb.csv")
spark=$(spark)
printf '%s students\n' "$students"
printf 'tierplan plan          %s s %s MB\n' $native
printf 'DuckDB, compiled query %s s %s MB\n' $duckdb
printf 'Spark, compiled query  %s s\n' "$spark"
# The compiled query's students, plans and tiers are tierplan's.
python3 - "$dir/tierplan.csv" "$dir/duckdb.csv" <<'EOF'
import csv, sys
keys = [{(r["student_id"], r["plan"], r["tier"]) for r in csv.DictReader(open(f))} for f in sys.argv[1:]]
print("DuckDB's plans are tierplan's" if keys[0] == keys[1] else f"DIFFERENT: {len(keys[0] ^ keys[1])} rows")
EOF
rows() { tail -n +2 "$1" | wc -l; }
printf 'rows: tierplan %s, DuckDB %s, Spark %s\n' "$(rows "$dir/tierplan.csv")" "$(rows "$dir/duckdb.csv")" \
    "$(cat "$dir"/spark-out/part-*.csv | grep -vc '^student_id,')"
