//! `partnernet init`: an empty dataset with headers, one commented example
//! row per file, and a `partnernet.toml` listing every setting.

use std::path::Path;

use anyhow::{bail, Context};

use crate::config::CONFIG_FILE;
use crate::ingest::{INTERVIEWS, ORGANISATIONS, RELATIONS};

/// The files `init` writes, with their contents.
pub fn templates() -> Vec<(&'static str, String)> {
    vec![
        (
            ORGANISATIONS,
            "id,name,kind,country,region,wikidata,aliases,digitisation\n\
             # Lines starting with # are comments. One row per affiliate or institution, for example:\n\
             # wm-example,Wikimedia Example,affiliate,SE,,,WMEX;Wikimedia Example Chapter,\n\
             # example-museum,Example Museum,museum,SE,,Q123456,The Example Museum,started\n"
                .to_string(),
        ),
        (
            RELATIONS,
            "source,target,kind,date,interview,weight,note\n\
             # One row per relation; source and target are ids, names or aliases. For example:\n\
             # wm-example,Example Museum,partner,2024-05-17,int-2024-01,2,monthly upload days\n"
                .to_string(),
        ),
        (
            INTERVIEWS,
            "id,date,affiliate,needs,offers,notes\n\
             # One row per interview; needs and offers are ;-separated tags. For example:\n\
             # int-2024-01,2024-05-17,wm-example,mass-upload;copyright,training,wants a scanner for the regional archive\n"
                .to_string(),
        ),
        (CONFIG_FILE, CONFIG_TEMPLATE.to_string()),
        ("notes/TEMPLATE.md.txt", NOTE_TEMPLATE.to_string()),
    ]
}

/// A note that follows the questionnaire, for interviewers to copy (as
/// `notes/<something>.md`; the template's own name ends in `.txt`, so it is
/// not read as an interview).
pub const NOTE_TEMPLATE: &str = r#"---
affiliate: wm-example
date: 2024-05-17
interviewer: Your name
needs: [mass-upload, copyright]
offers: [training]
---
Copy this file to a name ending in .md (or write the same in wikitext, with
== Headings == and a .wiki name). Organisations are mentioned as wiki links:
[[Example Museum]] or [[example-museum|the museum]]; a plain name is not a
mention. The heading a mention stands under says what kind of relation it is.

## Do you work with content partnerships today?
Ongoing partners and collaborations: [[Example Museum]] ...
digitisation: [[Example Museum]] started

## Reflections and experiences from earlier collaborations
Earlier partners: ...

## What is your normal work process in collaborations with partners?

## What are your desired content partnerships in the future?
Partners we would like to work with: ...

## What are your needs for a successful work with partners?
needs: hardware; scanning

## Do you know of someone in your network who would be interested in this kind of collaboration too?
Referrals: ...

## Do you collaborate with other chapters and affiliates, regionally and globally?
Affiliates we work with: ...
"#;

/// `partnernet.toml` as `init` writes it: every setting, commented out, at
/// its default.
pub const CONFIG_TEMPLATE: &str = r#"# partnernet settings. Every setting is optional; remove the # to change one.

[analysis]
# The seed for every randomised step. The same data and seed give the same
# outputs, byte for byte.
# seed = 42
# Components with at most this many organisations are listed as small groups.
# small_component = 3

[clusters]
# What the clustering maximises: "modularity" (groups with more ties inside
# than chance would give) or "cpm" (groups whose tie density is above the
# resolution).
# objective = "modularity"
# Higher values give more, smaller clusters.
# resolution = 1.0
# How many runs, each with its own seed, measure how sure each placement is;
# 0 is automatic: 10, or 3 above 200,000 organisations.
# runs = 0
# At most this many rounds of the algorithm; 0 is automatic: until a round
# changes nothing, or at most 2 rounds above 5,000 organisations (much
# faster there, and almost no loss of quality).
# max_iterations = 0

[brokers]
# Betweenness is exact up to this many organisations, and estimated from
# sampled organisations above it.
# exact_betweenness_up_to = 20000
# How many sampled organisations the estimate uses; 0 is automatic: 256, or
# fewer (at least 16) so that the estimate walks at most 50 million ties.
# pivots = 0

