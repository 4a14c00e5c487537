//! The tree, checked: every list of branches ends with a `default` and
//! repeats no test, a branch has a `plan` or a `then`, not both, and every
//! condition, focus and reason placeholder parses.

use super::Validator;
use crate::condition::one_line;
use crate::condition::parse::{self, Expr, ExprKind, ParseError};
use crate::diagnostic::{Code, Diagnostic};
use crate::rules::model::NodeSpec;
use crate::rules::yaml::{Pos, Sp};
use crate::rules::{
    Branch, Focus, IfMissing, Leaf, Located, Outcome, Part, Plan, Template, Tree, offset_in_scalar,
};

/// Deepest nesting of `then:` sub-trees accepted.
pub(super) const MAX_TREE_DEPTH: usize = 16;

impl Validator {
    pub(super) fn located(&mut self, text: &Sp<String>) -> Option<Located> {
        match parse::parse(&text.value) {
            Ok(expr) => Some(Located {
                text: text.value.clone(),
                pos: text.pos,
                base: 0,
                expr,
            }),
            Err(e) => {
                self.parse_error(text, 0, &e);
                None
            }
        }
    }

    pub(super) fn parse_error(&mut self, text: &Sp<String>, base: usize, e: &ParseError) {
        let located = Located {
            text: text.value.clone(),
            pos: text.pos,
            base,
            expr: Expr {
                kind: ExprKind::Bool(false),
                span: e.span,
            },
        };
        let (extra, len) = offset_in_scalar(&self.source, &located, e.span);
        self.problems.push(
            Diagnostic::error(Code::BadCondition, e.message.clone())
                .at(self.source.location(text.pos, extra, len))
                .help_opt(e.help.clone()),
        );
    }

    pub(super) fn tree(
        &mut self,
        nodes: Vec<NodeSpec>,
        pos: Pos,
        plans: &[Plan],
        depth: usize,
    ) -> Option<Tree> {
        if depth > MAX_TREE_DEPTH {
            self.error(
                Code::TreeTooDeep,
                format!("branches nest more than {MAX_TREE_DEPTH} levels deep"),
                pos,
                Some("flatten the tree: combine tests with `and`".into()),
            );
            return None;
        }
        let mut branches = Vec::new();
        let mut default = None;
        let mut seen: Vec<(String, Pos)> = Vec::new();
        for node in nodes {
            let node_pos = node
                .when
                .as_ref()
                .map(|w| w.pos)
                .or(node.default.as_ref().map(|d| d.pos))
                .unwrap_or(pos);
            if default.is_some() {
                self.error(
                    Code::UnreachableBranch,
                    "this branch comes after the `default` and can never be reached".into(),
                    node_pos,
                    Some("move it above the `default`, or remove it".into()),
                );
                continue;
            }
            match (&node.when, &node.default) {
                (Some(_), Some(_)) => {
                    self.error(
                        Code::BadBranch,
                        "a branch has both `when` and `default`".into(),
                        node_pos,
                        Some("a branch is `when: <test>` with `plan` or `then`; the last is `default: <plan>`".into()),
                    );
                }
                (None, None) => {
                    self.error(
                        Code::BadBranch,
                        "a branch has neither `when` nor `default`".into(),
                        node_pos,
                        Some("start the branch with `when: <test>`, or make it the last, `default: <plan>`".into()),
                    );
                }
                (None, Some(plan)) => {
                    if node.plan.is_some() || node.then.is_some() || node.if_missing.is_some() {
                        self.error(
                            Code::BadBranch,
                            "a `default` names its plan itself and takes no `plan`, `then` or `if_missing`".into(),
                            node_pos,
                            Some("write `default: <plan>`, with `focus` and `reason` if needed".into()),
                        );
                    }
                    // A default with problems still ends the list, so the
                    // branches after it are reported as unreachable.
                    default = Some(
                        self.leaf(plan, node.focus.as_ref(), node.reason.as_ref(), plans)
                            .unwrap_or(Leaf {
                                id: usize::MAX,
                                plan: usize::MAX,
                                focus: Focus::None,
                                reason: None,
                                pos: plan.pos,
                            }),
                    );
                }
                (Some(_), None) => {
                    if let Some(branch) = self.branch(node, plans, depth, &mut seen) {
                        branches.push(branch);
                    }
                }
            }
        }
        let Some(default) = default else {
            self.error(
                Code::MissingDefault,
                "this list of branches has no `default`".into(),
                pos,
                Some("end it with `- default: <plan>`, the plan when no branch matches".into()),
            );
            return None;
        };
        Some(Tree { branches, default })
    }

