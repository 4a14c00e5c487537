//! Name resolution for conditions against the rules: which parameter,
//! table, field or skill a name in a condition stands for.

use super::{ParamValue, Rules, SkillColumns};
use crate::condition::compile::{Names, Resolved};

/// Name resolution for conditions: the rules' parameters, tables and fields,
/// and the skills (known only once a header is seen when they are `rest`).
pub(super) struct RuleNames<'a> {
    pub rules: &'a Rules,
    pub skills: Option<&'a [Box<str>]>,
}

impl Names for RuleNames<'_> {
    fn resolve(&self, name: &str) -> Option<Resolved> {
        let rules = self.rules;
        if let Some(p) = rules.params.iter().find(|p| p.name == name) {
            return Some(match &p.value {
                ParamValue::Number(n) => Resolved::Number(*n),
                ParamValue::Text(s) => Resolved::Text(s.as_str().into()),
            });
        }
        if let Some(i) = rules.tables.iter().position(|t| t.name == name) {
            return Some(Resolved::Table(i, rules.tables[i].text_values));
        }
        if let Some(i) = rules.fields.iter().position(|f| f.name == name) {
            return Some(Resolved::Field(i));
        }
        match (self.skills, &rules.skills) {
            (Some(skills), _) => skills
                .iter()
                .position(|s| crate::header::same_header(s, name))
                .map(Resolved::Skill),
            (None, SkillColumns::Rest { .. }) => Some(Resolved::Deferred),
            (None, _) => None,
        }
    }

    fn candidates(&self) -> Vec<String> {
        let rules = self.rules;
        let mut names: Vec<String> = rules.params.iter().map(|p| p.name.clone()).collect();
        names.extend(rules.tables.iter().map(|t| t.name.clone()));
        names.extend(rules.fields.iter().map(|f| f.name.clone()));
        if let Some(skills) = self.skills {
            names.extend(skills.iter().map(|s| s.to_string()));
        }
        names
    }

    fn table_reads_fields(&self, table: usize) -> bool {
        self.rules.tables[table]
            .keys
            .iter()
            .any(|(key, _)| self.rules.fields.iter().any(|f| &f.name == key))
    }
}
