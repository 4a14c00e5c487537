//! What differs between the SQL dialects tierplan writes: quoting, the
//! type names and how a text is matched against a pattern. Everything else
//! is the standard SQL every one of them reads.

/// A SQL dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Duckdb,
    Postgres,
    /// Spark SQL (3.4 and later).
    Spark,
}

impl Dialect {
    /// `name` as a quoted identifier: `"x"" y"`. Every identifier tierplan
    /// writes is quoted, so a header such as `x"; drop table t; --` stays
    /// a column name.
    pub(crate) fn ident(self, name: &str) -> String {
        match self {
            Dialect::Spark => format!("`{}`", name.replace('`', "``")),
            _ => format!("\"{}\"", name.replace('"', "\"\"")),
        }
    }

    /// `text` as a string literal: `'O''Brien'`. DuckDB and PostgreSQL read
    /// a backslash in a literal as itself; Spark reads it as an escape, so
    /// there both it and the quote are escaped with one.
    pub(crate) fn text(self, text: &str) -> String {
        match self {
            Dialect::Spark => format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'")),
            _ => format!("'{}'", text.replace('\'', "''")),
        }
    }

    /// The longest identifier, in bytes, when the dialect cuts longer ones
    /// (PostgreSQL's `NAMEDATALEN` - 1).
    pub(crate) fn max_identifier(self) -> Option<usize> {
        match self {
            Dialect::Postgres => Some(63),
            Dialect::Duckdb | Dialect::Spark => None,
        }
    }

    /// The floating-point type, which holds every score and number.
    pub(crate) fn double(self) -> &'static str {
        match self {
            Dialect::Duckdb | Dialect::Spark => "DOUBLE",
            Dialect::Postgres => "DOUBLE PRECISION",
        }
    }

    pub(crate) fn varchar(self) -> &'static str {
        match self {
            Dialect::Duckdb => "VARCHAR",
            Dialect::Postgres => "TEXT",
            Dialect::Spark => "STRING",
        }
    }

    /// Whether the whole of `value` matches the regular expression `pattern`
    /// (written without anchors).
    pub(crate) fn full_match(self, value: &str, pattern: &str) -> String {
        match self {
            Dialect::Duckdb => format!("regexp_full_match({value}, {})", self.text(pattern)),
            Dialect::Postgres => format!("({value} ~ {})", self.text(&format!("^({pattern})$"))),
            Dialect::Spark => format!("({value} RLIKE {})", self.text(&format!("^({pattern})$"))),
        }
    }

    /// `text` without the `%` signs at its end.
    pub(crate) fn strip_percent(self, text: &str) -> String {
        self.rtrim(text, "%")
    }

    /// A number that stops the query with an error saying `message` (a
    /// text expression). DuckDB and PostgreSQL fail to cast the message to
    /// a number; Spark, whose casts may give NULL instead, has
    /// `raise_error`.
    pub(crate) fn fail(self, message: &str) -> String {
        match self {
            Dialect::Spark => format!("CAST(raise_error({message}) AS DOUBLE)"),
            _ => format!("CAST(CAST({message} AS INTEGER) AS {})", self.double()),
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
        };
        let trimmed = self.rtrim(&self.rtrim(&decimals, "0"), ".");
        format!(
            "CASE WHEN {value} IS NULL THEN NULL WHEN {value} = FLOOR({value}) AND ABS({value}) < {} THEN CAST(CAST({value} AS BIGINT) AS {}) ELSE {trimmed} END",
            self.number(1e15),
            self.varchar()
        )
    }

    /// `text` without the `chars` at its end.
    pub(crate) fn rtrim(self, text: &str, chars: &str) -> String {
        match self {
            Dialect::Spark => format!("rtrim({}, {text})", self.text(chars)),
            _ => format!("rtrim({text}, {})", self.text(chars)),
        }
    }

    /// `text` compared byte by byte, as Rust compares strings (PostgreSQL
    /// otherwise sorts by the database's locale).
    pub(crate) fn binary(self, text: &str) -> String {
        match self {
            Dialect::Postgres => format!("({text} COLLATE \"C\")"),
            Dialect::Duckdb | Dialect::Spark => text.to_owned(),
        }
    }
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
    }
}
