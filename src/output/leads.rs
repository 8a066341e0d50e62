//! `leads.csv`, and the same rows split by affiliate (`leads/by-affiliate/`)
//! and by region (`leads/by-region/`).

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;

use super::csv::{first_byte, formatted_rows, number, SafeCsv};
use super::file_names::{self, organisation_files, region_files};
use super::Output;
use crate::analysis::leads::{Lead, ScoreParts};
use crate::model::Model;
use crate::report::Report;

/// `leads.csv`.
pub struct LeadsCsv;

/// `leads/by-affiliate/<id>.csv` and `leads/by-region/<region>.csv`.
pub struct LeadsSplit;

/// The columns of every leads table.
fn header() -> Vec<&'static str> {
    let mut h = vec![
        "rank",
        "id",
        "name",
        "kind",
        "country",
        "region",
        "score",
        "lead_type",
        "status",
        "owner",
        "referrals",
        "referred_by",
        "desired_by",
        "best_introducer",
        "other_introducer",
        "path",
        "reason",
    ];
    h.extend([
        "score_referrals",
        "score_standing",
        "score_desire",
        "score_recency",
        "score_digitisation",
        "score_kind",
        "score_bridging",
    ]);
    debug_assert_eq!(ScoreParts::NAMES.len(), 7);
    h
}

/// Reads the values of a lead's row scattered over memory (the
/// organisations it names), for [`SafeCsv::finish_with_rows_touching`].
fn touch(model: &Model, lead: &Lead) -> u64 {
    let orgs = model.orgs();
    let o = &orgs[lead.organisation as usize];
    let named = lead
        .referred_by
        .iter()
        .map(|x| x.0)
        .chain(lead.desired_by.iter().copied())
        .chain(lead.introducer)
        .chain(lead.other_introducer)
        .fold(0, |t, v| t ^ first_byte(&orgs[v as usize].name));
    named
        ^ first_byte(&o.id)
        ^ first_byte(&o.name)
        ^ first_byte(o.region_or_none())
        ^ first_byte(&lead.reason)
        ^ first_byte(&lead.path_text)
}

/// How many of the affiliates that referred or want a lead the files of
/// `leads/` name in a row; `leads.csv` names them all. Every one of them
/// gets the lead's row in its own file, so naming all of them in each would
/// write the square of their number: 40,000 affiliates referring one
/// museum would fill 24 GB.
pub const SPLIT_NAMES_UP_TO: usize = 20;

/// `names` joined with `; `, at most `up_to` of them, then how many more
/// (`…; and 19,980 more (leads.csv lists all)`).
fn name_list(names: impl ExactSizeIterator<Item = String>, up_to: Option<usize>) -> String {
    let total = names.len();
    let shown = up_to.unwrap_or(total).min(total);
    let mut list: Vec<String> = names.take(shown).collect();
    if shown < total {
        list.push(format!(
            "and {} more (leads.csv lists all)",
            crate::text::thousands(total - shown)
        ));
    }
    list.join("; ")
}

/// One row of a leads table, naming at most `names_up_to` of the affiliates
/// that referred it and of those that want it (all with `None`).
fn row(model: &Model, rank: usize, lead: &Lead, names_up_to: Option<usize>) -> Vec<String> {
    let orgs = model.orgs();
    let o = &orgs[lead.organisation as usize];
    let status = lead.status.map(|i| &model.dataset.lead_status[i]);
    let referred_by = name_list(
        lead.referred_by.iter().map(|(v, n)| {
            if *n > 1 {
                format!("{} ({n}×)", orgs[*v as usize].name)
            } else {
                orgs[*v as usize].name.clone()
            }
        }),
        names_up_to,
    );
    let desired_by = name_list(
        lead.desired_by
            .iter()
            .map(|v| orgs[*v as usize].name.clone()),
        names_up_to,
    );
    let mut cells = vec![
        rank.to_string(),
        o.id.clone(),
        o.name.clone(),
        o.kind.to_string(),
        o.country.clone().unwrap_or_default(),
        o.region_or_none().to_string(),
        number(lead.score, 3),
        lead.lead_type.as_str().to_string(),
        status
            .map(|s| s.status.to_string())
            .unwrap_or_else(|| "new".to_string()),
        status.and_then(|s| s.owner.clone()).unwrap_or_default(),
        lead.referrals.to_string(),
        referred_by,
        desired_by,
        lead.introducer
            .map(|v| orgs[v as usize].name.clone())
            .unwrap_or_default(),
        lead.other_introducer
            .map(|v| orgs[v as usize].name.clone())
            .unwrap_or_default(),
        lead.path_text.clone(),
        lead.reason.clone(),
    ];
    cells.extend(lead.parts.values().iter().map(|v| number(*v, 3)));
    cells
}

