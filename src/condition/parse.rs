//! Condition text → [`Expr`] syntax tree, keeping the byte span of every node.
//!
//! The grammar, loosest binding first:
//!
//! ```text
//! expr    = or
//! or      = and ("or" and)*
//! and     = not ("and" not)*
//! not     = "not" not | test
//! test    = sum [ ("<" | "<=" | ">" | ">=" | "==" | "=" | "!=") sum
//!               | ["not"] "in" "[" [sum ("," sum)*] "]"
//!               | "is" ["not"] ("missing" | "present") ]
//! sum     = product (("+" | "-") product)*
//! product = unary (("*" | "/") unary)*
//! unary   = "-" unary | atom
//! atom    = number | 'text' | "text" | true | false
//!         | name | name "(" [expr ("," expr)*] ")" | "(" expr ")"
//! name    = letter (letter | digit | "_" | ".")* | `any text`
//! ```
//!
//! This module knows only syntax; names are resolved in `compile`. It must
//! never panic or recurse without bound: nesting is capped at
//! [`MAX_DEPTH`] and the text at [`MAX_LEN`] bytes.

use std::fmt;

/// Deepest nesting of parentheses, `not` and operators accepted.
pub const MAX_DEPTH: usize = 64;
/// Longest condition accepted, in bytes.
pub const MAX_LEN: usize = 4096;

/// Byte range in the condition text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    fn to(self, other: Span) -> Span {
        Span {
            start: self.start,
            end: other.end,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Number(f64),
    Text(String),
    Bool(bool),
    Name(String),
    Call(String, Span, Vec<Expr>),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Compare(CmpOp, Box<Expr>, Box<Expr>),
    Arith(ArithOp, Box<Expr>, Box<Expr>),
    In {
        value: Box<Expr>,
        list: Vec<Expr>,
        negated: bool,
    },
    Is {
        value: Box<Expr>,
        missing: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
}

/// A syntax error at a span of the condition text.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    pub message: String,
    pub span: Span,
    pub help: Option<String>,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Number(f64),
    Text(String),
    Name(String),
    /// A backtick-quoted name, never a keyword.
    Quoted(String),
    Op(&'static str),
    End,
}

struct Lexer<'a> {
    src: &'a str,
    pos: usize,
}

impl<'a> Lexer<'a> {
    fn next(&mut self) -> Result<(Tok, Span), ParseError> {
        let bytes = self.src.as_bytes();
        while self.pos < bytes.len() && bytes[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
        let start = self.pos;
        let Some(&c) = bytes.get(start) else {
            return Ok((Tok::End, Span { start, end: start }));
        };
        let tok = match c {
            b'0'..=b'9' | b'.'
                if c != b'.' || bytes.get(start + 1).is_some_and(u8::is_ascii_digit) =>
            {
                self.number()?
            }
            b'\'' | b'"' => self.text(c)?,
            b'`' => {
                let end = self.src[start + 1..].find('`').ok_or_else(|| ParseError {
                    message: "unclosed `` ` `` around a name".into(),
                    span: Span {
                        start,
                        end: bytes.len(),
                    },
                    help: Some("close the name with a second backtick".into()),
                })?;
                self.pos = start + 1 + end + 1;
                Tok::Quoted(self.src[start + 1..start + 1 + end].to_owned())
            }
            c if c.is_ascii_alphabetic()
                || c == b'_'
                || (c >= 0x80
                    && self.src[start..]
                        .chars()
                        .next()
                        .is_some_and(char::is_alphabetic)) =>
            {
                let rest = &self.src[start..];
                let len = rest
                    .char_indices()
                    .find(|&(_, ch)| !(ch.is_alphanumeric() || ch == '_' || ch == '.'))
                    .map_or(rest.len(), |(i, _)| i);
                self.pos = start + len;
                Tok::Name(rest[..len].to_owned())
            }
            _ => {
                const OPS: [&str; 15] = [
                    "<=", ">=", "==", "!=", "<", ">", "=", "(", ")", "[", "]", ",", "+", "-", "*",
                ];
                let rest = &self.src[start..];
                match OPS.iter().find(|op| rest.starts_with(**op)) {
                    Some(op) => {
                        self.pos += op.len();
                        Tok::Op(op)
                    }
                    None if c == b'/' => {
                        self.pos += 1;
                        Tok::Op("/")
                    }
                    None => {
                        let ch = rest.chars().next().unwrap_or('?');
                        return Err(ParseError {
                            message: format!("unexpected `{ch}` in condition"),
                            span: Span {
                                start,
                                end: start + ch.len_utf8(),
                            },
                            help: match ch {
                                '&' | '|' => Some("write `and`, `or` and `not` as words".to_owned()),
                                '‘' | '’' | '“' | '”' => Some(
                                    "write text in straight quotes, 'like this' (a word processor may have curled them)"
                                        .to_owned(),
                                ),
                                _ => None,
                            },
                        });
                    }
                }
            }
        };
        Ok((
            tok,
            Span {
                start,
                end: self.pos,
            },
        ))
    }

    fn number(&mut self) -> Result<Tok, ParseError> {
        let bytes = self.src.as_bytes();
        let start = self.pos;
        let mut end = start;
        while end < bytes.len() && (bytes[end].is_ascii_digit() || bytes[end] == b'.') {
            end += 1;
        }
        self.pos = end;
        let text = &self.src[start..end];
        let span = Span { start, end };
        if bytes.get(end) == Some(&b'%') {
            return Err(ParseError {
                message: format!("`{text}%`: write percents as plain numbers"),
                span: Span {
                    start,
                    end: end + 1,
                },
                help: Some(format!("scores are percents already: write `{text}`")),
            });
        }
        text.parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .map(Tok::Number)
            .ok_or_else(|| ParseError {
                message: format!("`{text}` is not a number"),
                span,
                help: None,
            })
    }

    fn text(&mut self, quote: u8) -> Result<Tok, ParseError> {
        let start = self.pos;
        let body = &self.src[start + 1..];
        match body.find(quote as char) {
            Some(end) => {
                self.pos = start + 1 + end + 1;
                Ok(Tok::Text(body[..end].to_owned()))
            }
            None => Err(ParseError {
                message: "unclosed quote".into(),
                span: Span {
                    start,
                    end: self.src.len(),
                },
                help: Some(format!("end the text with {}", quote as char)),
            }),
        }
    }
}

struct Parser<'a> {
    lexer: Lexer<'a>,
    tok: Tok,
    span: Span,
    depth: usize,
}

