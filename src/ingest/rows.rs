//! Validation of the rows of each table, whatever reader gave them: each
//! row becomes an organisation, a relation, an interview or a lead status,
//! and every problem is reported at the row's place.

use rustc_hash::FxHashMap;

use super::fields::{
    parse_date_as, parse_qid, parse_weight, parse_weight_decimal_comma, split_list, split_tags,
    DateRead,
};
use super::limits::{Limits, Read};
use super::names::{IdTable, Resolution};
use super::regions;
use super::table::{Row, Table};
use super::words::{country, CountryRead, Words};
use super::{
    Resolver, AFFILIATE_TYPE, INTERVIEWS, INTERVIEW_COLUMNS, LEAD_STATUS_COLUMNS,
    ORGANISATION_COLUMNS, RELATION_COLUMNS,
};
use crate::config::DateOrder;
use crate::error::Problems;
use crate::model::{
    Attributes, Dataset, Digitisation, Interview, LeadState, LeadStatus, OrgKind, Organisation,
    Origin, Relation, RelationKind,
};

/// What validation reads the rows by: the vocabularies' words and the
/// date order, from the settings.
pub struct Rules {
    /// The vocabularies' words, with the `[vocabulary]` settings.
    pub words: Words,
    /// How much a dataset may hold.
    pub limits: Limits,
    /// `[input] date_order`.
    pub date_order: DateOrder,
}

pub(super) fn read_organisations(
    t: &Table,
    file: u32,
    rules: &Rules,
    orgs: &mut Vec<Organisation>,
    problems: &mut Problems,
) {
    let [id_c, name_c, kind_c, country_c, region_c, wikidata_c, aliases_c, digitisation_c] =
        [0, 1, 2, 3, 4, 5, 6, 7].map(|i| t.column(ORGANISATION_COLUMNS[i]));
    let keep_extra = t
        .headers
        .iter()
        .any(|h| !h.is_empty() && !ORGANISATION_COLUMNS.contains(&h.as_str()));
    let parse = |_: &(), row: &Row<'_>, problems: &mut Problems| -> Option<Organisation> {
        let Some(id) = row.get(id_c, problems) else {
            problems.push(row.error("id", "", "every organisation needs an id"));
            return None;
        };
        let name = match row.get(name_c, problems) {
            Some(n) => n.to_string(),
            None => {
                problems.push(row.error("name", "", "every organisation needs a name"));
                id.to_string()
            }
        };
        for (column, value) in [("id", id), ("name", name.as_str())] {
            if let Some(message) = super::names::too_long(value) {
                problems.push(row.error(column, value, message));
                return None;
            }
        }
        let mut subtype = None;
        let kind = match row.get(kind_c, problems) {
            None => {
                problems.push(row.error(
                    "kind",
                    "",
                    format!(
                        "every organisation needs a kind, one of: {}",
                        OrgKind::expected_in_file()
                    ),
                ));
                OrgKind::Other
            }
            Some(k) => match rules.words.kind(k) {
                Some((k, sub)) => {
                    subtype = sub;
                    k
                }
                None => {
                    problems.push(row.error(
                        "kind",
                        k,
                        format!(
                            "unknown kind; {}expected one of: {} (chapter, user group and thematic organisation are affiliates)",
                            rules.words.kind_hint(k),
                            OrgKind::expected_in_file()
                        ),
                    ));
                    OrgKind::Other
                }
            },
        };
        let country = row.get(country_c, problems).and_then(|c| match country(c) {
            CountryRead::Code(code) => Some(code),
            CountryRead::Withdrawn(what) => {
                problems.push(row.error(
                    "country",
                    c,
                    format!("the code of {what}, no longer an ISO 3166-1 country; write today's country, or leave country empty and write the place in the column region"),
                ));
                None
            }
            CountryRead::Unknown => {
                problems.push(row.error(
                    "country",
                    c,
                    "not a country; write an ISO 3166-1 code (such as SE, SWE, KE, BR) or the English name (Sweden)",
                ));
                None
            }
        });
        let given_region = row.get(region_c, problems).map(str::to_string);
        let derived = given_region.is_none();
        let region = given_region.or_else(|| {
            country
                .as_deref()
                .and_then(regions::subregion)
                .map(str::to_string)
        });
        let wikidata = row.get(wikidata_c, problems).and_then(|q| {
            let parsed = parse_qid(q);
            if parsed.is_none() {
                problems.push(row.error(
                    "wikidata",
                    q,
                    "not a Wikidata item; expected Q followed by digits, such as Q190804",
                ));
            }
            parsed
        });
        let aliases = row
            .get(aliases_c, problems)
            .map(split_list)
            .unwrap_or_default();
        if let Some((alias, message)) = aliases
            .iter()
            .find_map(|a| Some((a, super::names::too_long(a)?)))
        {
            problems.push(row.error("aliases", alias, message));
            return None;
        }
        let digitisation = row.get(digitisation_c, problems).and_then(|d| {
            let parsed = rules.words.digitisation(d);
            if parsed.is_none() {
                problems.push(row.error(
                    "digitisation",
                    d,
                    format!(
                        "{}expected one of: {}",
                        rules.words.digitisation_hint(d),
                        Digitisation::expected()
                    ),
                ));
            }
            parsed
        });
        let mut attributes = if keep_extra {
            row.extra(ORGANISATION_COLUMNS, problems)
        } else {
            Attributes::new()
        };
        if let Some(sub) = subtype {
            attributes.insert_if_absent(AFFILIATE_TYPE, sub);
        }
        Some(Organisation {
            id: id.to_string(),
            name,
            kind,
            country,
            region_derived: derived && region.is_some(),
            region,
            wikidata,
            aliases,
            digitisation,
            attributes,
            origin: Origin {
                file,
                line: row.line,
            },
        })
    };
    orgs.reserve(t.row_estimate().min(rules.limits.organisations.most + 1));
    let mut other_values = 0;
    t.par_rows(&mut (), problems, parse, |_, org, row, problems| {
        if let Some(org) = org.filter(|_| !problems.halted()) {
            other_values += org.attributes.len();
            orgs.push(org);
            rules
                .limits
                .organisations
                .exceeded(orgs.len(), problems, |m| row.row_error(m));
            rules
                .limits
                .other_values
                .exceeded(other_values, problems, |m| row.row_error(m));
        }
    });
}

