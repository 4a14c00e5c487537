//! Column names as tierplan compares them: equal ignoring case, spaces,
//! underscores and hyphens (`Student ID`, `student_id` and `STUDENT-ID` are
//! one name). The rules (a skill named in a condition) and the readers (a
//! file's header) both compare names this way; this module depends on
//! neither.

/// A header reduced to what matters for matching.
pub fn normalize(header: &str) -> String {
    header
        .chars()
        .filter(|c| !(c.is_whitespace() || *c == '_' || *c == '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether two headers are the same name.
pub fn same_header(a: &str, b: &str) -> bool {
    normalize(a) == normalize(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_ignoring_case_spaces_and_underscores() {
        assert!(same_header("Student ID", "student_id"));
        assert!(same_header("STUDENT-ID", "studentid"));
        assert!(!same_header("NBT.1", "NBT.2"));
    }
}
