//! `summary.md`: the run in words and small tables, for reading and for reports.

use std::fmt::Write as _;
use std::path::Path;

use super::exports::{ExportFormat, EXPORTS_UP_TO};
use super::markdown::{escape, table};
use super::Output;
use crate::analysis::clusters::{SHAKY_CONFIDENCE, SHAKY_SHARE};
use crate::model::OrgKind;
use crate::report::Report;
use crate::text::{plural, thousands};

/// `summary.md`.
pub struct Summary {
    /// Network exports left out because the network is large; the summary
    /// says how to get them.
    pub exports_held_back: Vec<ExportFormat>,
}

/// How many small components and unresolved names the summary lists.
const LIST_LIMIT: usize = 20;

impl Output for Summary {
    fn name(&self) -> &'static str {
        "summary.md"
    }

    fn write(&self, report: &Report, dir: &Path) -> anyhow::Result<()> {
        let mut text = render(report);
        exports_section(&mut text, report, &self.exports_held_back);
        std::fs::write(dir.join(self.name()), text)?;
        Ok(())
    }
}

/// The summary's text.
pub fn render(report: &Report) -> String {
    let mut s = String::new();
    let o = &report.overview;
    let model = &report.model;
    let orgs = model.orgs();
    let _ = writeln!(s, "# partnernet summary\n");
    let _ = writeln!(
        s,
        "The dataset holds {} ({} and {}), {} and {}; the relations make {} between pairs of organisations.\n",
        plural(o.organisations, "organisation", "organisations"),
        plural(o.movement, "affiliate or hub", "affiliates and hubs"),
        plural(o.institutions, "institution", "institutions"),
        plural(o.relations, "relation", "relations"),
        plural(o.interviews, "interview", "interviews"),
        plural(o.ties, "tie", "ties"),
    );

    // Names to fix come first: until they are fixed, the ties they stand
    // for are not counted for the organisations meant.
    let unresolved = &model.dataset.unresolved;
    if !unresolved.is_empty() {
        let _ = writeln!(s, "## Names to fix\n");
        let _ = writeln!(
            s,
            "{} no id, name or alias in organisations.csv. Until {} corrected (or the organisation added), {} kept as {} of kind `{}`, with {} ties, but never listed as {}, named in a cluster or drawn like a real organisation. The closest existing names:\n",
            plural(unresolved.len(), "name matches", "names match"),
            if unresolved.len() == 1 { "it is" } else { "they are" },
            if unresolved.len() == 1 { "it is" } else { "they are" },
            if unresolved.len() == 1 { "an organisation" } else { "organisations" },
            OrgKind::Unknown,
            if unresolved.len() == 1 { "its" } else { "their" },
            if unresolved.len() == 1 { "a lead" } else { "leads" },
        );
        s.push_str(&super::markdown::unresolved_table(
            &model.dataset,
            LIST_LIMIT,
        ));
        if unresolved.len() > LIST_LIMIT {
            let _ = writeln!(
                s,
                "\n… and {} more in data-quality.md.",
                unresolved.len() - LIST_LIMIT
            );
        }
        s.push('\n');
    }

    let _ = writeln!(s, "## Organisations by kind\n");
    let rows: Vec<Vec<String>> = o
        .by_kind
        .iter()
        .map(|(k, n)| vec![k.to_string(), n.to_string()])
        .collect();
    s.push_str(&table(&["kind", "organisations"], &rows));

    let _ = writeln!(s, "\n## Organisations by region\n");
    let rows: Vec<Vec<String>> = o
        .by_region
        .iter()
        .map(|(r, a, i)| vec![escape(r), a.to_string(), i.to_string()])
        .collect();
    s.push_str(&table(
        &["region", "affiliates and hubs", "institutions"],
        &rows,
    ));

    let _ = writeln!(s, "\n## Relations by kind\n");
    let rows: Vec<Vec<String>> = o
        .by_relation_kind
        .iter()
        .map(|(k, n)| vec![k.to_string(), n.to_string()])
        .collect();
    s.push_str(&table(&["kind", "relations"], &rows));
    let _ = writeln!(s, "\n`desired` relations are wishes, not ties: they are left out of the tie graph and used for leads.");

    let c = &report.components;
    let _ = writeln!(s, "\n## Components\n");
    if c.count() == 0 {
        let _ = writeln!(s, "There are no organisations.");
    } else {
        let isolated: Vec<usize> = c.isolated().collect();
        let small_limit = model.config().analysis.small_component;
        let _ = writeln!(
            s,
            "The network falls into {}. The largest holds {} of {} organisations ({:.0}%). {} no tie at all.\n",
            plural(c.count(), "connected component", "connected components"),
            c.sizes[0],
            o.organisations,
            100.0 * c.sizes[0] as f64 / o.organisations.max(1) as f64,
            match isolated.len() {
                0 => "No organisation has".to_string(),
                1 => "1 organisation has".to_string(),
                n => format!("{n} organisations have"),
            }
        );
        let members = c.members();
        let small: Vec<usize> = (1..c.count())
            .filter(|&k| c.sizes[k] > 1 && c.sizes[k] <= small_limit)
            .collect();
        if !small.is_empty() {
            let _ = writeln!(
                s,
                "Small groups cut off from the rest (at most {small_limit} organisations):\n"
            );
            for &k in small.iter().take(LIST_LIMIT) {
                let names: Vec<String> = members[k]
                    .iter()
                    .map(|&i| escape(&orgs[i as usize].name))
                    .collect();
                let _ = writeln!(s, "- {}", names.join(", "));
            }
            if small.len() > LIST_LIMIT {
                let _ = writeln!(s, "- … and {} more", small.len() - LIST_LIMIT);
            }
            s.push('\n');
        }
        if !isolated.is_empty() {
            let _ = writeln!(s, "Organisations with no tie:\n");
            for &i in isolated.iter().take(LIST_LIMIT) {
                let _ = writeln!(s, "- {} ({})", escape(&orgs[i].name), orgs[i].kind);
            }
            if isolated.len() > LIST_LIMIT {
                let _ = writeln!(s, "- … and {} more", isolated.len() - LIST_LIMIT);
            }
        }
    }

    clusters_section(&mut s, report);
    brokers_section(&mut s, report);
    leads_section(&mut s, report);
    s.push_str(&super::cold_leads::summary_section(report));

    let problems = &model.dataset.problems;
    if problems.warnings() > 0 {
        let _ = writeln!(s, "\n## Warnings about the data\n");
        for p in problems.items().iter().take(LIST_LIMIT) {
            let _ = writeln!(
                s,
                "- {}",
                escape(&p.relative_to(&model.dataset.root).to_string())
            );
        }
        if problems.items().len() > LIST_LIMIT || problems.dropped > 0 {
            let _ = writeln!(s, "- … run `partnernet validate` for the full list");
        }
    }
    s
}

