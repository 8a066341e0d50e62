//! Parsing the typed fields of the dataset: dates, Wikidata items, weights,
//! lists, countries.

use chrono::NaiveDate;

use crate::config::DateOrder;

/// Reads an ISO 8601 date: `2024-05-17`, `2024-05` (the first of the month),
/// `2024` (the first of the year), or a date and time (`2024-05-17T10:00:00Z`,
/// whose time is ignored).
///
/// ```
/// use partnernet::ingest::fields::parse_date;
/// assert_eq!(parse_date("2024-05").unwrap().to_string(), "2024-05-01");
/// assert!(parse_date("17/05/2024").is_none());
/// ```
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let date_part = match s.find('T') {
        Some(10) => &s[..10],
        Some(_) => return None,
        None => s,
    };
    let b = date_part.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, d| {
            d.is_ascii_digit().then(|| acc * 10 + u32::from(d - b'0'))
        })
    };
    match date_part.len() {
        10 if b[4] == b'-' && b[7] == b'-' => {
            NaiveDate::from_ymd_opt(digits(0..4)? as i32, digits(5..7)?, digits(8..10)?)
        }
        10 => NaiveDate::parse_from_str(date_part, "%Y-%m-%d").ok(),
        7 => NaiveDate::parse_from_str(&format!("{date_part}-01"), "%Y-%m-%d").ok(),
        4 if date_part.bytes().all(|b| b.is_ascii_digit()) => {
            NaiveDate::from_ymd_opt(date_part.parse().ok()?, 1, 1)
        }
        _ => None,
    }
}

/// What a date cell says, read as people write dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateRead {
    Date(NaiveDate),
    /// Not a date under the date order, but one under the other order: the
    /// file most likely uses the other order.
    OtherOrder,
    /// Not a date partnernet can read (or a two-digit year, which could be
    /// any century).
    Unreadable,
}

/// Reads a date as people write it: the ISO forms of [`parse_date`], year
/// first with `-`, `/` or `.` and one- or two-digit months and days
/// (`2024-1-15`, `2024/01/15`), and day and month first by `order`
/// (`12/03/2024`, `12.03.2024`, `12-03-2024`); English month names
/// (`15 March 2024`, `15-Mar-2024`, `March 15, 2024`, `March 2024`); a
/// time of day after the date, as spreadsheets write a date-and-time cell
/// (`2024-03-15 00:00:00`, `3/15/2024 0:00`, `15.03.2024 10:30 AM`), is
/// left out.
///
/// ```
/// use partnernet::config::DateOrder;
/// use partnernet::ingest::fields::{parse_date_as, DateRead};
/// let d = |s| match parse_date_as(s, DateOrder::DayFirst) { DateRead::Date(d) => d.to_string(), other => format!("{other:?}") };
/// assert_eq!(d("2024-1-15"), "2024-01-15");
/// assert_eq!(d("12/03/2024"), "2024-03-12");
/// assert_eq!(d("5.4.2024"), "2024-04-05");
/// assert_eq!(d("03/30/2024"), "OtherOrder");
/// assert_eq!(d("12/03/24"), "Unreadable");
/// assert_eq!(d("2024-03-15 00:00:00"), "2024-03-15");
/// assert_eq!(d("15-Mar-2024"), "2024-03-15");
/// ```
pub fn parse_date_as(s: &str, order: DateOrder) -> DateRead {
    if let Some(d) = parse_date(s) {
        return DateRead::Date(d);
    }
    let s = without_time(s.trim());
    if let Some(d) = parse_date(s).or_else(|| with_month_name(s)) {
        return DateRead::Date(d);
    }
    let parts: Vec<&str> = s.split(['-', '/', '.']).map(str::trim).collect();
    let numbers: Option<Vec<u32>> = parts
        .iter()
        .map(|p| {
            (!p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse().ok())
                .flatten()
        })
        .collect();
    let (Some(n), 3) = (numbers, parts.len()) else {
        return DateRead::Unreadable;
    };
    let date = |y: u32, m: u32, d: u32| NaiveDate::from_ymd_opt(y as i32, m, d);
    if parts[0].len() == 4 {
        if parts[1].len() > 2 || parts[2].len() > 2 {
            return DateRead::Unreadable;
        }
        return date(n[0], n[1], n[2]).map_or(DateRead::Unreadable, DateRead::Date);
    }
    if parts[2].len() != 4 || parts[0].len() > 2 || parts[1].len() > 2 {
        return DateRead::Unreadable;
    }
    let (day_first, month_first) = (date(n[2], n[1], n[0]), date(n[2], n[0], n[1]));
    let (wanted, other) = match order {
        DateOrder::DayFirst => (day_first, month_first),
        DateOrder::MonthFirst => (month_first, day_first),
    };
    match (wanted, other) {
        (Some(d), _) => DateRead::Date(d),
        (None, Some(_)) => DateRead::OtherOrder,
        (None, None) => DateRead::Unreadable,
    }
}

