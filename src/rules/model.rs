//! What the rules file says, 1:1 with its YAML keys.
//!
//! These structs only mirror the file (unknown keys are errors); they check
//! nothing beyond the YAML shapes. Required keys are `Option`s all the same,
//! so that `validate` reports a missing one at the mapping that lacks it (the
//! YAML library can only say where the mapping ends). `validate` turns them
//! into [`super::Rules`].
//! Every key here is documented in `rules/README.md`.

use serde::Deserialize;

use super::yaml::{OrderedMap, Sp};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RulesFile {
    /// Format version; 1 is the only one so far.
    pub tierplan: Option<Sp<u32>>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub columns: Option<Sp<OrderedMap<Sp<ColumnSpec>>>>,
    pub skills: Option<SkillsSpec>,
    #[serde(default)]
    pub params: OrderedMap<Sp<ParamSpec>>,
    #[serde(default)]
    pub tables: OrderedMap<TableSpec>,
    pub whole_class: Option<Sp<WholeClassSpec>>,
    pub guideline: Option<Guideline>,
    /// Progress-monitoring cadence per tier, for the next probe date.
    pub monitoring: Option<Monitoring>,
    /// Per field, the file's spellings and what they mean
    /// (`season: {Fall: BOY, Winter: MOY}`), applied as cells are read.
    #[serde(default)]
    pub recode: OrderedMap<OrderedMap<ParamValue>>,
    pub plans: Option<Sp<OrderedMap<PlanSpec>>>,
    pub tree: Option<Sp<Vec<NodeSpec>>>,
    /// Letters home (`--letters`): the template and who gets one.
    pub letters: Option<LettersSpec>,
    /// Test cases for `tierplan test`, beside those in `NAME.test.yaml`;
    /// `crate::testing` reads them, validation ignores them.
    #[expect(
        dead_code,
        reason = "crate::testing reads `tests` from the source text"
    )]
    pub tests: Option<serde::de::IgnoredAny>,
}

/// `student_id: [student_id, id]` or
/// `screening: {names: [pctl], optional: true}`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum ColumnSpec {
    Names(OneOrMany),
    Full(ColumnFull),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ColumnFull {
    pub names: OneOrMany,
    #[serde(default)]
    pub optional: bool,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub(super) fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SkillsSpec {
    /// `rest` (every column not named elsewhere) or a list of headers.
    pub columns: Sp<OneOrMany>,
    #[serde(default)]
    pub ignore: Vec<String>,
    #[serde(default)]
    pub scale: Scale,
    /// When a student has several results for a skill (long rows): which
    /// counts.
    pub combine: Option<Sp<Combine>>,
    /// The weight of the most recent result for `decaying_average`.
    pub decay: Option<Sp<f64>>,
    /// For a OneRoster bundle: one skill per line item or per category.
    pub group_by: Option<GroupBy>,
    /// Item responses: a CSV `item,skill,points[,key]`, relative to the rules
    /// file.
    pub blueprint: Option<Sp<String>>,
}

/// Which of a student's several results for one skill counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Combine {
    /// The latest by date (the last in the file without dates).
    #[default]
    MostRecent,
    Highest,
    Mean,
    /// Each result weighs `decay` (0.65 by default) against the average of
    /// those before it.
    DecayingAverage,
}

/// How a OneRoster gradebook's results become skills.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    #[default]
    LineItem,
    Category,
}

/// How a bare number in a skill column is read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scale {
    /// `85` means 85 percent.
    #[default]
    Percent,
    /// `0.85` means 85 percent.
    Fraction,
}