/// Says which network exports were held back because the network is large,
/// and how to write them.
fn exports_section(s: &mut String, report: &Report, held_back: &[ExportFormat]) {
    if held_back.is_empty() {
        return;
    }
    let files: Vec<String> = held_back
        .iter()
        .map(|f| format!("`{}`", f.file_name()))
        .collect();
    let _ = writeln!(s, "\n## Network exports\n");
    let _ = writeln!(
        s,
        "{} {} not written: the network has {} organisations, and above {} partnernet writes the exports only when asked for. \
At this size they run to gigabytes (2.2 GB on a generated movement of a million organisations) and Gephi, yEd, Cytoscape and D3 are slow or fail to open them; \
the tables (`clusters.csv`, `ties.csv`) hold the same organisations and ties. \
To write them anyway, run `partnernet analyse` again with `--exports all`, or `--exports gexf` for Gephi alone.",
        files.join(", "),
        if files.len() == 1 { "was" } else { "were" },
        report.model.orgs().len(),
        EXPORTS_UP_TO,
    );
}

fn clusters_section(s: &mut String, report: &Report) {
    let c = &report.clusters;
    let orgs = report.model.orgs();
    let _ = writeln!(s, "\n## Clusters\n");
    if c.clusters.is_empty() {
        let _ = writeln!(
            s,
            "There are no clusters: no group of organisations is large enough."
        );
        return;
    }
    let unclustered = c.cluster.iter().filter(|k| k.is_none()).count();
    let objective = match c.objective {
        crate::config::ClusterObjective::Modularity => "modularity",
        crate::config::ClusterObjective::Cpm => "the Constant Potts Model",
    };
    let _ = writeln!(
        s,
        "The Leiden algorithm ({objective}, resolution {}) finds {}; their modularity is {:.3} (0 is no better than chance; above 0.3 is a clear structure). {} in small groups or without ties {} not put in a cluster.\n",
        c.resolution,
        plural(c.clusters.len(), "cluster", "clusters"),
        c.modularity,
        plural(unclustered, "organisation", "organisations"),
        if unclustered == 1 { "is" } else { "are" },
    );
    let rows: Vec<Vec<String>> = c
        .clusters
        .iter()
        .take(LIST_LIMIT)
        .map(|k| {
            let sure = k
                .members
                .iter()
                .map(|&v| c.confidence[v as usize])
                .sum::<f64>()
                / k.members.len().max(1) as f64;
            vec![
                k.id.to_string(),
                escape(&k.label),
                k.members.len().to_string(),
                k.affiliates.to_string(),
                k.institutions.to_string(),
                format!("{:.2}", k.density),
                format!("{sure:.2}"),
            ]
        })
        .collect();
    s.push_str(&table(
        &[
            "cluster",
            "label",
            "organisations",
            "affiliates and hubs",
            "institutions",
            "density",
            "mean confidence",
        ],
        &rows,
    ));
    if c.clusters.len() > LIST_LIMIT {
        let _ = writeln!(
            s,
            "\n… and {} more in cluster-summary.csv.",
            c.clusters.len() - LIST_LIMIT
        );
    }
    let shaky = &c.shaky_members;
    if c.seed != report.model.config().analysis.seed {
        let _ = writeln!(
            s,
            "\nThese clusters are the best partition of the {} runs (the run with seed {}); the run with the configured seed {} alone found modularity {:.3}.",
            c.runs,
            c.seed,
            report.model.config().analysis.seed,
            c.first_run_modularity
        );
    }
    let _ = writeln!(
        s,
        "\nConfidence is the share of {} seeded runs in which an organisation stays with the majority of its cluster. ",
        c.runs
    );
    if shaky.is_empty() {
        let _ = writeln!(
            s,
            "Every placement has a confidence of at least {SHAKY_CONFIDENCE}."
        );
    } else {
        let clustered = c.cluster.iter().filter(|k| k.is_some()).count();
        if c.shaky {
            let _ = writeln!(
                s,
                "**The clusters are shaky:** {} of {} placements ({:.0}%, at least {:.0}% counts as shaky) change from run to run, so read the cluster boundaries as rough; the organisations that move are marked `shaky` in clusters.csv.\n",
                shaky.len(),
                clustered,
                100.0 * shaky.len() as f64 / clustered.max(1) as f64,
                100.0 * SHAKY_SHARE
            );
        }
        let _ = writeln!(
            s,
            "{} below {SHAKY_CONFIDENCE}; these placements are worth a look:\n",
            plural(shaky.len(), "organisation is", "organisations are")
        );
        for &v in shaky.iter().take(LIST_LIMIT) {
            let v = v as usize;
            let k = c.cluster[v]
                .map(|k| c.clusters[k as usize].label.as_str())
                .unwrap_or("");
            let _ = writeln!(
                s,
                "- {} ({:.1}), placed in {}",
                escape(&orgs[v].name),
                c.confidence[v],
                escape(k)
            );
        }
        if shaky.len() > LIST_LIMIT {
            let _ = writeln!(
                s,
                "- … and {} more in clusters.csv",
                shaky.len() - LIST_LIMIT
            );
        }
    }
}

