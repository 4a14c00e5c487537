"""Run tierplan's compiled queries on a real engine, for tests/sql.

    python3 run.py duckdb|spark|bigquery|snowflake|dbt JOBS.json

BigQuery and Snowflake cannot be run here: their queries are parsed by
sqlglot (pinned), which refuses what it cannot read, then translated by it
to DuckDB's SQL and run on DuckDB. A dbt model is rendered by Jinja
(pinned; the template engine dbt renders models with), `ref('results')`
and `source('x', 'results')` naming the table, and run on DuckDB.

JOBS.json is a list of {"csv": path, "queries": [sql, ...], "typed": bool};
each CSV is loaded as the table `results`, every column text (or, when
typed, the types the engine infers: numbers as numbers), empty cells NULL, and
each query's rows are printed as one JSON document: a list (per job) of
lists (per query) of rows, or {"error": message} for a query the engine
stopped. A missing engine is an error, never a skip.
"""

import json
import sys


def attempt(query):
    """The rows `query()` gives, or the error that stopped it."""
    try:
        return [list(row) for row in query()]
    except Exception as error:  # the engine's own error, whatever its type
        return {"error": str(error)}


def duckdb_runner():
    try:
        import duckdb
    except ImportError:
        sys.exit("the duckdb package is missing: pip install duckdb==2.0.0")
    con = duckdb.connect()

    def run(csv, queries, typed=False):
        con.execute("DROP TABLE IF EXISTS results")
        con.execute(
            "CREATE TABLE results AS SELECT * FROM read_csv(?, all_varchar = ?, "
            "header = true, normalize_names = false)",
            [csv, not typed],
        )
        out = [attempt(lambda: con.execute(q).fetchall()) for q in queries]
        # A hostile column name left the table as it was.
        con.execute("SELECT count(*) FROM results").fetchall()
        return out

    return run


def spark_runner():
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        sys.exit("pyspark is missing: pip install pyspark==4.0.1 (and a Java 17 runtime)")
    spark = (
        SparkSession.builder.master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")

    def run(csv, queries, typed=False):
        frame = spark.read.option("header", "true").option("escape", '"')
        frame = frame.option("inferSchema", str(typed).lower()).csv(csv)
        frame.createOrReplaceTempView("results")
        return [attempt(lambda: spark.sql(q).collect()) for q in queries]

    return run


def sqlglot_runner(dialect):
    try:
        import sqlglot
        from sqlglot.errors import ErrorLevel
    except ImportError:
        sys.exit("sqlglot is missing: pip install sqlglot==30.31.0")
    duckdb = duckdb_runner()

    from sqlglot import exp

    def printf(node):
        # sqlglot 30.31 writes BigQuery's FORMAT('%.4f', x) unchanged for
        # DuckDB, whose FORMAT takes {} placeholders; DuckDB's printf is the
        # function that reads BigQuery's format strings.
        if isinstance(node, exp.Format):
            return exp.Anonymous(this="printf", expressions=[node.this, *node.expressions])
        return node

    def translate(query):
        tree = sqlglot.parse_one(query, read=dialect, error_level=ErrorLevel.RAISE)
        return tree.transform(printf).sql(dialect="duckdb", unsupported_level=ErrorLevel.RAISE)

    def run(csv, queries, typed=False):
        return duckdb(csv, [translate(q) for q in queries], typed)

    return run


def dbt_runner():
    try:
        import jinja2
    except ImportError:
        sys.exit("Jinja2 is missing: pip install Jinja2==3.1.6")
    duckdb = duckdb_runner()
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)

    def render(model):
        return env.from_string(model).render(
            ref=lambda name: name, source=lambda source, name: name
        )

    def run(csv, queries, typed=False):
        return duckdb(csv, [render(q) for q in queries], typed)

    return run


def main():
    engine, jobs = sys.argv[1], json.load(open(sys.argv[2]))
    run = {
        "duckdb": duckdb_runner,
        "duckdb-view": duckdb_runner,
        "spark": spark_runner,
        "bigquery": lambda: sqlglot_runner("bigquery"),
        "snowflake": lambda: sqlglot_runner("snowflake"),
        "dbt": dbt_runner,
    }[engine]()
    results = [
        run(job["csv"], [q.rstrip().rstrip(";") for q in job["queries"]], job.get("typed", False))
        for job in jobs
    ]
    json.dump(results, sys.stdout)


main()