pub(super) fn read_interviews(
    t: &Table,
    file: u32,
    rules: &Rules,
    dataset: &mut Dataset,
    resolver: &mut Resolver,
    problems: &mut Problems,
) {
    let [id_c, date_c, affiliate_c, needs_c, offers_c, notes_c] =
        [0, 1, 2, 3, 4, 5].map(|i| t.column(INTERVIEW_COLUMNS[i]));
    let mut first_line: foldhash::HashMap<String, u64> = foldhash::HashMap::default();
    let relations = dataset.relations.len();
    let mut state = (
        resolver,
        &mut dataset.organisations,
        &mut dataset.interviews,
    );
    t.par_rows(
        &mut state,
        problems,
        |(resolver, _, _), row, problems| {
            if row.get(id_c, problems).is_none() {
                problems.push(row.error("id", "", "every interview needs an id"));
            }
            let found = row.get(affiliate_c, problems).map(|a| resolver.lookup(a));
            if found.is_none() {
                problems.push(row.error(
                    "affiliate",
                    "",
                    "every interview names the affiliate interviewed",
                ));
            }
            (
                found,
                date_of(row, date_c, rules, "the interview", problems),
            )
        },
        |(resolver, orgs, interviews), (found, date), row, problems| {
            if problems.halted() {
                return;
            }
            let mut quiet = Problems::default();
            let (Some(id), Some(affiliate), Some(found)) = (
                row.get(id_c, &mut quiet),
                row.get(affiliate_c, &mut quiet),
                found,
            ) else {
                return;
            };
            if let Some(first) = first_line.get(id) {
                problems.push(row.error(
                    "id",
                    id,
                    format!(
                        "the interview id is already used on {}; give each interview its own id",
                        row.refer(*first)
                    ),
                ));
                return;
            }
            first_line.insert(id.to_string(), row.line);
            let origin = Origin {
                file,
                line: row.line,
            };
            let Some(affiliate) = resolver.settle(
                found,
                row.place_of("affiliate"),
                "affiliate",
                affiliate,
                origin,
                orgs,
                problems,
            ) else {
                return;
            };
            interviews.push(Interview {
                id: id.to_string(),
                date,
                affiliate,
                needs: row
                    .get(needs_c, problems)
                    .map(split_tags)
                    .unwrap_or_default(),
                offers: row
                    .get(offers_c, problems)
                    .map(split_tags)
                    .unwrap_or_default(),
                notes: row.get(notes_c, problems).map(str::to_string),
                origin,
            });
            let read = Read {
                organisations: orgs.len(),
                relations,
                interviews: interviews.len(),
            };
            read.beyond(&rules.limits, problems, |m| row.row_error(m));
        },
    );
}

