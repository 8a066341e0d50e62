//! `changes.md`: what changed between two snapshots, in plain words, most
//! important first; every change is also a row of `changes.csv`.

use std::fmt::Write as _;
use std::path::Path;

use super::markdown::{escape, table};
use super::Output;
use crate::analysis::changes::{self, ChangeKind, Changes};
use crate::report::Report;

/// The file's name.
pub const FILE: &str = "changes.md";

/// How many changes of one kind `changes.md` shows; the rest are counted
/// and are in `changes.csv`.
pub const SHOWN: usize = 20;

/// `changes.md` of `analyse --since`; written only when the report holds
/// changes.
pub struct ChangesMarkdown;

impl Output for ChangesMarkdown {
    fn name(&self) -> &'static str {
        FILE
    }

    fn write(&self, report: &Report, dir: &Path) -> anyhow::Result<()> {
        match &report.changes {
            Some(changes) => write(changes, dir),
            None => Ok(()),
        }
    }
}

/// Writes `changes.md` into `dir`.
pub fn write(changes: &Changes, dir: &Path) -> anyhow::Result<()> {
    let path = dir.join(FILE);
    std::fs::write(&path, render(changes))
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))
}

/// How many changes of `kind`, in words: `Partnerships begun: 3`.
fn counted(n: usize, kind: ChangeKind) -> String {
    let heading = kind.heading();
    let short = heading
        .split(" (")
        .next()
        .and_then(|h| h.split(':').next())
        .unwrap_or(heading);
    format!("{short}: {n}")
}

/// The whole of `changes.md`.
pub fn render(changes: &Changes) -> String {
    let mut s = String::from("# What changed\n\n");
    let (old, new) = (escape(&changes.old_name), escape(&changes.new_name));
    if changes.nothing_changed() {
        let _ = writeln!(
            s,
            "Nothing changed between {old} and {new}: the same organisations, partnerships, ties, clusters, brokers and leads."
        );
        return s;
    }
    let _ = writeln!(
        s,
        "From {old} to {new}, both analysed with the same settings and seed. The most important changes come first; every change is a row of changes.csv.\n"
    );
    let present: Vec<(ChangeKind, usize)> = ChangeKind::ALL
        .iter()
        .map(|&k| (k, changes.of_kind(k).count()))
        .filter(|(_, n)| *n > 0)
        .collect();
    if present.is_empty() {
        s.push_str("No partnership, lead, group, broker, cluster or organisation changed; only the counts below did.\n\n");
    } else {
        s.push_str("In short:\n\n");
        for &(k, n) in &present {
            let _ = writeln!(s, "- {}", counted(n, k));
        }
        s.push('\n');
    }
    s.push_str("## Before and after\n\n");
    let rows: Vec<Vec<String>> = changes
        .counts
        .iter()
        .map(|c| {
            vec![
                escape(&c.label),
                c.old.clone(),
                c.new.clone(),
                difference(&c.old, &c.new),
            ]
        })
        .collect();
    s.push_str(&table(&["What", "Before", "After", "Change"], &rows));
    s.push('\n');
    for &(kind, n) in &present {
        let _ = writeln!(s, "## {}\n", kind.heading());
        let _ = writeln!(s, "{}\n", explain(kind));
        let rows: Vec<Vec<String>> = changes
            .of_kind(kind)
            .take(SHOWN)
            .map(|c| {
                vec![
                    escape(&c.organisation),
                    escape(&c.other),
                    escape(&c.region),
                    escape(&c.old),
                    escape(&c.new),
                    escape(&c.reason),
                ]
            })
            .collect();
        s.push_str(&table(
            &["Organisation", "Other", "Region", "Before", "After", "Why"],
            &rows,
        ));
        if n > SHOWN {
            let _ = writeln!(s, "\n… and {} more in changes.csv.", n - SHOWN);
        }
        s.push('\n');
    }
    if !changes.persisting.is_empty() {
        s.push_str("## Clusters that persist\n\n");
        let _ = writeln!(
            s,
            "A cluster persists when it and an earlier cluster are each other's closest match and share at least {:.0}% of their members taken together (the Jaccard index, 1 for the same members).\n",
            changes::JACCARD_PERSIST * 100.0
        );
        let rows: Vec<Vec<String>> = changes
            .persisting
            .iter()
            .take(SHOWN)
            .map(|p| {
                vec![
                    format!("{} ({})", p.new, escape(&p.new_label)),
                    format!("{} ({})", p.old, escape(&p.old_label)),
                    format!("{:.2}", p.jaccard),
                ]
            })
            .collect();
        s.push_str(&table(&["Cluster now", "Cluster before", "Jaccard"], &rows));
        if changes.persisting.len() > SHOWN {
            let _ = writeln!(s, "\n… and {} more.", changes.persisting.len() - SHOWN);
        }
        s.push('\n');
    }
    let [ids, items, names] = changes.matched;
    let _ = writeln!(
        s,
        "Organisations were matched by their id ({ids}), their Wikidata item ({items}) or their name ({names}); those matched other than by id are listed above to check."
    );
    s
}

