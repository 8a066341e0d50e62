//! Small helpers for the Markdown reports (`summary.md` and others).

/// Escapes text for a Markdown table cell, list item or paragraph:
/// characters with a meaning in Markdown or HTML are backslash-escaped
/// (`&` too, so that `A &amp; B` is not shown as `A & B`), line breaks become
/// spaces, and a start that would make a heading, a list, a quote or a
/// rule inside a list item (`# `, `- `, `+ `, `1. `, `---`) is escaped, so
/// any organisation name shows as written.
///
/// ```
/// use partnernet::output::markdown::escape;
/// assert_eq!(escape("A | B *C*"), "A \\| B \\*C\\*");
/// assert_eq!(escape("line\nbreak"), "line break");
/// assert_eq!(escape("# Not a heading"), "\\# Not a heading");
/// assert_eq!(escape("1. Not a list"), "1\\. Not a list");
/// assert_eq!(escape("A &amp; B"), "A \\&amp; B");
/// ```
pub fn escape(text: &str) -> String {
    let text = text.trim_start();
    let mut out = String::with_capacity(text.len() + 2);
    // A run of digits then `.` or `)` starts an ordered list.
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let ordered = digits > 0 && matches!(text.as_bytes().get(digits), Some(b'.' | b')'));
    for (i, c) in text.char_indices() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '&' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '#' | '-' | '+' | '=' if i == 0 => {
                out.push('\\');
                out.push(c);
            }
            '.' | ')' if ordered && i == digits => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// A Markdown table. Cells are written as given: escape text with [`escape`].
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    out.push_str(&format!("| {} |\n", header.join(" | ")));
    out.push_str(&format!(
        "|{}\n",
        header.iter().map(|_| "---|").collect::<String>()
    ));
    for row in rows {
        out.push_str(&format!("| {} |\n", row.join(" | ")));
    }
    out
}

/// The table of names that match no organisation: the name, how often it is
/// used, where first, and the nearest names (at most `limit` rows).
pub fn unresolved_table(dataset: &crate::model::Dataset, limit: usize) -> String {
    let rows: Vec<Vec<String>> = dataset
        .unresolved
        .iter()
        .take(limit)
        .map(|u| {
            vec![
                escape(&u.name),
                u.uses.to_string(),
                escape(&dataset.locate(u.first)),
                escape(&u.suggestions.join("; ")),
            ]
        })
        .collect();
    table(&["name", "uses", "first used at", "did you mean"], &rows)
}