/// Parse one condition (or a value, such as a `{placeholder}`).
pub fn parse(src: &str) -> Result<Expr, ParseError> {
    if src.len() > MAX_LEN {
        return Err(ParseError {
            message: format!(
                "condition is {} bytes long; the limit is {MAX_LEN}",
                src.len()
            ),
            span: Span { start: 0, end: 0 },
            help: Some("split it into nested branches".into()),
        });
    }
    let mut lexer = Lexer { src, pos: 0 };
    let (tok, span) = lexer.next()?;
    let mut parser = Parser {
        lexer,
        tok,
        span,
        depth: 0,
    };
    if parser.tok == Tok::End {
        return Err(ParseError {
            message: "empty condition".into(),
            span: parser.span,
            help: Some("write a test such as `score < mastery`".into()),
        });
    }
    let expr = parser.expr()?;
    if parser.tok != Tok::End {
        return Err(parser.unexpected("`and`, `or` or the end of the condition"));
    }
    Ok(expr)
}

impl Parser<'_> {
    fn bump(&mut self) -> Result<Span, ParseError> {
        let span = self.span;
        let (tok, next) = self.lexer.next()?;
        self.tok = tok;
        self.span = next;
        Ok(span)
    }

    fn is_word(&self, word: &str) -> bool {
        matches!(&self.tok, Tok::Name(n) if n.eq_ignore_ascii_case(word))
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(&self.tok, Tok::Op(o) if *o == op)
    }

    fn unexpected(&self, wanted: &str) -> ParseError {
        let found = match &self.tok {
            Tok::End => "the end of the condition".to_owned(),
            Tok::Number(_) | Tok::Text(_) | Tok::Name(_) | Tok::Quoted(_) | Tok::Op(_) => {
                format!("`{}`", &self.lexer.src[self.span.start..self.span.end])
            }
        };
        ParseError {
            message: format!("expected {wanted}, found {found}"),
            span: self.span,
            help: None,
        }
    }

    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ParseError {
                message: format!("condition nests deeper than {MAX_DEPTH} levels"),
                span: self.span,
                help: Some("split it into nested branches".into()),
            });
        }
        Ok(())
    }

    fn expr(&mut self) -> Result<Expr, ParseError> {
        self.enter()?;
        let mut left = self.and()?;
        while self.is_word("or") {
            self.bump()?;
            let right = self.and()?;
            let span = left.span.to(right.span);
            left = Expr {
                kind: ExprKind::Or(Box::new(left), Box::new(right)),
                span,
            };
        }
        self.depth -= 1;
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.not()?;
        while self.is_word("and") {
            self.bump()?;
            let right = self.not()?;
            let span = left.span.to(right.span);
            left = Expr {
                kind: ExprKind::And(Box::new(left), Box::new(right)),
                span,
            };
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Expr, ParseError> {
        if self.is_word("not") {
            self.enter()?;
            let start = self.bump()?;
            let inner = self.not()?;
            self.depth -= 1;
            let span = start.to(inner.span);
            return Ok(Expr {
                kind: ExprKind::Not(Box::new(inner)),
                span,
            });
        }
        self.test()
    }

    fn test(&mut self) -> Result<Expr, ParseError> {
        let left = self.sum()?;
        let op = match &self.tok {
            Tok::Op("<") => Some(CmpOp::Lt),
            Tok::Op("<=") => Some(CmpOp::Le),
            Tok::Op(">") => Some(CmpOp::Gt),
            Tok::Op(">=") => Some(CmpOp::Ge),
            Tok::Op("==" | "=") => Some(CmpOp::Eq),
            Tok::Op("!=") => Some(CmpOp::Ne),
            _ => None,
        };
        if let Some(op) = op {
            self.bump()?;
            let right = self.sum()?;
            let span = left.span.to(right.span);
            return Ok(Expr {
                kind: ExprKind::Compare(op, Box::new(left), Box::new(right)),
                span,
            });
        }
        if self.is_word("in") || self.is_word("not") {
            let negated = self.is_word("not");
            if negated {
                self.bump()?;
                if !self.is_word("in") {
                    return Err(self.unexpected("`in` after `not`"));
                }
            }
            self.bump()?;
            if !self.is_op("[") {
                return Err(self.unexpected("`[` to start the list"));
            }
            self.bump()?;
            let mut list = Vec::new();
            while !self.is_op("]") {
                list.push(self.sum()?);
                if self.is_op(",") {
                    self.bump()?;
                } else if !self.is_op("]") {
                    return Err(self.unexpected("`,` or `]`"));
                }
            }
            let end = self.bump()?;
            let span = left.span.to(end);
            return Ok(Expr {
                kind: ExprKind::In {
                    value: Box::new(left),
                    list,
                    negated,
                },
                span,
            });
        }
        if self.is_word("is") {
            self.bump()?;
            let negated = self.is_word("not");
            if negated {
                self.bump()?;
            }
            let missing = if self.is_word("missing") {
                true
            } else if self.is_word("present") {
                false
            } else {
                return Err(self.unexpected("`missing` or `present` after `is`"));
            };
            let end = self.bump()?;
            let span = left.span.to(end);
            return Ok(Expr {
                kind: ExprKind::Is {
                    value: Box::new(left),
                    missing: missing != negated,
                },
                span,
            });
        }
        Ok(left)
    }

    fn sum(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.product()?;
        loop {
            let op = match self.tok {
                Tok::Op("+") => ArithOp::Add,
                Tok::Op("-") => ArithOp::Sub,
                _ => return Ok(left),
            };
            self.bump()?;
            let right = self.product()?;
            let span = left.span.to(right.span);
            left = Expr {
                kind: ExprKind::Arith(op, Box::new(left), Box::new(right)),
                span,
            };
        }
    }

    fn product(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.unary()?;
        loop {
            let op = match self.tok {
                Tok::Op("*") => ArithOp::Mul,
                Tok::Op("/") => ArithOp::Div,
                _ => return Ok(left),
            };
            self.bump()?;
            let right = self.unary()?;
            let span = left.span.to(right.span);
            left = Expr {
                kind: ExprKind::Arith(op, Box::new(left), Box::new(right)),
                span,
            };
        }
    }

    fn unary(&mut self) -> Result<Expr, ParseError> {
        if self.is_op("-") {
            self.enter()?;
            let start = self.bump()?;
            let inner = self.unary()?;
            self.depth -= 1;
            let span = start.to(inner.span);
            return Ok(match inner.kind {
                ExprKind::Number(n) => Expr {
                    kind: ExprKind::Number(-n),
                    span,
                },
                _ => Expr {
                    kind: ExprKind::Neg(Box::new(inner)),
                    span,
                },
            });
        }
        self.atom()
    }

    fn atom(&mut self) -> Result<Expr, ParseError> {
        let span = self.span;
        let kind = match std::mem::replace(&mut self.tok, Tok::End) {
            Tok::Number(n) => ExprKind::Number(n),
            Tok::Text(t) => ExprKind::Text(t),
            Tok::Quoted(name) => ExprKind::Name(name),
            Tok::Name(name) if name.eq_ignore_ascii_case("true") => ExprKind::Bool(true),
            Tok::Name(name) if name.eq_ignore_ascii_case("false") => ExprKind::Bool(false),
            Tok::Name(name) if is_keyword(&name) => {
                self.tok = Tok::Name(name);
                return Err(self.unexpected("a value"));
            }
            Tok::Name(name) => {
                self.bump()?;
                if self.is_op("(") {
                    return self.call(name, span);
                }
                return Ok(Expr {
                    kind: ExprKind::Name(name),
                    span,
                });
            }
            Tok::Op("(") => {
                self.bump()?;
                let inner = self.expr()?;
                if !self.is_op(")") {
                    return Err(self.unexpected("`)`"));
                }
                let end = self.bump()?;
                return Ok(Expr {
                    kind: inner.kind,
                    span: span.to(end),
                });
            }
            other => {
                self.tok = other;
                return Err(self.unexpected("a value"));
            }
        };
        self.bump()?;
        Ok(Expr { kind, span })
    }

    fn call(&mut self, name: String, name_span: Span) -> Result<Expr, ParseError> {
        self.enter()?;
        self.bump()?; // (
        let mut args = Vec::new();
        while !self.is_op(")") {
            args.push(self.expr()?);
            if self.is_op(",") {
                self.bump()?;
            } else if !self.is_op(")") {
                return Err(self.unexpected("`,` or `)`"));
            }
        }
        let end = self.bump()?;
        self.depth -= 1;
        Ok(Expr {
            kind: ExprKind::Call(name, name_span, args),
            span: name_span.to(end),
        })
    }
}

fn is_keyword(name: &str) -> bool {
    ["and", "or", "not", "in", "is"]
        .iter()
        .any(|k| k.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(src: &str) -> String {
        fn show(e: &Expr) -> String {
            match &e.kind {
                ExprKind::Number(n) => n.to_string(),
                ExprKind::Text(t) => format!("'{t}'"),
                ExprKind::Bool(b) => b.to_string(),
                ExprKind::Name(n) => n.clone(),
                ExprKind::Call(n, _, args) => {
                    format!(
                        "{n}({})",
                        args.iter().map(show).collect::<Vec<_>>().join(", ")
                    )
                }
                ExprKind::Not(x) => format!("(not {})", show(x)),
                ExprKind::Neg(x) => format!("(-{})", show(x)),
                ExprKind::And(a, b) => format!("({} and {})", show(a), show(b)),
                ExprKind::Or(a, b) => format!("({} or {})", show(a), show(b)),
                ExprKind::Compare(op, a, b) => format!("({} {} {})", show(a), op.symbol(), show(b)),
                ExprKind::Arith(op, a, b) => format!("({} {op:?} {})", show(a), show(b)),
                ExprKind::In {
                    value,
                    list,
                    negated,
                } => format!(
                    "({} {}in [{}])",
                    show(value),
                    if *negated { "not " } else { "" },
                    list.iter().map(show).collect::<Vec<_>>().join(", ")
                ),
                ExprKind::Is { value, missing } => format!(
                    "({} is {})",
                    show(value),
                    if *missing { "missing" } else { "present" }
                ),
            }
        }
        show(&parse(src).unwrap())
    }

    #[test]
    fn precedence_is_not_then_and_then_or() {
        assert_eq!(
            shape("a < 1 or not b >= 2 and c = 'x'"),
            "((a < 1) or ((not (b >= 2)) and (c == 'x')))"
        );
    }

    #[test]
    fn names_may_hold_dots_and_backticks_anything() {
        assert_eq!(shape("NBT.1 < mastery"), "(NBT.1 < mastery)");
        assert_eq!(shape("`Reading Score` >= 40"), "(Reading Score >= 40)");
    }

    #[test]
    fn membership_missing_and_calls() {
        assert_eq!(
            shape("grade not in ['K', 1, 2]"),
            "(grade not in ['K', 1, 2])"
        );
        assert_eq!(shape("screening is not missing"), "(screening is present)");
        assert_eq!(
            shape("any(score < mastery and not whole_class)"),
            "any(((score < mastery) and (not whole_class)))"
        );
        assert_eq!(shape("-3 + x * 2"), "(-3 Add (x Mul 2))");
    }

    #[test]
    fn errors_point_at_the_bad_token() {
        let e = parse("score < < 3").unwrap_err();
        assert_eq!(e.message, "expected a value, found `<`");
        assert_eq!(e.span, Span { start: 8, end: 9 });
        let e = parse("a && b").unwrap_err();
        assert_eq!(
            e.help.as_deref(),
            Some("write `and`, `or` and `not` as words")
        );
        assert!(parse("(a").unwrap_err().message.contains("expected `)`"));
        assert!(parse("").is_err());
        assert!(parse("x in 3").is_err());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("{}x{}", "(".repeat(100), ")".repeat(100));
        assert!(parse(&deep).unwrap_err().message.contains("deeper"));
        assert!(
            parse(&"(".repeat(10_000))
                .unwrap_err()
                .message
                .contains("limit")
        );
        let nots = "not ".repeat(1000) + "x";
        assert!(parse(&nots).unwrap_err().message.contains("deeper"));
    }
}
