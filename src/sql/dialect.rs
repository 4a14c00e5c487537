//! What differs between the SQL dialects tierplan writes: quoting, the
//! type names, how a text is matched against a pattern, split or trimmed,
//! how a query is stopped with an error. Everything else is the standard
//! SQL every one of them reads.

/// A SQL dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Duckdb,
    Postgres,
    /// Spark SQL (3.4 and later).
    Spark,
    /// BigQuery's GoogleSQL.
    Bigquery,
    Snowflake,
}

impl Dialect {
    /// `name` as a quoted identifier: `"x"" y"`. Every identifier tierplan
    /// writes is quoted, so a header such as `x"; drop table t; --` stays
    /// a column name.
    pub(crate) fn ident(self, name: &str) -> String {
        match self {
            Dialect::Spark => format!("`{}`", name.replace('`', "``")),
            // BigQuery escapes within backticks as within a literal.
            Dialect::Bigquery => format!("`{}`", backslashed(name, '`')),
            Dialect::Duckdb | Dialect::Postgres | Dialect::Snowflake => {
                format!("\"{}\"", name.replace('"', "\"\""))
            }
        }
    }

    /// A table's name, `schema.table` or `project.dataset.table`, each
    /// part an identifier.
    pub(crate) fn path(self, name: &str) -> String {
        let parts: Vec<String> = name.split('.').map(|part| self.ident(part)).collect();
        parts.join(".")
    }

    /// `text` as a string literal: `'O''Brien'`. DuckDB and PostgreSQL read
    /// a backslash in a literal as itself; the others read it as an
    /// escape, so there both it and the quote are escaped with one.
    pub(crate) fn text(self, text: &str) -> String {
        match self {
            Dialect::Duckdb | Dialect::Postgres => format!("'{}'", text.replace('\'', "''")),
            Dialect::Spark | Dialect::Bigquery | Dialect::Snowflake => {
                format!("'{}'", backslashed(text, '\''))
            }
        }
    }

    /// The longest identifier, in bytes, when the dialect cuts or refuses
    /// longer ones (PostgreSQL's `NAMEDATALEN` - 1; BigQuery's and
    /// Snowflake's limits are in characters, so counting bytes errs on
    /// the side of refusing).
    pub(crate) fn max_identifier(self) -> Option<usize> {
        match self {
            Dialect::Postgres => Some(63),
            Dialect::Bigquery => Some(300),
            Dialect::Snowflake => Some(255),
            Dialect::Duckdb | Dialect::Spark => None,
        }
    }