    /// A branch with `when`, checked; `seen` holds the tests before it in
    /// its list, one line each, to find a repeated one.
    pub(super) fn branch(
        &mut self,
        node: NodeSpec,
        plans: &[Plan],
        depth: usize,
        seen: &mut Vec<(String, Pos)>,
    ) -> Option<Branch> {
        let when = node.when.as_ref()?;
        let normalized = one_line(&when.value);
        if let Some((_, earlier)) = seen.iter().find(|(text, _)| *text == normalized) {
            self.error(
                Code::UnreachableBranch,
                format!(
                    "this branch repeats the test on line {} and can never be reached",
                    earlier.line
                ),
                when.pos,
                Some("remove it, or change its test".into()),
            );
        }
        seen.push((normalized, when.pos));
        let located = self.located(when)?;
        if let ExprKind::Bool(false) = located.expr.kind {
            self.error(
                Code::UnreachableBranch,
                "`when: false` never matches".into(),
                when.pos,
                Some("remove the branch".into()),
            );
        }
        let outcome = match (&node.plan, node.then) {
            (Some(plan), None) => {
                let leaf = self.leaf(plan, node.focus.as_ref(), node.reason.as_ref(), plans)?;
                Outcome::Leaf(Box::new(leaf))
            }
            (None, Some(then)) => {
                if node.focus.is_some() || node.reason.is_some() {
                    self.error(
                        Code::BadBranch,
                        "`focus` and `reason` belong to the branches inside `then`".into(),
                        when.pos,
                        None,
                    );
                }
                Outcome::Tree(Box::new(self.tree(
                    then.value,
                    then.pos,
                    plans,
                    depth + 1,
                )?))
            }
            (Some(_), Some(_)) => {
                self.error(
                    Code::BadBranch,
                    "a branch has both `plan` and `then`".into(),
                    when.pos,
                    Some("give it a `plan`, or a `then` list of branches, not both".into()),
                );
                return None;
            }
            (None, None) => {
                self.error(
                    Code::BadBranch,
                    "a branch with `when` needs a `plan` or a `then` list".into(),
                    when.pos,
                    None,
                );
                return None;
            }
        };
        if matches!(located.expr.kind, ExprKind::Bool(true)) {
            self.error(
                Code::AlwaysTrue,
                "`when: true` always matches; write it as the `default`".into(),
                when.pos,
                None,
            );
        }
        Some(Branch {
            when: located,
            if_missing: node.if_missing.map(|m| m.value).unwrap_or(IfMissing::Skip),
            outcome,
        })
    }

    pub(super) fn leaf(
        &mut self,
        plan: &Sp<String>,
        focus: Option<&Sp<String>>,
        reason: Option<&Sp<String>>,
        plans: &[Plan],
    ) -> Option<Leaf> {
        let plan_index = self.plan_ref(plans, plan)?;
        let focus = match focus {
            None => Focus::None,
            Some(text) => self.focus(text)?,
        };
        let reason = match reason {
            None => None,
            Some(text) => Some(self.template(text)?),
        };
        let id = self.leaves;
        self.leaves += 1;
        Some(Leaf {
            id,
            plan: plan_index,
            focus,
            reason,
            pos: plan.pos,
        })
    }

    pub(super) fn focus(&mut self, text: &Sp<String>) -> Option<Focus> {
        if text.value.trim() == "none" {
            return Some(Focus::None);
        }
        let located = self.located(text)?;
        match &located.expr.kind {
            ExprKind::Name(name) if name == "weakest" => Some(Focus::Weakest(None)),
            ExprKind::Call(name, _, args) if name == "weakest" && args.len() == 1 => {
                Some(Focus::Weakest(Some(Located {
                    expr: args[0].clone(),
                    ..located
                })))
            }
            _ => {
                self.error(
                    Code::BadFocus,
                    format!("focus `{}` is not understood", text.value),
                    text.pos,
                    Some("write `weakest`, `weakest(<test about a skill>)` or `none`".into()),
                );
                None
            }
        }
    }

    pub(super) fn template(&mut self, text: &Sp<String>) -> Option<Template> {
        let mut parts = Vec::new();
        let s = &text.value;
        let mut literal = String::new();
        let mut i = 0;
        while i < s.len() {
            let rest = &s[i..];
            if rest.starts_with("{{") || rest.starts_with("}}") {
                literal.push_str(&rest[..1]);
                i += 2;
            } else if rest.starts_with('{') {
                let Some(end) = rest.find('}') else {
                    self.error(
                        Code::BadReason,
                        "`{` opens a placeholder that is never closed".into(),
                        text.pos,
                        Some("close it with `}`, or write `{{` for a literal brace".into()),
                    );
                    return None;
                };
                if !literal.is_empty() {
                    parts.push(Part::Text(std::mem::take(&mut literal)));
                }
                let inner = &rest[1..end];
                match inner.trim() {
                    "focus" => parts.push(Part::Focus),
                    "focus_score" => parts.push(Part::FocusScore),
                    _ => match parse::parse(inner) {
                        Ok(expr) => parts.push(Part::Value(Located {
                            text: s.clone(),
                            pos: text.pos,
                            base: i + 1,
                            expr,
                        })),
                        Err(e) => {
                            self.parse_error(text, i + 1, &e);
                            return None;
                        }
                    },
                }
                i += end + 1;
            } else {
                let ch = rest.chars().next().unwrap_or(' ');
                literal.push(ch);
                i += ch.len_utf8();
            }
        }
        if !literal.is_empty() {
            parts.push(Part::Text(literal));
        }
        Some(Template {
            pos: text.pos,
            parts,
        })
    }
}