/// A parameter: a value (`mastery: 80`, `season: fall`), or a number with
/// the range it may take (`whole_class_share: {value: 0.5, min: 0, max:
/// 1}`), which a `--set` of it is held to as well.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum ParamSpec {
    Value(ParamValue),
    Bounded(BoundedParam),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct BoundedParam {
    pub value: f64,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum ParamValue {
    Number(f64),
    Text(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TableSpec {
    /// The fields or parameters a row is matched on, e.g. `[grade, season]`.
    pub keys: Option<Vec<Sp<String>>>,
    /// Rows tried in order: each has a cell per key and one or more values
    /// (`value`, or named ones such as `goal` and `risk_cut`).
    pub rows: Option<Vec<Sp<OrderedMap<Sp<Cell>>>>>,
    /// The rows in a CSV file instead, relative to the rules file: a column
    /// per key and per value, as the published sheet has them.
    pub csv: Option<Sp<String>>,
    /// What a student whose keys match no row gets: an error (the default)
    /// or a missing value, said in the plan.
    pub no_match: Option<Sp<NoMatch>>,
    /// The key values the table must cover, every combination of them:
    /// `check` reports a combination with no row and a cell outside them.
    pub cover: Option<Sp<OrderedMap<Vec<Cell>>>>,
    /// Value columns that must not decrease along the list in any row
    /// (`[risk_cut, goal]`: a row's risk cut is at most its goal).
    pub ascending: Option<Sp<Vec<String>>>,
}

/// What a lookup that matches no row gives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoMatch {
    /// Stop with an error naming the student and the keys.
    #[default]
    Error,
    /// The value is missing: tests that need it are skipped, and the plan
    /// says so for the student.
    Missing,
}

/// A table cell: an exact value, `any`, a range with explicit bounds, or a
/// list of spellings of one value (`[K, 0, KG, Kindergarten]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(super) enum Cell {
    Number(f64),
    Text(String),
    Range(RangeSpec),
    List(Vec<Cell>),
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RangeSpec {
    /// Inclusive lower bound.
    pub at_least: Option<f64>,
    /// Inclusive upper bound.
    pub at_most: Option<f64>,
    /// Exclusive lower bound.
    pub above: Option<f64>,
    /// Exclusive upper bound.
    pub below: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct WholeClassSpec {
    pub when: Option<Sp<String>>,
    pub plan: Option<Sp<String>>,
}

/// `letters: {template: letters/es.txt, language: es, plans: [tier2, tier3]}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LettersSpec {
    /// A template file, relative to the rules file; the English one shipped
    /// with tierplan when absent.
    pub template: Option<Sp<String>>,
    /// The template's language, for the HTML letters (`es`, `pt-BR`).
    pub language: Option<Sp<String>>,
    /// The plans whose students get a letter.
    pub plans: Option<Vec<Sp<String>>>,
}

/// How often students of each tier are probed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Monitoring {
    pub tier1: Option<Sp<String>>,
    pub tier2: Option<Sp<String>>,
    pub tier3: Option<Sp<String>>,
}

/// Expected share of students per tier, in percent (80/15/5).
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Guideline {
    pub tier1: f64,
    pub tier2: f64,
    pub tier3: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PlanSpec {
    /// What a teacher reads; the plan's id when absent.
    pub label: Option<Sp<String>>,
    pub kind: Option<Sp<PlanKind>>,
    pub tier: Option<Sp<u8>>,
    pub group_size: Option<Sp<u32>>,
    pub monitor: Option<Sp<String>>,
    pub description: Option<String>,
}

/// What kind of support a plan is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanKind {
    Core,
    WholeClassReteach,
    SmallGroupReteach,
    Tier2Intervention,
    Tier3Intervention,
    ReferralReview,
    NoData,
    /// Progress monitoring: too few probes to decide yet.
    CollectMore,
    /// Progress monitoring: the intervention is working; keep it.
    Continue,
    /// Progress monitoring: the student is not responding; change it.
    ChangeIntervention,
    /// Progress monitoring: the student is beating the aimline.
    RaiseGoal,
}

impl PlanKind {
    /// Whether a student given a plan of this kind has their support
    /// changed, and so gets a letter home by default: they enter an
    /// intervention, are referred for review, or their intervention or goal
    /// changes.
    pub fn changes_support(self) -> bool {
        matches!(
            self,
            PlanKind::Tier2Intervention
                | PlanKind::Tier3Intervention
                | PlanKind::ReferralReview
                | PlanKind::ChangeIntervention
                | PlanKind::RaiseGoal
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PlanKind::Core => "core",
            PlanKind::WholeClassReteach => "whole_class_reteach",
            PlanKind::SmallGroupReteach => "small_group_reteach",
            PlanKind::Tier2Intervention => "tier2_intervention",
            PlanKind::Tier3Intervention => "tier3_intervention",
            PlanKind::ReferralReview => "referral_review",
            PlanKind::NoData => "no_data",
            PlanKind::CollectMore => "collect_more",
            PlanKind::Continue => "continue",
            PlanKind::ChangeIntervention => "change_intervention",
            PlanKind::RaiseGoal => "raise_goal",
        }
    }

    /// The tier a kind implies, used when a plan does not say.
    pub fn default_tier(self) -> Option<u8> {
        match self {
            PlanKind::Core | PlanKind::WholeClassReteach | PlanKind::SmallGroupReteach => Some(1),
            PlanKind::Tier2Intervention => Some(2),
            PlanKind::Tier3Intervention | PlanKind::ReferralReview => Some(3),
            // A progress decision keeps the student in the tier they are in.
            PlanKind::NoData
            | PlanKind::CollectMore
            | PlanKind::Continue
            | PlanKind::ChangeIntervention
            | PlanKind::RaiseGoal => None,
        }
    }
}

/// One branch of the tree.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NodeSpec {
    pub when: Option<Sp<String>>,
    /// The plan when no earlier branch matched; the last branch of a list.
    pub default: Option<Sp<String>>,
    pub plan: Option<Sp<String>>,
    pub then: Option<Sp<Vec<NodeSpec>>>,
    pub focus: Option<Sp<String>>,
    pub reason: Option<Sp<String>>,
    pub if_missing: Option<Sp<IfMissing>>,
}

/// What a branch does when its condition needs a value that is missing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IfMissing {
    /// Go on to the next branch (the default); `explain` shows why.
    #[default]
    Skip,
    /// Take this branch.
    Match,
}