impl Output for LeadsCsv {
    fn name(&self) -> &'static str {
        "leads.csv"
    }

    fn write(&self, report: &Report, dir: &Path) -> anyhow::Result<()> {
        let leads = &report.leads.leads;
        let csv = SafeCsv::create(&dir.join(self.name()), &header())?;
        let model = &report.model;
        csv.finish_with_rows_touching(
            leads.len(),
            |i| touch(model, &leads[i]),
            |i| row(model, i + 1, &leads[i], None),
        )
    }
}

impl Output for LeadsSplit {
    fn name(&self) -> &'static str {
        "leads"
    }

    fn write(&self, report: &Report, dir: &Path) -> anyhow::Result<()> {
        let model = &report.model;
        let orgs = model.orgs();
        // An affiliate's leads: those it referred or wants, and those it is
        // best placed to introduce. A region's: the leads in it.
        // By index into the leads.
        let mut by_affiliate: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
        let mut by_region: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, lead) in report.leads.leads.iter().enumerate() {
            let mut mine: Vec<u32> = lead
                .referred_by
                .iter()
                .map(|x| x.0)
                .chain(lead.desired_by.iter().copied())
                .chain(lead.introducer)
                .filter(|&v| orgs[v as usize].kind.is_movement())
                .collect();
            mine.sort_unstable();
            mine.dedup();
            for a in mine {
                by_affiliate.entry(a).or_default().push(i);
            }
            by_region
                .entry(orgs[lead.organisation as usize].region_or_none())
                .or_default()
                .push(i);
        }
        // A lead's row, rank included, is the same in every table it is in:
        // each is formatted once.
        let leads = &report.leads.leads;
        let rows = formatted_rows(
            leads.len(),
            |i| touch(model, &leads[i]),
            |i| row(model, i + 1, &leads[i], Some(SPLIT_NAMES_UP_TO)),
        );
        // Thousands of small files on a large network: written in parallel.
        // One name per affiliate and region, the same as in diagrams/.
        let org_files = organisation_files(orgs);
        let region_files = region_files(orgs);
        let mut affiliate_names = Vec::new();
        let mut region_names = Vec::new();
        let mut tables: Vec<(std::path::PathBuf, &[usize])> = Vec::new();
        for (&a, leads) in &by_affiliate {
            if let Some(file) = org_files[a as usize].as_deref() {
                affiliate_names.push((file, &orgs[a as usize]));
                let path = dir.join("leads/by-affiliate").join(format!("{file}.csv"));
                tables.push((path, leads.as_slice()));
            }
        }
        for (&r, leads) in &by_region {
            if let Some(file) = region_files.get(r) {
                region_names.push((file.as_str(), r));
                let path = dir.join("leads/by-region").join(format!("{file}.csv"));
                tables.push((path, leads.as_slice()));
            }
        }
        if !affiliate_names.is_empty() {
            file_names::write_organisation_index(
                &dir.join("leads/by-affiliate"),
                "csv",
                &affiliate_names,
            )?;
        }
        if !region_names.is_empty() {
            file_names::write_region_index(&dir.join("leads/by-region"), "csv", &region_names)?;
        }
        tables
            .par_iter()
            .map(|(path, leads)| {
                SafeCsv::create(path, &header())?
                    .finish_with_formatted(leads.iter().map(|&i| rows[i].as_slice()))
            })
            .collect::<anyhow::Result<()>>()?;
        Ok(())
    }
}