[leads]
# A lead's score is a sum of parts, each with a weight; 0 leaves a part out.
# Per organisation that referred the lead (repeats by the same one count less).
# referrals = 1.0
# The standing of those who referred or want it: betweenness, active partners.
# standing = 1.0
# Per affiliate that wants the lead as a partner.
# desire = 1.0
# How recently it was mentioned.
# recency = 1.0
# Years after which a mention counts half.
# recency_half_life_years = 2.0
# How far its digitisation has come.
# digitisation = 0.5
# The kind of institution (museums, libraries, archives and galleries first).
# kind = 0.5
# Tying in a region with few ties.
# bridging = 0.5
# How many leads leads.md and the summary show.
# top = 25

[notes]
# Interview notes in notes/ are read under their headings: a heading that
# contains a keyword gives its mentions that relation kind. English keywords
# from the questionnaire are built in; add your own language's here.
# headings = {}
# For example, for notes in Swedish and Spanish:
#   headings = { "samarbetar med andra" = "collaborates", "socios actuales" = "partner" }

[input]
# How dates such as 12/03/2024 are read: "day-first" (12 March) or
# "month-first" (3 December). Dates written year first (2024-03-12) are
# always read.
# date_order = "day-first"
# The encoding of CSV files that are neither UTF-8 nor UTF-16, such as
# "windows-1250" for Central Europe. Excel's "CSV UTF-8" needs no setting.
# encoding = "windows-1252"

[vocabulary]
# Your own words for kinds, relation kinds, lead statuses and digitisation,
# each a table from word to meaning (a word partnernet already understands).
# English words and their usual synonyms are built in (chapter, user group,
# past partner, in talks...). For example, in Swedish:
#   kinds = { "kapitel" = "chapter", "användargrupp" = "user group", "bibliotek" = "library", "arkiv" = "archive" }
#   relation_kinds = { "partner" = "partner", "tidigare partner" = "past partner", "önskad" = "desired", "tips" = "referral", "samarbete" = "collaborates" }
#   statuses = { "ny" = "new", "kontaktad" = "contacted", "i samtal" = "in talks", "avböjd" = "declined", "kontakta inte" = "do not contact" }
#   digitisation = { "ingen" = "none", "planerad" = "planned", "påbörjad" = "started", "långt kommen" = "advanced" }
# kinds = {}
# relation_kinds = {}
# statuses = {}
# digitisation = {}
"#;

/// The name of the workbook `init` writes.
pub const WORKBOOK: &str = "partnernet.xlsx";

/// One column of a table in the starting workbook: its name, width, what
/// the input message says, and its drop-down list when the column has a
/// fixed vocabulary.
struct ColumnHelp {
    name: &'static str,
    width: f64,
    help: &'static str,
    example: &'static str,
    choices: Option<Vec<String>>,
}

fn column(name: &'static str, width: f64, help: &'static str, example: &'static str) -> ColumnHelp {
    ColumnHelp {
        name,
        width,
        help,
        example,
        choices: None,
    }
}

fn words<T: Copy>(all: &[T], text: impl Fn(T) -> &'static str) -> Vec<String> {
    all.iter().map(|v| text(*v).to_string()).collect()
}