/// `s` without a time of day after the date (` 10:30`, ` 0:00:00`,
/// ` 10:30 PM`), as spreadsheets write date-and-time cells.
fn without_time(s: &str) -> &str {
    let Some((date, time)) = s.rsplit_once(' ').map(|(d, t)| (d.trim_end(), t)) else {
        return s;
    };
    // `10:30 PM`: the clock is the word before.
    let (date, time) = if time.eq_ignore_ascii_case("am") || time.eq_ignore_ascii_case("pm") {
        match date.rsplit_once(' ') {
            Some((d, t)) => (d.trim_end(), t),
            None => return s,
        }
    } else {
        (date, time)
    };
    let clock = time.split(':').collect::<Vec<_>>();
    let is_clock = (2..=3).contains(&clock.len())
        && clock.iter().all(|p| {
            let p = p.split('.').next().unwrap_or("");
            !p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit())
        });
    if is_clock && !date.is_empty() {
        date
    } else {
        s
    }
}

/// A date written with an English month name, full or short, in any case:
/// `15 March 2024`, `15-Mar-2024`, `March 15, 2024`; `March 2024` is the
/// first of the month.
fn with_month_name(s: &str) -> Option<NaiveDate> {
    if !s.bytes().any(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let spaced = s.replace(['-', '/', '.'], " ").replace(',', " ");
    let words: Vec<&str> = spaced.split_whitespace().collect();
    let number = |w: &str, most: usize| {
        !w.is_empty() && w.len() <= most && w.bytes().all(|b| b.is_ascii_digit())
    };
    let (day, month, year) = match words[..] {
        [d, m, y] if number(d, 2) && number(y, 4) && y.len() == 4 => (d, m, y),
        [m, d, y] if number(d, 2) && number(y, 4) && y.len() == 4 => (d, m, y),
        [m, y] if number(y, 4) && y.len() == 4 => ("1", m, y),
        _ => return None,
    };
    NaiveDate::parse_from_str(&format!("{day} {month} {year}"), "%d %B %Y").ok()
}

/// Reads a Wikidata item: `Q42`, `q42`, or its address
/// (`https://www.wikidata.org/wiki/Q42`, `http://www.wikidata.org/entity/Q42`).
///
/// ```
/// use partnernet::ingest::fields::parse_qid;
/// assert_eq!(parse_qid("https://www.wikidata.org/wiki/Q42").as_deref(), Some("Q42"));
/// assert_eq!(parse_qid("Q0"), None);
/// assert_eq!(parse_qid("42"), None);
/// ```
pub fn parse_qid(s: &str) -> Option<String> {
    let s = s.trim();
    let s = s.rsplit('/').next().unwrap_or(s);
    let digits = s.strip_prefix('Q').or_else(|| s.strip_prefix('q'))?;
    let ok = !digits.is_empty()
        && digits.len() <= 12
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0');
    ok.then(|| format!("Q{digits}"))
}

/// Reads a weight: a finite number greater than zero.
pub fn parse_weight(s: &str) -> Option<f64> {
    s.trim()
        .parse::<f64>()
        .ok()
        .filter(|w| w.is_finite() && *w > 0.0)
}

/// Reads a weight written with a decimal comma (`1,5`), as spreadsheets in
/// much of Europe write numbers: `None` unless it has exactly one comma and
/// no point.
pub fn parse_weight_decimal_comma(s: &str) -> Option<f64> {
    let s = s.trim();
    if s.matches(',').count() != 1 || s.contains('.') {
        return None;
    }
    parse_weight(&s.replace(',', "."))
}

/// Splits a `;`-separated list, trimming items and dropping empty ones.
pub fn split_list(s: &str) -> Vec<String> {
    s.split(';')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// Splits a `;`-separated list of tags, normalised to lower case with `-`
/// between words (`Mass upload` becomes `mass-upload`), sorted, without repeats.
pub fn split_tags(s: &str) -> Vec<String> {
    let mut tags: Vec<String> = split_list(s)
        .into_iter()
        .map(|t| {
            t.to_lowercase()
                .split(|c: char| c.is_whitespace() || c == '_')
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect();
    tags.sort();
    tags.dedup();
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(parse_date("2024").unwrap().to_string(), "2024-01-01");
        assert_eq!(parse_date("2024-02-30"), None);
        assert_eq!(
            parse_date("2024-05-17T10:00:00Z").unwrap().to_string(),
            "2024-05-17"
        );
        assert_eq!(parse_date("yesterday"), None);
        assert_eq!(parse_date("ÅÅÅÅ-MM-DD"), None);
    }

    #[test]
    fn dates_as_spreadsheets_write_them() {
        let d = |s: &str, order| match parse_date_as(s, order) {
            DateRead::Date(d) => d.to_string(),
            other => format!("{other:?}"),
        };
        let (day, month) = (DateOrder::DayFirst, DateOrder::MonthFirst);
        assert_eq!(d("2024-03-15 00:00:00", day), "2024-03-15");
        assert_eq!(d("2024-03-15 10:30", day), "2024-03-15");
        assert_eq!(d("3/15/2024 0:00", month), "2024-03-15");
        assert_eq!(d("3/15/2024 10:30 PM", month), "2024-03-15");
        assert_eq!(d("15.03.2024 10:30:15.5", day), "2024-03-15");
        assert_eq!(d("3/15/2024 0:00", day), "OtherOrder");
        assert_eq!(d("15 March 2024", day), "2024-03-15");
        assert_eq!(d("15-Mar-2024", day), "2024-03-15");
        assert_eq!(d("15 mar. 2024", day), "2024-03-15");
        assert_eq!(d("March 15, 2024", day), "2024-03-15");
        assert_eq!(d("Sept 2024", day), "Unreadable");
        assert_eq!(d("September 2024", day), "2024-09-01");
        assert_eq!(d("31 February 2024", day), "Unreadable");
        assert_eq!(d("2024-03-15 soon", day), "Unreadable");
        assert_eq!(d("10:30", day), "Unreadable");
        assert_eq!(d("yesterday", day), "Unreadable");
    }

    #[test]
    fn weights_are_positive() {
        assert_eq!(parse_weight("2.5"), Some(2.5));
        assert_eq!(parse_weight("0"), None);
        assert_eq!(parse_weight("-1"), None);
        assert_eq!(parse_weight("NaN"), None);
        assert_eq!(parse_weight("inf"), None);
    }

    #[test]
    fn tags_are_normalised() {
        assert_eq!(
            split_tags("Mass upload; copyright;;mass-upload"),
            vec!["copyright", "mass-upload"]
        );
    }
}