fn brokers_section(s: &mut String, report: &Report) {
    use crate::analysis::brokers::BetweennessMethod;
    let b = &report.brokers;
    let orgs = report.model.orgs();
    let clusters = &report.clusters;
    let _ = writeln!(s, "\n## Bridges and brokers\n");
    // "26 organisations in Western Africa", or "27 organisations (25 in
    // Western Africa, 2 in Eastern Africa)".
    let places = |cut: &crate::analysis::brokers::CutOff| -> String {
        let count = plural(cut.size as usize, "organisation", "organisations");
        match &*cut.regions {
            [(r, _)] => format!("{count} in {}", escape(r)),
            many => {
                let parts: Vec<String> = many
                    .iter()
                    .take(3)
                    .map(|(r, k)| format!("{k} in {}", escape(r)))
                    .collect();
                let more = if many.len() > 3 { ", …" } else { "" };
                format!("{count} ({}{more})", parts.join(", "))
            }
        }
    };
    let big_bridges: Vec<_> = b.bridges.iter().filter(|x| x.cut_off.size >= 2).collect();
    let _ = writeln!(
        s,
        "{} would split the network if lost ({} of them {} a single organisation).\n",
        plural(b.bridges.len(), "tie", "ties"),
        b.bridges.len() - big_bridges.len(),
        if b.bridges.len() - big_bridges.len() == 1 {
            "cuts off only"
        } else {
            "cut off only"
        },
    );
    for x in big_bridges.iter().take(5) {
        let (near, far) = if x.cut_off_end == x.source {
            (x.target, x.source)
        } else {
            (x.source, x.target)
        };
        let _ = writeln!(
            s,
            "- If the tie between {} and {} goes, {} lose their only tie to the rest (through {}).",
            escape(&orgs[near as usize].name),
            escape(&orgs[far as usize].name),
            places(&x.cut_off),
            escape(&orgs[far as usize].name),
        );
    }
    let big_points: Vec<_> = b
        .articulation_points
        .iter()
        .filter(|a| a.cut_off.size >= 2)
        .collect();
    if !big_points.is_empty() {
        let _ = writeln!(
            s,
            "\nOrganisations that hold a part of the network to the rest:\n"
        );
        for a in big_points.iter().take(5) {
            let _ = writeln!(
                s,
                "- Without {}, {} lose their connection to the rest.",
                escape(&orgs[a.organisation as usize].name),
                places(&a.cut_off),
            );
        }
    }
    let method = match b.method {
        BetweennessMethod::Exact => "exact".to_string(),
        BetweennessMethod::Sampled { pivots } => {
            format!("estimated from {pivots} sampled organisations")
        }
    };
    let _ = writeln!(s, "\nThe top brokers, by betweenness ({method}): the share of shortest paths between other organisations that run through them.\n");
    for (rank, &v) in b.ranking.iter().take(10).enumerate() {
        let v = v as usize;
        let o = &orgs[v];
        let mut why = format!("on {:.1}% of shortest paths", 100.0 * b.betweenness[v]);
        if let Some(cut) = b.cut_off(v) {
            why.push_str(&format!(
                "; without it {} lose their connection",
                plural(
                    cut.size as usize,
                    "organisation would",
                    "organisations would"
                )
            ));
        }
        let reach: std::collections::BTreeSet<u32> = report
            .model
            .ties
            .csr
            .neighbors(v)
            .iter()
            .filter_map(|&w| clusters.cluster[w as usize])
            .collect();
        if reach.len() > 1 {
            why.push_str(&format!(
                "; ties into {} clusters (participation {:.2})",
                reach.len(),
                b.participation[v]
            ));
        }
        let _ = writeln!(
            s,
            "{}. {} ({}, {}): {why}.",
            rank + 1,
            escape(&o.name),
            o.kind,
            escape(o.region_or_none())
        );
    }
}