/// The sheets of the starting workbook: the table's sheet name and columns.
fn workbook_tables() -> Vec<(&'static str, Vec<ColumnHelp>)> {
    use crate::model::{Digitisation, LeadState, OrgKind, RelationKind};
    let mut kinds: Vec<String> = vec![
        "chapter".to_string(),
        "user group".to_string(),
        "thematic organisation".to_string(),
    ];
    kinds.extend(
        OrgKind::ALL
            .iter()
            .filter(|k| **k != OrgKind::Unknown)
            .map(|k| k.as_str().to_string()),
    );
    vec![
        (
            "organisations",
            vec![
                column("id", 22.0, "A short id without spaces, unique, such as wm-example. Relations may use the id, the name or an alias.", "wm-example"),
                column("name", 34.0, "The organisation's name, as it is usually written.", "Wikimedia Example"),
                ColumnHelp {
                    choices: Some(kinds),
                    ..column("kind", 22.0, "What the organisation is: pick from the list. Chapters, user groups and thematic organisations are affiliates.", "chapter")
                },
                column("country", 10.0, "The country: its two-letter code (SE), three-letter code (SWE) or English name (Sweden).", "SE"),
                column("region", 18.0, "Optional: a region, when the country is not enough (it is filled in from the country otherwise).", ""),
                column("wikidata", 14.0, "Optional: the Wikidata item, such as Q190804.", ""),
                column("aliases", 30.0, "Optional: other names, separated by ; (semicolons).", "WMEX; Wikimedia Example Chapter"),
                ColumnHelp {
                    choices: Some(words(Digitisation::ALL, Digitisation::as_str)),
                    ..column("digitisation", 14.0, "Optional, for institutions: how far their digitisation has come. Pick from the list.", "")
                },
            ],
        ),
        (
            "relations",
            vec![
                column("source", 24.0, "Who says it: an organisation's id, name or alias.", "wm-example"),
                column("target", 24.0, "Whom it is about: an organisation's id, name or alias.", "Example Museum"),
                ColumnHelp {
                    choices: Some(words(RelationKind::ALL, RelationKind::as_str)),
                    ..column("kind", 16.0, "What the relation is: pick from the list (partner, past partner, desired, referral, collaborates, member, contact).", "partner")
                },
                column("date", 12.0, "Optional: when it was said or began, such as 2024-05-17 or 17/05/2024.", "2024-05-17"),
                column("interview", 16.0, "Optional: the id of the interview it comes from.", "int-2024-01"),
                column("weight", 8.0, "Optional: how strong the relation is, a number above 0 (1 when empty).", "2"),
                column("note", 40.0, "Optional: anything worth keeping.", "monthly upload days"),
            ],
        ),
        (
            "interviews",
            vec![
                column("id", 16.0, "A short id for the interview, unique.", "int-2024-01"),
                column("date", 12.0, "Optional: the day of the interview.", "2024-05-17"),
                column("affiliate", 24.0, "The affiliate interviewed: its id, name or alias.", "wm-example"),
                column("needs", 30.0, "Optional: what they need help with, as words separated by ; (mass upload; copyright).", "mass-upload; copyright"),
                column("offers", 30.0, "Optional: what they can offer others, separated by ;.", "training"),
                column("notes", 40.0, "Optional: anything worth keeping.", ""),
            ],
        ),
        (
            "lead-status",
            vec![
                column("id", 24.0, "The lead: an organisation's id, name or alias.", "example-museum"),
                ColumnHelp {
                    choices: Some(words(LeadState::ALL, LeadState::as_str)),
                    ..column("status", 16.0, "Where your outreach stands: pick from the list.", "contacted")
                },
                column("owner", 16.0, "Optional: who on the staff follows it.", ""),
                column("updated", 12.0, "Optional: when the status last changed.", "2024-06-01"),
                column("note", 40.0, "Optional: anything worth keeping.", ""),
            ],
        ),
    ]
}

/// The text of the workbook's first sheet, which explains the format.
const WORKBOOK_HELP: &[&str] = &[
    "How to fill in this workbook",
    "",
    "partnernet reads this workbook as it is: keep one sheet per table (organisations, relations, interviews, lead-status) and the headers in row 1.",
    "Each row is one organisation, relation, interview or lead. Rows whose first cell starts with # are examples and are not read: overwrite them or delete them.",
    "Columns with a fixed list of words (kind, status, digitisation) offer a drop-down list: click the cell and pick. Hover over a header cell to see what its column holds.",
    "Dates may be typed as dates (17/05/2024 reads as 17 May; set [input] date_order in partnernet.toml for month-first dates).",
    "Relations, interviews and leads may name an organisation by its id, its name or an alias.",
    "Interview notes may also be kept as text files in the notes folder (see notes/TEMPLATE.md.txt).",
    "When you are done, run: partnernet validate FOLDER, then partnernet analyse FOLDER.",
    "If you prefer CSV files, delete this workbook and fill in the .csv files of the folder instead; a table must not be in both.",
];