/// Adds `relation` (read from `row`) to `relations`, counting its values
/// of other columns in `other_values`; beyond a limit, the error, once.
fn keep(
    limits: &Limits,
    relations: &mut Vec<Relation>,
    relation: Relation,
    other_values: &mut usize,
    row: &Row<'_>,
    problems: &mut Problems,
) {
    *other_values += relation.attributes.len();
    relations.push(relation);
    limits
        .relations
        .exceeded(relations.len(), problems, |m| row.row_error(m));
    limits
        .other_values
        .exceeded(*other_values, problems, |m| row.row_error(m));
}

/// Reads `lead-status.csv`, the staff's own file: it is read, never written.
/// An id that matches no organisation is a warning (the row is left out), so
/// a lead that has left the data does not stop a run.
pub(super) fn read_lead_status(
    t: &Table,
    file: u32,
    rules: &Rules,
    dataset: &mut Dataset,
    resolver: &Resolver,
    problems: &mut Problems,
) {
    let [id_c, status_c, owner_c, updated_c, note_c] =
        [0, 1, 2, 3, 4].map(|i| t.column(LEAD_STATUS_COLUMNS[i]));
    let mut first_line: FxHashMap<u32, u64> = FxHashMap::default();
    t.par_rows(
        &mut (),
        problems,
        |_, row, problems| {
            let Some(id) = row.get(id_c, problems) else {
                problems.push(row.error("id", "", "every row names an organisation by its id"));
                return None;
            };
            let organisation = match resolver.lookup(id) {
                Resolution::Found(i) => i,
                Resolution::Ambiguous(_) => {
                    problems.push(row.error("id", id, "the name matches several organisations; write the id instead"));
                    return None;
                }
                Resolution::Missing => {
                    problems.push(row.warning("id", id, "no organisation has this id; the row is left out"));
                    return None;
                }
            };
            let status = match row.get(status_c, problems) {
                None => {
                    problems.push(row.error("status", "", format!("every row needs a status, one of: {}", LeadState::expected())));
                    return None;
                }
                Some(s) => match rules.words.status(s) {
                    Some(state) => state,
                    None => {
                        problems.push(row.error("status", s, format!("unknown status; {}expected one of: {}", rules.words.status_hint(s), LeadState::expected())));
                        return None;
                    }
                },
            };
            Some(LeadStatus {
                organisation,
                status,
                owner: row.get(owner_c, problems).map(str::to_string),
                updated: date_of(row, updated_c, rules, "the row", problems),
                note: row.get(note_c, problems).map(str::to_string),
                origin: Origin { file, line: row.line },
            })
        },
        |_, status, row, problems| {
            let Some(status) = status else { return };
            if let Some(first) = first_line.insert(status.organisation, row.line) {
                let mut quiet = Problems::default();
                let id = row.get(id_c, &mut quiet).unwrap_or_default();
                problems.push(row.error("id", id, format!("the organisation already has a status on {}; keep one row per organisation", row.refer(first))));
                return;
            }
            dataset.lead_status.push(status);
        },
    );
}

