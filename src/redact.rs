//! `--redact`: names reduced to initials, e-mail ids to their first letter
//! and domain, and messages that quote no cell, for plans shared outside
//! the school. The engine applies it as it reads; `explain` to the id it
//! looks for. It decides nothing and reads no file.

use crate::diagnostic::{Code, Diagnostic};

/// `A. L.` for `Ana Lima` (and `L. A.` for `Lima, Ana`): a name reduced to
/// initials, for plans shared outside the school (`--redact`).
pub(crate) fn initials(name: &str) -> String {
    let letters: Vec<String> = name
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter_map(|word| word.chars().find(|c| c.is_alphanumeric()))
        .map(|c| format!("{}.", c.to_uppercase()))
        .collect();
    letters.join(" ")
}

/// An id that is an e-mail address (a Google Forms export's `Email Address`),
/// which names the student, redacted to the first character of its local
/// part and its domain: `a…@school.org` for `ava.lee@school.org`. Any other
/// id is kept, so the school can match it (`--redact`). Two addresses with
/// the same first letter and domain read the same.
pub(crate) fn redact_id(id: &str) -> std::borrow::Cow<'_, str> {
    let trimmed = id.trim();
    match trimmed.split_once('@') {
        Some((local, domain))
            if !domain.contains('@')
                && domain.contains('.')
                && !trimmed.contains(char::is_whitespace) =>
        {
            match local.chars().next() {
                Some(first) => format!("{first}…@{domain}").into(),
                None => id.into(),
            }
        }
        _ => id.into(),
    }
}

/// `d` made fit for `--redact`: every e-mail address it quotes in backticks
/// redacted as [`redact_id`] redacts an id (the duplicate and replaced-row
/// messages name the student by id); a message about one cell (a score, a
/// number, a date or an answer that cannot be read) says "the cell"
/// instead of quoting it, as the reader does under `--redact` (this covers
/// the exports a profile reshapes, read before it); and `--only`'s list of a
/// column's values, which may be names, is left out.
pub(crate) fn redact_message(mut d: Diagnostic) -> Diagnostic {
    const CELL_CODES: [Code; 4] = [
        Code::BadScore,
        Code::BadDate,
        Code::BadItem,
        Code::NotANumber,
    ];
    if CELL_CODES.contains(&d.code) {
        d.message = unquote_cell(&d.message);
    }
    if d.code == Code::NothingSelected
        && d.help
            .as_deref()
            .is_some_and(|h| h.starts_with("its values are"))
    {
        d.help = Some("its values are not shown under `--redact`".to_owned());
    }
    fn scrub(text: &str) -> String {
        text.split('`')
            .enumerate()
            .map(|(i, part)| {
                if i % 2 == 1 {
                    redact_id(part)
                } else {
                    part.into()
                }
            })
            .collect::<Vec<_>>()
            .join("`")
    }
    d.message = scrub(&d.message);
    d.help = d.help.as_deref().map(scrub);
    d
}

/// `message` with its first quoted value, the cell's text, replaced:
/// `` `x` is not a score `` → `the cell is not a score`, `` score `x` is
/// ... `` → `the score is ...`.
fn unquote_cell(message: &str) -> String {
    let Some(open) = message.find('`') else {
        return message.to_owned();
    };
    let Some(close) = message[open + 1..].find('`').map(|c| open + 1 + c) else {
        return message.to_owned();
    };
    let (before, after) = (&message[..open], &message[close + 1..]);
    match before {
        "" => format!("the cell{after}"),
        "score " => format!("the score{after}"),
        _ => format!("{before}the cell{after}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_reduce_to_initials() {
        assert_eq!(initials("Ana Lima"), "A. L.");
        assert_eq!(initials("Chen, Mei"), "C. M.");
        assert_eq!(initials("Nguyễn Thị Lan"), "N. T. L.");
        assert_eq!(initials("  josé  "), "J.");
        assert_eq!(initials(""), "");
    }

    #[test]
    fn cells_are_not_quoted_in_redacted_messages() {
        let redact = |code, message: &str| redact_message(Diagnostic::error(code, message)).message;
        assert_eq!(
            redact(Code::BadDate, "`Ava Lee` is not a date"),
            "the cell is not a date"
        );
        assert_eq!(
            redact(Code::BadScore, "score `120` is 120%, outside 0 to 100"),
            "the score is 120%, outside 0 to 100"
        );
        assert_eq!(
            redact(Code::BadScore, "the cell is not a score"),
            "the cell is not a score"
        );
        assert_eq!(
            redact(
                Code::DuplicateStudent,
                "student `ava@school.org` appears twice"
            ),
            "student `a…@school.org` appears twice"
        );
    }

    #[test]
    fn e_mail_ids_are_redacted() {
        assert_eq!(redact_id("ava.lee@school.org"), "a…@school.org");
        assert_eq!(redact_id(" Zoë@k12.example.us "), "Z…@k12.example.us");
        assert_eq!(redact_id("ID-77120"), "ID-77120");
        assert_eq!(redact_id("@school.org"), "@school.org");
        assert_eq!(redact_id("a@localhost"), "a@localhost");
    }
}