/// The starting workbook `init` writes: a sheet explaining the format, then
/// one sheet per table with its header (frozen, bold, with column widths and
/// an input message on each column), a drop-down list on every column with a
/// fixed vocabulary, and one example row marked with `#`.
pub fn workbook() -> Result<rust_xlsxwriter::Workbook, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{DataValidation, DataValidationErrorStyle, Format, Workbook};
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let example = Format::new().set_italic().set_font_color("#808080");
    let help = book.add_worksheet();
    help.set_name("how to fill in")?;
    help.set_column_width(0, 120)?;
    for (r, line) in WORKBOOK_HELP.iter().enumerate() {
        if r == 0 {
            help.write_string_with_format(0, 0, *line, &bold)?;
        } else {
            help.write_string(r as u32, 0, *line)?;
        }
    }
    const LAST_ROW: u32 = 100_000;
    for (sheet_name, columns) in workbook_tables() {
        let sheet = book.add_worksheet();
        sheet.set_name(sheet_name)?;
        sheet.set_freeze_panes(1, 0)?;
        for (c, col) in columns.iter().enumerate() {
            let c = c as u16;
            sheet.write_string_with_format(0, c, col.name, &bold)?;
            sheet.set_column_width(c, col.width)?;
            let text = if c == 0 && !col.example.is_empty() {
                format!("# {}", col.example)
            } else {
                col.example.to_string()
            };
            if !text.is_empty() {
                sheet.write_string_with_format(1, c, text, &example)?;
            }
            let validation = match &col.choices {
                Some(choices) => DataValidation::new()
                    .allow_list_strings(choices)?
                    .set_error_style(DataValidationErrorStyle::Stop)
                    .set_error_title(col.name)?
                    .set_error_message(format!("Pick one of the list: {}", choices.join(", ")))?,
                None => DataValidation::new().allow_any_value(),
            };
            let validation = validation
                .set_input_title(col.name)?
                .set_input_message(col.help)?;
            sheet.add_data_validation(1, c, LAST_ROW, c, &validation)?;
            let header_help = DataValidation::new()
                .allow_any_value()
                .set_input_title(col.name)?
                .set_input_message(col.help)?;
            sheet.add_data_validation(0, c, 0, c, &header_help)?;
        }
    }
    Ok(book)
}

/// Writes an empty dataset into `dir`, creating it. Refuses to overwrite any
/// existing file.
pub fn init(dir: &Path) -> anyhow::Result<()> {
    let files = templates();
    for name in files.iter().map(|(n, _)| *n).chain([WORKBOOK]) {
        let path = dir.join(name);
        if path.exists() {
            bail!("{} already exists; partnernet init never overwrites a file. Choose an empty folder", path.display());
        }
    }
    std::fs::create_dir_all(dir.join("notes"))
        .with_context(|| format!("cannot create {}", dir.display()))?;
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let path = dir.join(WORKBOOK);
    workbook()
        .and_then(|mut book| book.save(&path))
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn template_lists_the_defaults() {
        // Uncomment the settings (lines "# key = value"; indented examples stay comments).
        let uncommented: String = CONFIG_TEMPLATE
            .lines()
            .map(|l| {
                l.strip_prefix("# ")
                    .filter(|r| r.contains(" = ") && !r.starts_with(' '))
                    .unwrap_or(l)
            })
            .collect::<Vec<_>>()
            .join("\n");
        let parsed: Config = toml::from_str(&uncommented).unwrap();
        assert_eq!(parsed, Config::default());
        let in_template = uncommented
            .lines()
            .filter(|l| !l.starts_with('#') && l.contains(" = "))
            .count();
        fn leaves(v: &toml::Value) -> usize {
            match v {
                toml::Value::Table(t) if !t.is_empty() => t.values().map(leaves).sum(),
                _ => 1,
            }
        }
        let defaults = toml::Value::try_from(Config::default()).unwrap();
        assert_eq!(
            in_template,
            leaves(&defaults),
            "every setting is in the template"
        );
    }
}