/// The difference of two counts, as `+3` or `-1`; empty when the same or
/// not whole numbers.
fn difference(old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    match (old.parse::<i64>(), new.parse::<i64>()) {
        (Ok(a), Ok(b)) => format!("{:+}", b - a),
        _ => match (old.parse::<f64>(), new.parse::<f64>()) {
            (Ok(a), Ok(b)) => format!("{:+.3}", b - a),
            _ => String::new(),
        },
    }
}

/// What a section means, in a sentence.
fn explain(kind: ChangeKind) -> String {
    match kind {
        ChangeKind::PartnershipBegun => "Pairs with an active partnership now that had none before. \"Organisation\" is the institution, \"Other\" the affiliate.".into(),
        ChangeKind::PartnershipRenewed => "Pairs whose partnership had ended and is active again.".into(),
        ChangeKind::PartnershipEnded => "Pairs whose active partnership is now a past partnership, or is no longer recorded.".into(),
        ChangeKind::LeadWon => "Leads of before that now have an active partnership, or whose lead status is partner.".into(),
        ChangeKind::GroupConnected => format!("Groups of at least {} organisations that were apart from the rest and are now connected to a larger group, with the tie that connects them.", changes::GROUP_MIN),
        ChangeKind::GroupCutOff => format!("Groups of at least {} organisations that are now cut off from the group they were part of.", changes::GROUP_MIN),
        ChangeKind::BridgeAppeared => "Ties that were one of several paths and now alone hold a group to the rest: if they lapse, the group is cut off.".into(),
        ChangeKind::BridgeClosed => "Ties that alone held a group to the rest; the group is now reached another way too.".into(),
        ChangeKind::CollaborationBegun => "Pairs of affiliates recorded as working together now and not before.".into(),
        ChangeKind::CollaborationEnded => "Pairs of affiliates recorded as working together before and not now.".into(),
        ChangeKind::LeadNew => "Leads that were not leads before, with the affiliate best placed to introduce them.".into(),
        ChangeKind::LeadDropped => "Leads of before that are no longer leads (and were not won).".into(),
        ChangeKind::LeadMoved => format!("Leads that moved into, out of or within the top {} of the lead list.", changes::TOP_LEADS),
        ChangeKind::BrokerRising => format!("Organisations whose betweenness rose by at least {:.0} percentage points of the top broker's, or that now alone hold a group of at least {} to the rest.", changes::BROKER_THRESHOLD * 100.0, changes::GROUP_MIN),
        ChangeKind::BrokerFalling => format!("Organisations whose betweenness fell by at least {:.0} percentage points of the top broker's, or that no longer alone hold a group to the rest.", changes::BROKER_THRESHOLD * 100.0),
        ChangeKind::ClustersMerged => "Clusters whose members are now, for the most part, in one cluster.".into(),
        ChangeKind::ClusterSplit => "Clusters whose members now form several clusters.".into(),
        ChangeKind::ClusterAppeared => "Clusters that no earlier cluster matches.".into(),
        ChangeKind::ClusterVanished => "Earlier clusters that no cluster now matches.".into(),
        ChangeKind::ClusterChanged => "Clusters that persist, with members gained or lost (the Jaccard index says how many stayed: 1 for all).".into(),
        ChangeKind::MovedCluster => "Organisations now in another cluster, where both clusters persist.".into(),
        ChangeKind::OrganisationNew => "Organisations in the later data only.".into(),
        ChangeKind::OrganisationGone => "Organisations in the earlier data only.".into(),
        ChangeKind::MatchedByWikidata => "These have a different id but the same Wikidata item, so they were taken to be the same organisation. Check that they are.".into(),
        ChangeKind::MatchedByName => "These have a different id but the same name (ignoring case and accents) or alias, so they were taken to be the same organisation. Check that they are.".into(),
    }
}
