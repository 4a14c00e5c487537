//! What `tierplan sql` prints around the query: the query alone, a view
//! that keeps it, or a dbt model.
//!
//! A dbt model is a Jinja template: the query goes inside one
//! `{% raw %}` block, so no text from the rules or the header is read as
//! Jinja, and only the relation it reads (`ref`, `source`) is outside it.

use super::Dialect;
use crate::error::{Error, Result};

/// What the query is printed as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Form {
    /// The query, ended by `;`.
    Query,
    /// `CREATE OR REPLACE VIEW name AS` the query.
    View(String),
    /// A dbt model: the query, its table a dbt relation.
    Dbt,
}

const RAW: &str = "{% raw %}";
const END_RAW: &str = "{% endraw %}";

/// The table the query reads, as SQL: each part of `table` quoted, or for
/// a dbt model `results` as `ref('results')`, `src.results` as
/// `source('src', 'results')`.
pub(crate) fn relation(dialect: Dialect, table: &str, form: &Form) -> Result<String> {
    if *form != Form::Dbt {
        return Ok(dialect.path(table));
    }
    let parts: Vec<&str> = table.split('.').collect();
    let plain = |part: &&str| {
        !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    let jinja = match parts[..] {
        [model] if plain(&model) => format!("ref('{model}')"),
        [source, name] if plain(&source) && plain(&name) => {
            format!("source('{source}', '{name}')")
        }
        _ => {
            return Err(Error::usage(format!(
                "--table `{table}` is not a dbt relation: with --dbt, give a model's name \
                 (`results`, read with ref) or a source's and its table's (`assessment.results`, \
                 read with source), in letters, digits and `_`"
            )));
        }
    };
    Ok(format!("{END_RAW}{{{{ {jinja} }}}}{RAW}"))
}

/// `query` as `form` prints it. A dbt model whose text would end its raw
/// block early is refused: Jinja would run what follows. The query reads
/// its table once, so its only `endraw` is the one before the relation.
pub(crate) fn finish(dialect: Dialect, query: &str, form: &Form) -> Result<String> {
    Ok(match form {
        Form::Query => format!("{query};\n"),
        Form::View(name) => format!(
            "CREATE OR REPLACE VIEW {} AS\n{query};\n",
            dialect.path(name)
        ),
        Form::Dbt => {
            if query.matches("endraw").count() != 1 {
                return Err(Error::usage(
                    "the rules or the header hold `endraw`, which Jinja would read as the end of the \
                     model's raw block, running what follows: rename that plan, skill or column, \
                     or print the query without --dbt",
                ));
            }
            format!("{RAW}{query}{END_RAW}\n")
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dbt_model_reads_its_relation_outside_the_raw_block_only() {
        let from = relation(Dialect::Duckdb, "assessment.results", &Form::Dbt).unwrap();
        let model = finish(
            Dialect::Duckdb,
            &format!("SELECT 1 FROM {from}"),
            &Form::Dbt,
        )
        .unwrap();
        assert_eq!(
            model,
            "{% raw %}SELECT 1 FROM {% endraw %}{{ source('assessment', 'results') }}{% raw %}{% endraw %}\n"
        );
        assert!(relation(Dialect::Duckdb, "a'b", &Form::Dbt).is_err());
        assert!(relation(Dialect::Duckdb, "a.b.c", &Form::Dbt).is_err());
        let hostile = format!("SELECT '{END_RAW}{{{{ 7 * 7 }}}}' FROM {from}");
        assert!(finish(Dialect::Duckdb, &hostile, &Form::Dbt).is_err());
    }

    #[test]
    fn a_view_is_named_as_the_warehouse_names_it() {
        let view = finish(Dialect::Spark, "SELECT 1", &Form::View("a.b c".into())).unwrap();
        assert_eq!(view, "CREATE OR REPLACE VIEW `a`.`b c` AS\nSELECT 1;\n");
    }
}
