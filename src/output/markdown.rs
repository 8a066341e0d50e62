//! Small helpers for the Markdown reports (`summary.md` and others).

/// Escapes text for a Markdown table cell or paragraph: characters with a
/// meaning in Markdown or HTML are backslash-escaped, line breaks become
/// spaces, so any organisation name shows as written.
///
/// ```
/// use partnernet::output::markdown::escape;
/// assert_eq!(escape("A | B *C*"), "A \\| B \\*C\\*");
/// assert_eq!(escape("line\nbreak"), "line break");
/// assert_eq!(escape("B&Oslash;RS"), "B\\&Oslash;RS");
/// ```
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            // `&` too, so that `&amp;` in a name is shown as written, not
            // decoded by a Markdown viewer.
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '&' => {
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
