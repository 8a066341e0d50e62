//! `results.xlsx`: the results as one Excel workbook (rust_xlsxwriter), for
//! staff who work in Excel or LibreOffice.
//!
//! Sheets: `leads`, `leads per affiliate` (one row per affiliate and lead,
//! the affiliate's part in a column ready for Excel's filter),
//! `opportunities`, `clusters`, `brokers`, `bridges` and `data quality`.
//! Every sheet has a bold header row that stays in view (frozen) and an
//! autofilter; numbers are numbers, dates are dates, long texts wrap, and
//! Wikidata items are links. Every text is written as text, and a text
//! that a spreadsheet could take for a formula gets a leading `'`, as in the
//! CSV files ([`super::csv::neutralise`]): a name such as `=1+1` stays a
//! name, also when someone edits its cell. A sheet holds at most
//! [`ROWS_UP_TO`] rows; the CSV files hold all. The workbook's date is the
//! latest date in the data, so the same data gives the same bytes.

use std::path::Path;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Url, Workbook, Worksheet};

use super::bridges::regions_text;
use super::csv::neutralise;
use super::Output;
use crate::report::Report;

/// `results.xlsx`.
pub struct ResultsWorkbook;

/// Rows per sheet at most (Excel's limit is 1,048,576 with the header).
pub const ROWS_UP_TO: usize = 1_000_000;

/// One cell's value.
enum Cell {
    Text(String),
    Number(f64),
    Date(chrono::NaiveDate),
    /// A Wikidata item, written as a link to it.
    Wikidata(String),
    Empty,
}

/// Organisations above which every sheet is written in rust_xlsxwriter's
/// constant-memory mode: each row goes to a temporary file as soon as the
/// next begins, instead of every cell staying in memory until the workbook
/// is saved (at 1,000,000 organisations the workbook took 5 GB of memory
/// that way). The strings are then written in the cells themselves rather
/// than in a shared table, so the file is larger; up to this size the
/// workbook is written as before, byte for byte.
pub const CONSTANT_MEMORY_ABOVE: usize = 50_000;

/// Characters a cell holds at most (Excel's limit); longer texts are cut,
/// ending in `…` (the CSV files hold them whole).
pub const CELL_CHARS: usize = 32_767;

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        if s.is_empty() {
            Cell::Empty
        } else if s.chars().count() > CELL_CHARS {
            Cell::Text(s.chars().take(CELL_CHARS - 1).collect::<String>() + "…")
        } else {
            Cell::Text(s.to_string())
        }
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::from(s.as_str())
    }
}

fn num(x: f64) -> Cell {
    if x.is_finite() {
        Cell::Number(x)
    } else {
        Cell::Empty
    }
}