    /// The floating-point type, which holds every score and number.
    pub(crate) fn double(self) -> &'static str {
        match self {
            Dialect::Duckdb | Dialect::Spark | Dialect::Snowflake => "DOUBLE",
            Dialect::Postgres => "DOUBLE PRECISION",
            Dialect::Bigquery => "FLOAT64",
        }
    }

    pub(crate) fn varchar(self) -> &'static str {
        match self {
            Dialect::Duckdb | Dialect::Snowflake => "VARCHAR",
            Dialect::Postgres => "TEXT",
            Dialect::Spark | Dialect::Bigquery => "STRING",
        }
    }

    /// Whether the whole of `value` matches the regular expression `pattern`
    /// (written without anchors).
    pub(crate) fn full_match(self, value: &str, pattern: &str) -> String {
        match self {
            Dialect::Duckdb => format!("regexp_full_match({value}, {})", self.text(pattern)),
            Dialect::Postgres => format!("({value} ~ {})", self.text(&format!("^({pattern})$"))),
            Dialect::Spark => format!("({value} RLIKE {})", self.text(&format!("^({pattern})$"))),
            Dialect::Bigquery => format!(
                "REGEXP_CONTAINS({value}, {})",
                self.text(&format!("^({pattern})$"))
            ),
            // Snowflake's REGEXP_LIKE matches the whole subject.
            Dialect::Snowflake => format!("REGEXP_LIKE({value}, {})", self.text(pattern)),
        }
    }

    /// The `n`th (from 1) part of `text` split at `separator`, or NULL
    /// when it has fewer parts.
    pub(crate) fn split_part(self, text: &str, separator: char, n: usize) -> String {
        let sep = self.text(&separator.to_string());
        match self {
            Dialect::Bigquery => format!("SPLIT({text}, {sep})[SAFE_OFFSET({})]", n - 1),
            _ => format!("split_part({text}, {sep}, {n})"),
        }
    }

    /// The least of `items`, NULLs left out (NULL when all are).
    /// BigQuery's and Snowflake's `LEAST` is NULL when any item is, so
    /// there a NULL stands in as infinity, which no score or number read
    /// from a cell can be.
    pub(crate) fn least(self, items: &[String]) -> String {
        self.extreme("LEAST", items, "inf")
    }

    /// The greatest of `items`, NULLs left out, as [`Dialect::least`].
    pub(crate) fn greatest(self, items: &[String]) -> String {
        self.extreme("GREATEST", items, "-inf")
    }

    fn extreme(self, function: &str, items: &[String], beyond: &str) -> String {
        match self {
            Dialect::Duckdb | Dialect::Postgres | Dialect::Spark => {
                format!("{function}({})", items.join(", "))
            }
            Dialect::Bigquery | Dialect::Snowflake => {
                let beyond = format!("CAST({} AS {})", self.text(beyond), self.double());
                let items: Vec<String> = items
                    .iter()
                    .map(|i| format!("COALESCE({i}, {beyond})"))
                    .collect();
                format!("NULLIF({function}({}), {beyond})", items.join(", "))
            }
        }
    }

    /// `text` without the `%` signs at its end.
    pub(crate) fn strip_percent(self, text: &str) -> String {
        self.rtrim(text, "%")
    }

    /// A number that stops the query with an error saying `message` (a
    /// text expression). DuckDB and PostgreSQL fail to cast the message to
    /// a number (as does Snowflake); Spark, whose casts may give NULL
    /// instead, has `raise_error`, BigQuery `ERROR`.
    pub(crate) fn fail(self, message: &str) -> String {
        match self {
            Dialect::Spark => format!("CAST(raise_error({message}) AS DOUBLE)"),
            Dialect::Bigquery => format!("CAST(ERROR({message}) AS FLOAT64)"),
            Dialect::Duckdb | Dialect::Postgres | Dialect::Snowflake => {
                format!("CAST(CAST({message} AS INTEGER) AS {})", self.double())
            }
        }
    }

    /// A number literal that reads back as exactly `n` in a double.
    pub(crate) fn number(self, n: f64) -> String {
        // Rust prints the shortest text that reads back as the same double.
        format!(
            "CAST({} AS {})",
            self.text(&format!("{n:?}")),
            self.double()
        )
    }

    /// `value`, a number, as text the way `format_number` writes it: an
    /// integer as one, else rounded to 4 decimals without trailing zeros;
    /// NULL when `value` is. The rounding of a value whose fifth decimal
    /// is exactly 5 is the dialect's own.
    pub(crate) fn format_number(self, value: &str) -> String {
        let decimals = match self {
            Dialect::Duckdb => format!("printf('%.4f', {value})"),
            Dialect::Postgres => format!("CAST(round(CAST({value} AS NUMERIC), 4) AS TEXT)"),
            Dialect::Spark => format!("format_string('%.4f', {value})"),
            Dialect::Bigquery => format!("FORMAT('%.4f', {value})"),
            Dialect::Snowflake => format!("CAST(CAST({value} AS NUMBER(38, 4)) AS VARCHAR)"),
        };
        let trimmed = self.rtrim(&self.rtrim(&decimals, "0"), ".");
        format!(
            "CASE WHEN {value} IS NULL THEN NULL WHEN {value} = FLOOR({value}) AND ABS({value}) < {} THEN CAST(CAST({value} AS BIGINT) AS {}) ELSE {trimmed} END",
            self.number(1e15),
            self.varchar()
        )
    }

    /// The ISO date (`2026-09-14`) `days` (a number) after 1970-01-01;
    /// NULL when `days` is.
    pub(crate) fn date_text(self, days: &str) -> String {
        self.date_after("DATE '1970-01-01'", days)
    }

    /// The ISO date `days` (a number) after the date `start`; NULL when
    /// either is.
    pub(crate) fn date_after(self, start: &str, days: &str) -> String {
        let int = if self == Dialect::Bigquery {
            "INT64"
        } else {
            "INTEGER"
        };
        let n = format!("CAST({days} AS {int})");
        match self {
            Dialect::Duckdb => format!("strftime({start} + {n}, '%Y-%m-%d')"),
            Dialect::Postgres => format!("to_char({start} + {n}, 'YYYY-MM-DD')"),
            Dialect::Spark => format!("date_format(date_add({start}, {n}), 'yyyy-MM-dd')"),
            Dialect::Bigquery => {
                format!("FORMAT_DATE('%Y-%m-%d', DATE_ADD({start}, INTERVAL {n} DAY))")
            }
            Dialect::Snowflake => format!("TO_CHAR(DATEADD(day, {n}, {start}), 'YYYY-MM-DD')"),
        }
    }

    /// `text` without the `chars` at its end.
    pub(crate) fn rtrim(self, text: &str, chars: &str) -> String {
        match self {
            Dialect::Spark => format!("rtrim({}, {text})", self.text(chars)),
            Dialect::Duckdb | Dialect::Postgres | Dialect::Bigquery | Dialect::Snowflake => {
                format!("rtrim({text}, {})", self.text(chars))
            }
        }
    }

    /// `text` compared byte by byte, as Rust compares strings (PostgreSQL
    /// otherwise sorts by the database's locale; the others compare bytes
    /// unless a column was given a collation).
    pub(crate) fn binary(self, text: &str) -> String {
        match self {
            Dialect::Postgres => format!("({text} COLLATE \"C\")"),
            Dialect::Duckdb | Dialect::Spark | Dialect::Bigquery | Dialect::Snowflake => {
                text.to_owned()
            }
        }
    }
}

