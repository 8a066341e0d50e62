//! `partnernet leads`: the ranked leads as a table in the terminal.

use std::path::Path;

use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};

use super::stages::Stages;
use super::{run_lead_analyses, Overrides};
use crate::error::{Error, Result};
use crate::ingest::names::{normalise, NameIndex, Resolution};
use crate::output::csv::number;
use crate::text::terminal;

/// What to show.
#[derive(Debug, Clone, Default)]
pub struct LeadsQuery {
    /// Only the leads of this affiliate (id, name or alias): those it referred
    /// or wants, and those it is best placed to introduce.
    pub affiliate: Option<String>,
    /// Only the leads in this region.
    pub region: Option<String>,
    /// At most this many.
    pub top: usize,
}

/// Analyses `dataset` and returns the leads table as text.
pub fn leads_table(dataset: &Path, overrides: &Overrides, query: &LeadsQuery) -> Result<String> {
    let mut stages = Stages::new(false);
    let (model, leads) = run_lead_analyses(dataset, overrides, &mut stages)?;
    let orgs = model.orgs();
    let affiliate = match &query.affiliate {
        None => None,
        Some(name) => match NameIndex::new(orgs).0.resolve(name) {
            Resolution::Found(i) => Some(i),
            Resolution::Ambiguous(candidates) => {
                let ids: Vec<&str> = candidates
                    .iter()
                    .map(|c| orgs[*c as usize].id.as_str())
                    .collect();
                return Err(Error::Other(anyhow::anyhow!(
                    "{name:?} matches several organisations ({}); give the affiliate's id",
                    ids.join(", ")
                )));
            }
            Resolution::Missing => {
                let closest = crate::ingest::names::suggestions(&[name.as_str()], orgs, 3)
                    .into_iter()
                    .next()
                    .unwrap_or_default();
                let hint = if closest.is_empty() {
                    String::new()
                } else {
                    format!(
                        "did you mean {}? ",
                        closest
                            .iter()
                            .map(|c| format!("{c:?}"))
                            .collect::<Vec<_>>()
                            .join(" or ")
                    )
                };
                return Err(Error::Other(anyhow::anyhow!(
                    "no organisation is called {name:?}; {hint}give an affiliate's id, name or alias"
                )));
            }
        },
    };
    let region = query.region.as_deref().map(normalise);
    if let Some(r) = &region {
        if !orgs
            .iter()
            .any(|o| o.region.as_deref().map(normalise).as_ref() == Some(r))
        {
            let mut known: Vec<&str> = orgs.iter().filter_map(|o| o.region.as_deref()).collect();
            known.sort_unstable();
            known.dedup();
            return Err(Error::Other(anyhow::anyhow!(
                "no organisation is in the region {:?}; the regions are: {}",
                query.region.as_deref().unwrap_or_default(),
                known.join(", ")
            )));
        }
    }
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header([
            "rank",
            "lead",
            "region",
            "score",
            "status",
            "best introducer",
            "why",
        ]);
    let mut shown = 0;
    for (i, lead) in leads.leads.iter().enumerate() {
        let o = &orgs[lead.organisation as usize];
        if let Some(a) = affiliate {
            let mine = lead.introducer == Some(a)
                || lead.desired_by.contains(&a)
                || lead.referred_by.iter().any(|x| x.0 == a);
            if !mine {
                continue;
            }
        }
        if let Some(r) = &region {
            if o.region.as_deref().map(normalise).as_ref() != Some(r) {
                continue;
            }
        }
        if shown == query.top {
            break;
        }
        shown += 1;
        let status = lead
            .status
            .map(|k| model.dataset.lead_status[k].status.to_string())
            .unwrap_or_else(|| "new".into());
        // Names are printed with their control characters escaped, cell by
        // cell, so the table stays aligned and the terminal inert.
        table.add_row([
            (i + 1).to_string(),
            terminal(&o.name).into_owned(),
            terminal(o.region_or_none()).into_owned(),
            number(lead.score, 2),
            status,
            lead.introducer
                .map(|v| terminal(&orgs[v as usize].name).into_owned())
                .unwrap_or_default(),
            terminal(&lead.reason).into_owned(),
        ]);
    }
    if shown == 0 {
        return Ok("No leads match.\n".to_string());
    }
    Ok(format!("{table}\n"))
}
