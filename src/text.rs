//! Characters that must not act: the rules every reader and writer shares
//! for control characters, the characters XML cannot carry, and text printed
//! to a terminal.
//!
//! Ingest removes [`unwanted`] characters from every field and says where
//! (see the README's "Your data is safe"); the writers apply [`xml_chars`]
//! and [`terminal`] again as a second line of defence, so an output stays
//! well-formed and a terminal stays inert whatever reaches them.
//!
//! Also how a whole number is written for the staff ([`thousands`]), in
//! messages and in the report alike.

use std::borrow::Cow;

/// Whether XML 1.0 can carry `c` at all, even as a character reference:
/// tab, line feed, carriage return and everything from U+0020 except the
/// surrogates and U+FFFE and U+FFFF (XML 1.0 §2.2, `Char`).
///
/// ```
/// use partnernet::text::xml_char;
/// assert!(xml_char('é') && xml_char('\n'));
/// assert!(!xml_char('\u{1}') && !xml_char('\u{FFFE}') && !xml_char('\u{FFFF}'));
/// ```
pub fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// `s` with every character XML cannot carry replaced by U+FFFD (the
/// replacement character, drawn as "�"). Borrowed when there is none.
pub fn xml_chars(s: &str) -> Cow<'_, str> {
    if s.chars().all(xml_char) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(
            s.chars()
                .map(|c| if xml_char(c) { c } else { '\u{FFFD}' })
                .collect(),
        )
    }
}

/// Bidirectional embeddings, overrides and isolates (U+202A–U+202E,
/// U+2066–U+2069): invisible characters that reorder the text around them,
/// so that a name can look like something else in a table or a terminal.
/// The marks U+200E and U+200F, which right-to-left names need, are not
/// among them.
pub fn bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether ingest removes `c` from a field: control characters other than
/// tab, line feed and carriage return (C0, DEL and C1, among them NUL and the
/// ESC that starts terminal escapes), the bidirectional controls of
/// [`bidi_control`], and the characters XML cannot carry.
///
/// ```
/// use partnernet::text::unwanted;
/// assert!(unwanted('\0') && unwanted('\u{1b}') && unwanted('\u{9b}'));
/// assert!(unwanted('\u{202E}') && unwanted('\u{FFFF}'));
/// assert!(!unwanted('\n') && !unwanted('\t') && !unwanted('\u{200F}') && !unwanted('é'));
/// ```
pub fn unwanted(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || bidi_control(c) || !xml_char(c)
}

/// `s` without its [`unwanted`] characters, and how many there were.
pub fn remove_unwanted(s: &str) -> (Cow<'_, str>, usize) {
    let n = s.chars().filter(|&c| unwanted(c)).count();
    if n == 0 {
        (Cow::Borrowed(s), 0)
    } else {
        (Cow::Owned(s.chars().filter(|&c| !unwanted(c)).collect()), n)
    }
}

/// `s` as it may be printed to a terminal: every control character but the
/// line feed, and every bidirectional control, written out as an escape
/// (`\u{1b}`, `\t`, `\r`), so that no escape sequence reaches the terminal
/// and nothing is reordered. Borrowed when there is nothing to escape.
///
/// ```
/// use partnernet::text::terminal;
/// assert_eq!(terminal("Museum\u{1b}]52;c;eA==\u{7}"), "Museum\\u{1b}]52;c;eA==\\u{7}");
/// assert_eq!(terminal("two\nlines"), "two\nlines");
/// ```
pub fn terminal(s: &str) -> Cow<'_, str> {
    let escaped = |c: char| (c.is_control() && c != '\n') || bidi_control(c);
    if !s.chars().any(escaped) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if escaped(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A count and its noun, in the singular for 1: `plural(1, "tie", "ties")`
/// is `1 tie`, `plural(2, "tie", "ties")` is `2 ties`.
///
/// ```
/// use partnernet::text::plural;
/// assert_eq!(plural(1, "name matches", "names match"), "1 name matches");
/// assert_eq!(plural(0, "tie", "ties"), "0 ties");
/// ```
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A whole number with a comma between each group of three digits, as the
/// staff read counts in messages and in the report (`1,500,000`).
///
/// ```
/// use partnernet::text::thousands;
/// assert_eq!(thousands(1_500_000), "1,500,000");
/// assert_eq!(thousands(999), "999");
/// assert_eq!(thousands(0), "0");
/// ```
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_escapes_every_control_but_the_line_feed() {
        for c in (0u32..0x20).chain(0x7f..0xa0).filter_map(char::from_u32) {
            let s = format!("a{c}b");
            let t = terminal(&s);
            assert_eq!(t.contains(c), c == '\n', "{c:?}");
            assert!(t.chars().all(|c| c == '\n' || !c.is_control()));
        }
        assert_eq!(terminal("\u{202E}abc"), "\\u{202e}abc");
    }

    #[test]
    fn xml_chars_replaces_what_xml_cannot_carry() {
        assert_eq!(xml_chars("a\u{FFFE}b\u{0}c"), "a\u{FFFD}b\u{FFFD}c");
        assert!(matches!(xml_chars("plain é\n"), Cow::Borrowed(_)));
    }

    #[test]
    fn remove_unwanted_counts() {
        assert_eq!(
            remove_unwanted("\0=1+1\u{1b}[31m"),
            (Cow::Owned("=1+1[31m".to_string()), 2)
        );
    }
}