/// `text` with a backslash before each backslash and each `quote`, and
/// line ends written `\n` and `\r` (a BigQuery literal cannot hold one).
fn backslashed(text: &str, quote: char) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => {
                if c == '\\' || c == quote {
                    out.push('\\');
                }
                out.push(c);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_and_literals_from_the_files_stay_identifiers_and_literals() {
        let d = Dialect::Postgres;
        assert_eq!(
            d.ident("x\"; drop table t; --"),
            "\"x\"\"; drop table t; --\""
        );
        assert_eq!(d.text("O'Brien"), "'O''Brien'");
        assert_eq!(d.number(0.1), "CAST('0.1' AS DOUBLE PRECISION)");
        assert_eq!(Dialect::Duckdb.number(80.0), "CAST('80.0' AS DOUBLE)");
        let spark = Dialect::Spark;
        assert_eq!(spark.ident("a`b"), "`a``b`");
        assert_eq!(spark.text("O'Brien \\ x"), "'O\\'Brien \\\\ x'");
        let bigquery = Dialect::Bigquery;
        assert_eq!(bigquery.ident("a`b\\"), "`a\\`b\\\\`");
        assert_eq!(bigquery.text("O'Brien \\ x"), "'O\\'Brien \\\\ x'");
        let snowflake = Dialect::Snowflake;
        assert_eq!(snowflake.ident("x\"y"), "\"x\"\"y\"");
        assert_eq!(snowflake.text("O'Brien \\ x"), "'O\\'Brien \\\\ x'");
    }
}