fn leads_section(s: &mut String, report: &Report) {
    use crate::analysis::opportunities::OpportunityKind;
    let orgs = report.model.orgs();
    let leads = &report.leads.leads;
    let _ = writeln!(s, "\n## Leads\n");
    let won = &report.leads.won;
    if !won.is_empty() {
        let names: Vec<String> = won
            .iter()
            .take(LIST_LIMIT)
            .map(|&v| escape(&orgs[v as usize].name))
            .collect();
        let _ = writeln!(
            s,
            "{} became {} (`partner` in lead-status.csv) and {} no longer listed: {}{}.\n",
            plural(won.len(), "lead", "leads"),
            if won.len() == 1 {
                "a partner"
            } else {
                "partners"
            },
            if won.len() == 1 { "is" } else { "are" },
            names.join(", "),
            if won.len() > LIST_LIMIT {
                format!(" and {} more", won.len() - LIST_LIMIT)
            } else {
                String::new()
            }
        );
    }
    if leads.is_empty() {
        let _ = writeln!(
            s,
            "No institution was referred or wanted as a partner without already being one."
        );
    } else {
        let reengage = leads
            .iter()
            .filter(|l| l.lead_type == crate::analysis::leads::LeadType::Reengagement)
            .count();
        let _ = writeln!(
            s,
            "{} ({} of them former partners to re-engage). The top five (all in leads.csv and leads.md):\n",
            plural(leads.len(), "lead", "leads"),
            reengage
        );
        for (i, l) in leads.iter().take(5).enumerate() {
            let intro = l
                .introducer
                .map(|v| format!(" Best introducer: {}.", escape(&orgs[v as usize].name)))
                .unwrap_or_default();
            let _ = writeln!(
                s,
                "{}. {} (score {:.2}): {}.{intro}",
                i + 1,
                escape(&orgs[l.organisation as usize].name),
                l.score,
                escape(&l.reason)
            );
        }
    }
    let _ = writeln!(s, "\n## Collaboration opportunities\n");
    if report.opportunities.list.is_empty() {
        let _ = writeln!(
            s,
            "None found: no two affiliates without a tie share a partner, no need said in an \
             interview is offered by another affiliate, and no affiliate said it wants to work \
             with another.\n"
        );
    }
    for (kind, title) in [
        (
            OpportunityKind::Link,
            "Affiliates that do not work together yet but share partners",
        ),
        (
            OpportunityKind::NeedsOffers,
            "Needs matched with offers, nearest first",
        ),
        (
            OpportunityKind::Wish,
            "Affiliates that said they want to work with another",
        ),
    ] {
        let list: Vec<_> = report
            .opportunities
            .list
            .iter()
            .filter(|o| o.kind == kind)
            .take(5)
            .collect();
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(s, "{title}:\n");
        if kind == OpportunityKind::Wish {
            let wishes = report
                .opportunities
                .list
                .iter()
                .filter(|o| o.kind == OpportunityKind::Wish)
                .count();
            let _ = writeln!(
                s,
                "{} between affiliates (all in opportunities.csv, kind `wish`).\n",
                plural(wishes, "wish", "wishes")
            );
        }
        for o in list {
            let _ = writeln!(
                s,
                "- {} and {}: {}.",
                escape(&orgs[o.a as usize].name),
                escape(&orgs[o.b as usize].name),
                escape(&o.reason)
            );
        }
        s.push('\n');
    }
    crowded_partners_note(s, report);
}

/// Names the organisations left out of the link opportunities for working
/// with too many affiliates, so that a missing link has its reason.
fn crowded_partners_note(s: &mut String, report: &Report) {
    use crate::analysis::opportunities::SHARED_PARTNER_AFFILIATES_UP_TO;
    let crowded = &report.opportunities.crowded_partners;
    if crowded.is_empty() {
        return;
    }
    let orgs = report.model.orgs();
    let names: Vec<String> = crowded
        .iter()
        .take(LIST_LIMIT)
        .map(|&v| escape(&orgs[v as usize].name))
        .collect();
    let more = if crowded.len() > LIST_LIMIT {
        format!(" and {} more", crowded.len() - LIST_LIMIT)
    } else {
        String::new()
    };
    let _ = writeln!(
        s,
        "Not counted as a shared partner, since {} with more than {} affiliates: {}{more}. \
         Every two of those affiliates would share it, and it says little about any two of them.\n",
        if crowded.len() == 1 {
            "it works"
        } else {
            "each works"
        },
        thousands(SHARED_PARTNER_AFFILIATES_UP_TO),
        names.join(", "),
    );
}