/// The column's date, read as people write dates (see [`parse_date_as`]).
/// Dates are optional: one that cannot be read is a warning, and the record
/// (`what`) is kept without a date.
fn date_of(
    row: &Row<'_>,
    column: Option<usize>,
    rules: &Rules,
    what: &str,
    problems: &mut Problems,
) -> Option<chrono::NaiveDate> {
    let d = row.get(column, problems)?;
    let why = match parse_date_as(d, rules.date_order) {
        DateRead::Date(date) => return Some(date),
        DateRead::OtherOrder => format!(
            "not a date read {}; if the file writes dates {} first, set [input] date_order = \"{}\" in partnernet.toml",
            date_order_name(rules.date_order),
            date_order_name(other_order(rules.date_order)),
            other_order(rules.date_order).setting(),
        ),
        DateRead::Unreadable => "not a date partnernet can read; write it as 2024-05-17 (or 17/05/2024)".to_string(),
    };
    let name = column.map(|c| row.column_name(c)).unwrap_or("date");
    problems.push(row.warning(name, d, format!("{why}; {what} is kept without a date")));
    None
}

fn other_order(order: DateOrder) -> DateOrder {
    match order {
        DateOrder::DayFirst => DateOrder::MonthFirst,
        DateOrder::MonthFirst => DateOrder::DayFirst,
    }
}

fn date_order_name(order: DateOrder) -> &'static str {
    match order {
        DateOrder::DayFirst => "day",
        DateOrder::MonthFirst => "month",
    }
}

/// A row of `relations.csv`, checked but with its names not yet settled: the
/// relation (without its ends) when its kind is known.
struct ParsedRelation {
    source: Option<Resolution>,
    target: Option<Resolution>,
    relation: Option<Relation>,
}