/// A column: its title, width (in characters) and whether it wraps.
struct Column(&'static str, f64, bool);

struct Formats {
    header: Format,
    wrap: Format,
    date: Format,
    plain: Format,
    link: Format,
}

fn write_sheet(
    sheet: &mut Worksheet,
    f: &Formats,
    name: &str,
    columns: &[Column],
    rows: impl Iterator<Item = Vec<Cell>>,
) -> anyhow::Result<()> {
    sheet.set_name(name)?;
    // Widths first: a constant-memory sheet takes them only before its rows.
    for (c, col) in columns.iter().enumerate() {
        sheet.set_column_width(c as u16, col.1)?;
    }
    for (c, col) in columns.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, col.0, &f.header)?;
    }
    let mut last = 0u32;
    for (r, cells) in rows.take(ROWS_UP_TO).enumerate() {
        let row = r as u32 + 1;
        last = row;
        for (c, cell) in cells.into_iter().enumerate() {
            let col = c as u16;
            let format = if columns[c].2 { &f.wrap } else { &f.plain };
            match cell {
                Cell::Text(s) => {
                    sheet.write_string_with_format(row, col, neutralise(&s), format)?;
                }
                Cell::Number(x) => {
                    sheet.write_number(row, col, x)?;
                }
                Cell::Date(d) => {
                    use chrono::Datelike;
                    let date =
                        ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
                    sheet.write_datetime_with_format(row, col, &date, &f.date)?;
                }
                Cell::Wikidata(q) => {
                    let url = Url::new(format!("https://www.wikidata.org/wiki/{q}")).set_text(&q);
                    sheet.write_url_with_format(row, col, url, &f.link)?;
                }
                Cell::Empty => {}
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, last.max(1), columns.len().saturating_sub(1) as u16)?;
    Ok(())
}

/// Writes the workbook to `to` (a file, in `partnernet analyse`): straight
/// into it, since at a million organisations the workbook's bytes are some
/// 140 MB that were otherwise held in memory until written. Errors:
/// rust_xlsxwriter's, and the writer's.
pub fn workbook(report: &Report, to: impl std::io::Write + Send) -> anyhow::Result<()> {
    let model = &report.model;
    let orgs = model.orgs();
    let name = |v: u32| orgs[v as usize].name.clone();
    let f = Formats {
        header: Format::new().set_bold().set_background_color("#DDE6F0"),
        wrap: Format::new()
            .set_text_wrap()
            .set_align(rust_xlsxwriter::FormatAlign::Top),
        date: Format::new()
            .set_num_format("yyyy-mm-dd")
            .set_align(rust_xlsxwriter::FormatAlign::Top),
        plain: Format::new().set_align(rust_xlsxwriter::FormatAlign::Top),
        link: Format::new()
            .set_font_color("#0563C1")
            .set_underline(rust_xlsxwriter::FormatUnderline::Single)
            .set_align(rust_xlsxwriter::FormatAlign::Top),
    };
    let mut book = Workbook::new();
    let constant_memory = orgs.len() > CONSTANT_MEMORY_ABOVE;
    // A fixed date, so the same data gives the same bytes.
    let day = report
        .leads
        .reference_date
        .unwrap_or(chrono::NaiveDate::from_ymd_opt(2000, 1, 1).expect("a date"));
    {
        use chrono::Datelike;
        let created =
            ExcelDateTime::from_ymd(day.year() as u16, day.month() as u8, day.day() as u8)?;
        book.set_properties(
            &DocProperties::new()
                .set_title("partnernet results")
                .set_creation_datetime(&created),
        );
    }

    // Leads.
    let status_of =
        |l: &crate::analysis::leads::Lead| l.status.map(|i| &model.dataset.lead_status[i]);
    let mut lead_columns = vec![
        Column("rank", 6.0, false),
        Column("id", 18.0, false),
        Column("name", 32.0, true),
        Column("kind", 11.0, false),
        Column("country", 8.0, false),
        Column("region", 18.0, false),
        Column("wikidata", 11.0, false),
        Column("score", 8.0, false),
        Column("lead type", 13.0, false),
        Column("status", 11.0, false),
        Column("owner", 14.0, false),
        Column("referrals", 9.0, false),
        Column("referred by", 30.0, true),
        Column("wanted by", 24.0, true),
        Column("best introducer", 24.0, true),
        Column("ties away", 9.0, false),
        Column("path", 40.0, true),
        Column("reason", 60.0, true),
        Column("last mentioned", 12.0, false),
    ];
    const PART_TITLES: [&str; 7] = [
        "score: referrals",
        "score: standing",
        "score: desire",
        "score: recency",
        "score: digitisation",
        "score: kind",
        "score: bridging",
    ];
    lead_columns.extend(PART_TITLES.iter().map(|t| Column(t, 10.0, false)));
    let lead_rows = report.leads.leads.iter().enumerate().map(|(i, l)| {
        let o = &orgs[l.organisation as usize];
        let status = status_of(l);
        let mut cells = vec![
            Cell::Number((i + 1) as f64),
            Cell::from(o.id.as_str()),
            Cell::from(o.name.as_str()),
            Cell::from(o.kind.as_str()),
            Cell::from(o.country.clone().unwrap_or_default()),
            Cell::from(o.region_or_none()),
            o.wikidata
                .clone()
                .map(Cell::Wikidata)
                .unwrap_or(Cell::Empty),
            num(l.score),
            Cell::from(l.lead_type.as_str()),
            Cell::from(
                status
                    .map(|s| s.status.to_string())
                    .unwrap_or_else(|| "new".into()),
            ),
            Cell::from(status.and_then(|s| s.owner.clone()).unwrap_or_default()),
            Cell::Number(l.referrals as f64),
            Cell::from(
                l.referred_by
                    .iter()
                    .map(|&(v, k)| {
                        if k > 1 {
                            format!("{} ({k}×)", name(v))
                        } else {
                            name(v)
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            Cell::from(
                l.desired_by
                    .iter()
                    .map(|&v| name(v))
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            Cell::from(l.introducer.map(name).unwrap_or_default()),
            if l.path.is_empty() {
                Cell::Empty
            } else {
                Cell::Number((l.path.len() - 1) as f64)
            },
            Cell::from(l.path_text.as_str()),
            Cell::from(l.reason.as_str()),
            l.last_mentioned.map(Cell::Date).unwrap_or(Cell::Empty),
        ];
        cells.extend(l.parts.values().iter().map(|&x| num(x)));
        cells
    });
    write_sheet(
        new_sheet(&mut book, constant_memory)?,
        &f,
        "leads",
        &lead_columns,
        lead_rows,
    )?;

    // Leads per affiliate: one row per affiliate and lead it is part of.
    let mut per: Vec<(u32, usize, &'static str)> = Vec::new();
    for (i, l) in report.leads.leads.iter().enumerate() {
        let mut parts: Vec<(u32, &'static str)> = Vec::new();
        if let Some(a) = l.introducer {
            parts.push((a, "best introducer"));
        }
        for &(a, _) in &l.referred_by {
            parts.push((a, "referred it"));
        }
        for &a in &l.desired_by {
            parts.push((a, "wants it"));
        }
        for (a, role) in parts {
            if orgs[a as usize].kind.is_movement() {
                per.push((a, i, role));
            }
        }
    }
    per.sort_by(|x, y| {
        orgs[x.0 as usize]
            .name
            .cmp(&orgs[y.0 as usize].name)
            .then(x.1.cmp(&y.1))
    });
    let per_rows = per.iter().map(|&(a, i, role)| {
        let l = &report.leads.leads[i];
        let o = &orgs[l.organisation as usize];
        vec![
            Cell::from(orgs[a as usize].name.as_str()),
            Cell::from(role),
            Cell::Number((i + 1) as f64),
            Cell::from(o.name.as_str()),
            Cell::from(o.kind.as_str()),
            Cell::from(o.region_or_none()),
            num(l.score),
            Cell::from(l.path_text.as_str()),
            Cell::from(l.reason.as_str()),
        ]
    });
    write_sheet(
        new_sheet(&mut book, constant_memory)?,
        &f,
        "leads per affiliate",
        &[
            Column("affiliate", 28.0, true),
            Column("its part", 15.0, false),
            Column("lead rank", 9.0, false),
            Column("lead", 32.0, true),
            Column("kind", 11.0, false),
            Column("region", 18.0, false),
            Column("score", 8.0, false),
            Column("path", 40.0, true),
            Column("reason", 60.0, true),
        ],
        per_rows,
    )?;

    // Opportunities.
    write_sheet(
        new_sheet(&mut book, constant_memory)?,
        &f,
        "opportunities",
        &[
            Column("kind", 13.0, false),
            Column("affiliate", 28.0, true),
            Column("with", 28.0, true),
            Column("need", 16.0, false),
            Column("score", 8.0, false),
            Column("ties away", 9.0, false),
            Column("reason", 60.0, true),
        ],
        report.opportunities.list.iter().map(|o| {
            vec![
                Cell::from(o.kind.as_str()),
                Cell::from(name(o.a)),
                Cell::from(name(o.b)),
                Cell::from(o.tag.clone().unwrap_or_default()),
                num(o.score),
                o.distance
                    .map(|d| Cell::Number(d as f64))
                    .unwrap_or(Cell::Empty),
                Cell::from(o.reason.as_str()),
            ]
        }),
    )?;

    // Clusters.
    let clustering = &report.clusters;
    write_sheet(
        new_sheet(&mut book, constant_memory)?,
        &f,
        "clusters",
        &[
            Column("cluster", 8.0, false),
            Column("label", 50.0, true),
            Column("region", 18.0, false),
            Column("organisations", 13.0, false),
            Column("affiliates and hubs", 12.0, false),
            Column("institutions", 12.0, false),
            Column("density", 9.0, false),
            Column("modularity share", 11.0, false),
            Column("mean confidence", 11.0, false),
        ],
        clustering.clusters.iter().map(|c| {
            let conf: Vec<f64> = c
                .members
                .iter()
                .map(|&v| clustering.confidence[v as usize])
                .filter(|x| x.is_finite())
                .collect();
            vec![
                Cell::Number(c.id as f64),
                Cell::from(c.label.as_str()),
                Cell::from(c.region.as_str()),
                Cell::Number(c.members.len() as f64),
                Cell::Number(c.affiliates as f64),
                Cell::Number(c.institutions as f64),
                num(c.density),
                num(c.modularity),
                if conf.is_empty() {
                    Cell::Empty
                } else {
                    num(conf.iter().sum::<f64>() / conf.len() as f64)
                },
            ]
        }),
    )?;

    // Brokers.
    let b = &report.brokers;
    write_sheet(
        new_sheet(&mut book, constant_memory)?,
        &f,
        "brokers",
        &[
            Column("rank", 6.0, false),
            Column("id", 18.0, false),
            Column("name", 32.0, true),
            Column("kind", 11.0, false),
            Column("region", 18.0, false),
            Column("cluster", 8.0, false),
            Column("betweenness", 11.0, false),
            Column("cut off without it", 11.0, false),
            Column("constraint", 10.0, false),
            Column("effective size", 10.0, false),
            Column("participation", 11.0, false),
            Column("ties", 7.0, false),
        ],
        b.ranking.iter().enumerate().map(|(r, &v)| {
            let v = v as usize;
            let o = &orgs[v];
            vec![
                Cell::Number((r + 1) as f64),
                Cell::from(o.id.as_str()),
                Cell::from(o.name.as_str()),
                Cell::from(o.kind.as_str()),
                Cell::from(o.region_or_none()),
                clustering.cluster[v]
                    .map(|c| Cell::Number(c as f64))
                    .unwrap_or(Cell::Empty),
                num(b.betweenness[v]),
                b.articulation_index[v]
                    .map(|a| Cell::Number(b.articulation_points[a as usize].cut_off.size as f64))
                    .unwrap_or(Cell::Empty),
                num(b.constraint[v]),
                num(b.effective_size[v]),
                num(b.participation[v]),
                Cell::Number(model.ties.csr.degree(v) as f64),
            ]
        }),
    )?;

    // Bridges.
    write_sheet(
        new_sheet(&mut book, constant_memory)?,
        &f,
        "bridges",
        &[
            Column("one end", 30.0, true),
            Column("other end", 30.0, true),
            Column("cut off", 8.0, false),
            Column("on the cut-off side", 30.0, true),
            Column("regions cut off", 40.0, true),
        ],
        b.bridges.iter().map(|x| {
            vec![
                Cell::from(name(x.source)),
                Cell::from(name(x.target)),
                Cell::Number(x.cut_off.size as f64),
                Cell::from(name(x.cut_off_end)),
                Cell::from(regions_text(&x.cut_off)),
            ]
        }),
    )?;

    // Data quality: one row per finding.
    let dataset = &model.dataset;
    let dq = &report.data_quality;
    // Made one row at a time as the sheet takes them: a dataset of names
    // all alike can have millions of near-duplicate pairs, of which the sheet
    // holds only the first ROWS_UP_TO.
    let unresolved = dataset.unresolved.iter().map(|u| {
        vec![
            Cell::from("name matches no organisation"),
            Cell::from(u.name.as_str()),
            Cell::from(""),
            Cell::from(dataset.locate(u.first)),
            Cell::from(if u.suggestions.is_empty() {
                String::new()
            } else {
                format!(
                    "used {} times; did you mean {}?",
                    u.uses,
                    u.suggestions.join(", ")
                )
            }),
        ]
    });
    let near_duplicates = dq.near_duplicates.iter().map(|d| {
        use crate::analysis::data_quality::Likeness;
        let why = match d.likeness {
            Likeness::SameName => "the same name".to_string(),
            Likeness::SimilarName => format!("names {:.0}% alike", d.similarity * 100.0),
            Likeness::SameWikidata => "the same Wikidata item".to_string(),
        };
        vec![
            Cell::from("may be one organisation"),
            Cell::from(name(d.a)),
            Cell::from(name(d.b)),
            Cell::from(dataset.locate(orgs[d.b as usize].origin)),
            Cell::from(if d.different_kinds {
                format!("{why}; their kinds differ")
            } else {
                why
            }),
        ]
    });
    let without_relations = dq.without_relations.iter().map(|&v| {
        vec![
            Cell::from("no relation"),
            Cell::from(name(v)),
            Cell::from(""),
            Cell::from(dataset.locate(orgs[v as usize].origin)),
            Cell::from(""),
        ]
    });
    let silent_interviews = dq
        .silent_interviews
        .iter()
        .filter_map(|&i| dataset.interviews.get(i))
        .map(|x| {
            vec![
                Cell::from("interview names no organisation"),
                Cell::from(x.id.as_str()),
                Cell::from(""),
                Cell::from(dataset.locate(x.origin)),
                Cell::from(""),
            ]
        });
    let findings = unresolved
        .chain(near_duplicates)
        .chain(without_relations)
        .chain(silent_interviews);
    write_sheet(
        new_sheet(&mut book, constant_memory)?,
        &f,
        "data quality",
        &[
            Column("finding", 28.0, false),
            Column("name", 32.0, true),
            Column("and", 32.0, true),
            Column("where", 24.0, false),
            Column("details", 50.0, true),
        ],
        findings,
    )?;
    book.save_to_writer(to)?;
    Ok(())
}

/// A new sheet, in constant-memory mode when `constant_memory` (see
/// [`CONSTANT_MEMORY_ABOVE`]). Errors: rust_xlsxwriter's, when the
/// temporary file of a constant-memory sheet cannot be made.
fn new_sheet(book: &mut Workbook, constant_memory: bool) -> anyhow::Result<&mut Worksheet> {
    Ok(if constant_memory {
        book.add_worksheet_with_constant_memory()?
    } else {
        book.add_worksheet()
    })
}

impl Output for ResultsWorkbook {
    fn name(&self) -> &'static str {
        "results.xlsx"
    }

    fn write(&self, report: &Report, dir: &Path) -> anyhow::Result<()> {
        let mut file = std::io::BufWriter::new(std::fs::File::create(dir.join(self.name()))?);
        workbook(report, &mut file)?;
        file.into_inner().map_err(|e| e.into_error())?;
        Ok(())
    }
}