pub(super) fn read_relations(
    t: &Table,
    file: u32,
    rules: &Rules,
    dataset: &mut Dataset,
    resolver: &mut Resolver,
    interviews: Option<&IdTable>,
    problems: &mut Problems,
) {
    let [source_c, target_c, kind_c, date_c, interview_c, weight_c, note_c] =
        [0, 1, 2, 3, 4, 5, 6].map(|i| t.column(RELATION_COLUMNS[i]));
    let decimal_comma = t.decimal_comma;
    let keep_extra = t
        .headers
        .iter()
        .any(|h| !h.is_empty() && !RELATION_COLUMNS.contains(&h.as_str()));
    let parse = |(resolver, _, _): &(&mut Resolver, &mut Vec<Organisation>, Vec<Relation>),
                 row: &Row<'_>,
                 problems: &mut Problems| {
        let end = |column: Option<usize>, name: &str, problems: &mut Problems| {
            let value = row.get(column, problems);
            if value.is_none() {
                problems.push(row.error(
                    name,
                    "",
                    format!("every relation names its {name} organisation"),
                ));
            }
            value.map(|v| resolver.lookup(v))
        };
        let source = end(source_c, "source", problems);
        let target = end(target_c, "target", problems);
        let kind = match row.get(kind_c, problems) {
            None => {
                problems.push(row.error(
                    "kind",
                    "",
                    format!(
                        "every relation needs a kind, one of: {}",
                        RelationKind::expected()
                    ),
                ));
                None
            }
            Some(k) => {
                let parsed = rules.words.relation_kind(k);
                if parsed.is_none() {
                    problems.push(row.error(
                        "kind",
                        k,
                        format!(
                            "unknown relation kind; {}expected one of: {}",
                            rules.words.relation_kind_hint(k),
                            RelationKind::expected()
                        ),
                    ));
                }
                parsed
            }
        };
        let date = date_of(row, date_c, rules, "the relation", problems);
        let weight = match row.get(weight_c, problems) {
            None => 1.0,
            Some(w) => parse_weight(w)
                .or_else(|| {
                    let read = parse_weight_decimal_comma(w)?;
                    if !decimal_comma {
                        problems.push(row.warning(
                            "weight",
                            w,
                            format!("read as {read}; in a file separated by commas, write {read} with a point"),
                        ));
                    }
                    Some(read)
                })
                .unwrap_or_else(|| {
                    problems.push(row.error(
                        "weight",
                        w,
                        "the weight must be a number greater than 0, such as 1 or 2.5",
                    ));
                    1.0
                }),
        };
        let interview = row.get(interview_c, problems);
        if let (Some(known), Some(i)) = (interviews, interview) {
            if known.get(i).is_none() {
                problems.push(row.warning(
                    "interview",
                    i,
                    format!("no interview in {INTERVIEWS} has this id"),
                ));
            }
        }
        let note = row.get(note_c, problems).map(str::to_string);
        let attributes = if keep_extra {
            row.extra(RELATION_COLUMNS, problems)
        } else {
            Attributes::new()
        };
        // Everything but the ends is made here, in parallel, so that the
        // rows in file order below cost little more than a push.
        let relation = kind.map(|kind| Relation {
            source: u32::MAX,
            target: u32::MAX,
            kind,
            date,
            interview: interview.map(str::to_string),
            weight,
            note,
            origins: vec![Origin {
                file,
                line: row.line,
            }],
            attributes,
        });
        ParsedRelation {
            source,
            target,
            relation,
        }
    };
    // Before a block of rows is parsed, the places its names and interviews
    // will be looked up in are loaded into the cache together.
    let warm = |(resolver, _, _): &(&mut Resolver, &mut Vec<Organisation>, Vec<Relation>),
                rows: &[Row<'_>]| {
        let mut touched = 0u64;
        for row in rows {
            for column in [source_c, target_c] {
                if let Some(name) = row.raw(column) {
                    touched ^= resolver.touch(name);
                }
            }
            if let (Some(known), Some(id)) = (interviews, row.raw(interview_c)) {
                touched ^= known.touch(id);
            }
        }
        std::hint::black_box(touched);
    };
    // The names are looked up in parallel; names that match no organisation
    // are settled in file order, so the `unknown` organisations they create
    // are numbered the same on any number of threads.
    let interview_count = dataset.interviews.len();
    let mut other_values: usize = dataset
        .organisations
        .iter()
        .map(|o| o.attributes.len())
        .sum();
    let mut relations = std::mem::take(&mut dataset.relations);
    relations.reserve(t.row_estimate().min(rules.limits.relations.most + 1));
    let mut state = (resolver, &mut dataset.organisations, relations);
    t.par_rows_warm(
        &mut state,
        problems,
        warm,
        parse,
        |(resolver, orgs, relations), p, row, problems| {
            if problems.halted() {
                return;
            }
            // The usual row: both ends name organisations of the files.
            let known = |r: &Option<Resolution>| r.as_ref().and_then(|r| resolver.known(r));
            if let (Some(s), Some(t2)) = (known(&p.source), known(&p.target)) {
                if s != t2 {
                    if let Some(mut relation) = p.relation {
                        relation.source = s;
                        relation.target = t2;
                        keep(
                            &rules.limits,
                            relations,
                            relation,
                            &mut other_values,
                            row,
                            problems,
                        );
                    }
                    return;
                }
            }
            let origin = Origin {
                file,
                line: row.line,
            };
            let mut quiet = Problems::default();
            let (Some(source_name), Some(target_name)) =
                (row.get(source_c, &mut quiet), row.get(target_c, &mut quiet))
            else {
                return;
            };
            let (Some(s), Some(t2)) = (p.source, p.target) else {
                return;
            };
            let s = resolver.settle(
                s,
                row.place(source_c),
                "source",
                source_name,
                origin,
                orgs,
                problems,
            );
            let t2 = resolver.settle(
                t2,
                row.place(target_c),
                "target",
                target_name,
                origin,
                orgs,
                problems,
            );
            let read = Read {
                organisations: orgs.len(),
                relations: relations.len(),
                interviews: interview_count,
            };
            if read.beyond(&rules.limits, problems, |m| row.row_error(m)) {
                return;
            }
            let (Some(s), Some(t2), Some(mut relation)) = (s, t2, p.relation) else {
                return;
            };
            if s == t2 {
                problems.push(row.warning(
                    "target",
                    target_name,
                    "the relation links an organisation to itself; it is left out",
                ));
                return;
            }
            relation.source = s;
            relation.target = t2;
            keep(
                &rules.limits,
                relations,
                relation,
                &mut other_values,
                row,
                problems,
            );
        },
    );
    dataset.relations = state.2;
}
