//! What changed between two snapshots of the movement: an earlier one (OLD)
//! and a later one (NEW), each analysed with the same settings and seed.
//!
//! **Matching.** An organisation of OLD is the same as one of NEW when they
//! have the same id; failing that, the same Wikidata item; failing that, the
//! same folded name (see [`crate::ingest::names::normalise`]: case, accents
//! and spaces ignored) among their ids, names and aliases, when that name
//! points to exactly one organisation of NEW. Matches made other than by id
//! are listed as changes of their own so staff can check them.
//!
//! **What counts as a change**, in the order [`ChangeKind`] lists them (most
//! important first):
//!
//! - partnerships (`partner` relations between a pair) begun, renewed (the
//!   pair had only a `past_partner` relation before) and ended (now
//!   `past_partner`, or no longer recorded);
//! - leads won: a lead of OLD that now has an active partnership or the
//!   lead status `partner`;
//! - groups of at least [`GROUP_MIN`] organisations joined to another group
//!   (components joined) or cut off from it (a component split), and bridges
//!   (ties that alone hold such a group to the rest) that appeared on a tie
//!   already there, or were closed by another path;
//! - collaborations (`collaborates`) begun and ended;
//! - leads new and dropped, and moves in the top [`TOP_LEADS`] of the list;
//! - brokers rising and falling: betweenness, as a share of the highest
//!   betweenness of its snapshot, up or down by at least
//!   [`BROKER_THRESHOLD`], or becoming or ceasing to be a cut point that
//!   alone holds at least [`GROUP_MIN`] organisations to the rest;
//! - clusters merged, split, appeared, vanished or persisting with other
//!   members, and organisations that moved between persisting clusters (see
//!   [`cluster_links`] for how clusters are matched);
//! - organisations new and gone.
//!
//! A [`Changes`] also holds the counts before and after. Nothing here reads
//! or writes files: the outputs format what it holds.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use crate::analysis::brokers::Brokers;
use crate::analysis::clusters::Clustering;
use crate::analysis::components::Components;
use crate::analysis::leads::Leads;
use crate::analysis::overview::Overview;
use crate::ingest::names::normalise;
use crate::model::{LeadState, Model, OrgKind, RelationKind, NO_REGION};
use crate::report::Report;

/// The smallest group whose joining, cutting off or bridging is reported:
/// a single organisation getting or losing its only tie is a partnership
/// begun or ended, not a region connected.
pub const GROUP_MIN: usize = 2;

/// How far an organisation's betweenness, as a share of the highest
/// betweenness of its snapshot, must move (0.10 = ten percentage points)
/// for it to count as a broker rising or falling.
pub const BROKER_THRESHOLD: f64 = 0.10;

/// How many leads count as the top of the list, whose moves are reported.
pub const TOP_LEADS: usize = 10;

/// The Jaccard index (shared members / members of either) from which two
/// clusters are the same cluster, persisting, when each is the other's best
/// match.
pub const JACCARD_PERSIST: f64 = 0.3;

/// One snapshot's model and the analyses the comparison reads.
#[derive(Debug, Clone, Copy)]
pub struct Snapshot<'a> {
    pub model: &'a Model,
    pub overview: &'a Overview,
    pub components: &'a Components,
    pub clusters: &'a Clustering,
    pub brokers: &'a Brokers,
    pub leads: &'a Leads,
}

impl<'a> Snapshot<'a> {
    /// The snapshot of a whole `analyse` report.
    pub fn of(report: &'a Report) -> Snapshot<'a> {
        Snapshot {
            model: &report.model,
            overview: &report.overview,
            components: &report.components,
            clusters: &report.clusters,
            brokers: &report.brokers,
            leads: &report.leads,
        }
    }
}

/// How an organisation of OLD was found in NEW.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MatchedBy {
    Id,
    Wikidata,
    Name,
}

/// Which organisation of NEW each organisation of OLD is.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Matching {
    /// For each organisation of OLD (by index), the organisation of NEW.
    pub new_of_old: Vec<Option<u32>>,
    /// For each organisation of NEW, the organisation of OLD.
    pub old_of_new: Vec<Option<u32>>,
    /// The matches made other than by id: (OLD index, NEW index, how), in
    /// the order of OLD.
    pub checked: Vec<(u32, u32, MatchedBy)>,
}

/// Matches the organisations of `old` to those of `new`: by id, then by
/// Wikidata item, then by folded id, name or alias (only where the folded
/// name points to exactly one organisation of NEW still unmatched). Each
/// organisation is matched at most once; OLD's order decides between rivals.
pub fn match_organisations(old: &Model, new: &Model) -> Matching {
    let (o, n) = (old.orgs(), new.orgs());
    let mut new_of_old = vec![None; o.len()];
    let mut old_of_new: Vec<Option<u32>> = vec![None; n.len()];
    let mut checked = Vec::new();
    let by_id: foldhash::HashMap<&str, u32> = n
        .iter()
        .enumerate()
        .map(|(i, org)| (org.id.as_str(), i as u32))
        .collect();
    for (i, org) in o.iter().enumerate() {
        if let Some(&j) = by_id.get(org.id.as_str()) {
            new_of_old[i] = Some(j);
            old_of_new[j as usize] = Some(i as u32);
        }
    }
    if new_of_old.iter().all(Option::is_some) && old_of_new.iter().all(Option::is_some) {
        return Matching {
            new_of_old,
            old_of_new,
            checked,
        };
    }
    // Wikidata items of NEW's unmatched organisations; an item held by two
    // of them matches neither.
    let mut by_item: foldhash::HashMap<&str, Option<u32>> = foldhash::HashMap::default();
    for (j, org) in n.iter().enumerate() {
        if let (None, Some(q)) = (old_of_new[j], org.wikidata.as_deref()) {
            by_item
                .entry(q)
                .and_modify(|e| *e = None)
                .or_insert(Some(j as u32));
        }
    }
    for (i, org) in o.iter().enumerate() {
        if new_of_old[i].is_some() {
            continue;
        }
        let Some(q) = org.wikidata.as_deref() else {
            continue;
        };
        if let Some(Some(j)) = by_item.get(q) {
            if old_of_new[*j as usize].is_none() {
                new_of_old[i] = Some(*j);
                old_of_new[*j as usize] = Some(i as u32);
                checked.push((i as u32, *j, MatchedBy::Wikidata));
            }
        }
    }
    // Folded ids, names and aliases of NEW's organisations still unmatched.
    let keys = |org: &crate::model::Organisation| {
        let mut k: Vec<String> = std::iter::once(org.id.as_str())
            .chain(std::iter::once(org.name.as_str()))
            .chain(org.aliases.iter().map(String::as_str))
            .map(normalise)
            .filter(|s| !s.is_empty())
            .collect();
        k.sort();
        k.dedup();
        k
    };
    let mut by_name: foldhash::HashMap<String, Option<u32>> = foldhash::HashMap::default();
    for (j, org) in n.iter().enumerate() {
        if old_of_new[j].is_none() {
            for k in keys(org) {
                by_name
                    .entry(k)
                    .and_modify(|e| *e = None)
                    .or_insert(Some(j as u32));
            }
        }
    }
    for (i, org) in o.iter().enumerate() {
        if new_of_old[i].is_some() {
            continue;
        }
        // The name first, then the id and aliases.
        let mut tried = vec![normalise(&org.name)];
        tried.extend(keys(org));
        for k in tried {
            if let Some(Some(j)) = by_name.get(&k) {
                if old_of_new[*j as usize].is_none() {
                    new_of_old[i] = Some(*j);
                    old_of_new[*j as usize] = Some(i as u32);
                    checked.push((i as u32, *j, MatchedBy::Name));
                    break;
                }
            }
        }
    }
    Matching {
        new_of_old,
        old_of_new,
        checked,
    }
}

/// The kinds of change, most important first: the order of `changes.md`
/// and `changes.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeKind {
    PartnershipBegun,
    PartnershipRenewed,
    PartnershipEnded,
    LeadWon,
    GroupConnected,
    GroupCutOff,
    BridgeAppeared,
    BridgeClosed,
    CollaborationBegun,
    CollaborationEnded,
    LeadNew,
    LeadDropped,
    LeadMoved,
    BrokerRising,
    BrokerFalling,
    ClustersMerged,
    ClusterSplit,
    ClusterAppeared,
    ClusterVanished,
    ClusterChanged,
    MovedCluster,
    OrganisationNew,
    OrganisationGone,
    MatchedByWikidata,
    MatchedByName,
}

impl ChangeKind {
    /// Every kind, most important first.
    pub const ALL: [ChangeKind; 25] = [
        ChangeKind::PartnershipBegun,
        ChangeKind::PartnershipRenewed,
        ChangeKind::PartnershipEnded,
        ChangeKind::LeadWon,
        ChangeKind::GroupConnected,
        ChangeKind::GroupCutOff,
        ChangeKind::BridgeAppeared,
        ChangeKind::BridgeClosed,
        ChangeKind::CollaborationBegun,
        ChangeKind::CollaborationEnded,
        ChangeKind::LeadNew,
        ChangeKind::LeadDropped,
        ChangeKind::LeadMoved,
        ChangeKind::BrokerRising,
        ChangeKind::BrokerFalling,
        ChangeKind::ClustersMerged,
        ChangeKind::ClusterSplit,
        ChangeKind::ClusterAppeared,
        ChangeKind::ClusterVanished,
        ChangeKind::ClusterChanged,
        ChangeKind::MovedCluster,
        ChangeKind::OrganisationNew,
        ChangeKind::OrganisationGone,
        ChangeKind::MatchedByWikidata,
        ChangeKind::MatchedByName,
    ];

    /// The `change` column of `changes.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::PartnershipBegun => "partnership begun",
            ChangeKind::PartnershipRenewed => "partnership renewed",
            ChangeKind::PartnershipEnded => "partnership ended",
            ChangeKind::LeadWon => "lead won",
            ChangeKind::GroupConnected => "group connected",
            ChangeKind::GroupCutOff => "group cut off",
            ChangeKind::BridgeAppeared => "bridge appeared",
            ChangeKind::BridgeClosed => "bridge closed",
            ChangeKind::CollaborationBegun => "collaboration begun",
            ChangeKind::CollaborationEnded => "collaboration ended",
            ChangeKind::LeadNew => "lead new",
            ChangeKind::LeadDropped => "lead dropped",
            ChangeKind::LeadMoved => "lead moved",
            ChangeKind::BrokerRising => "broker rising",
            ChangeKind::BrokerFalling => "broker falling",
            ChangeKind::ClustersMerged => "clusters merged",
            ChangeKind::ClusterSplit => "cluster split",
            ChangeKind::ClusterAppeared => "cluster appeared",
            ChangeKind::ClusterVanished => "cluster vanished",
            ChangeKind::ClusterChanged => "cluster persists",
            ChangeKind::MovedCluster => "moved to another cluster",
            ChangeKind::OrganisationNew => "organisation new",
            ChangeKind::OrganisationGone => "organisation gone",
            ChangeKind::MatchedByWikidata => "matched by Wikidata item",
            ChangeKind::MatchedByName => "matched by name",
        }
    }

    /// The heading of the kind's section in `changes.md`.
    pub fn heading(self) -> &'static str {
        match self {
            ChangeKind::PartnershipBegun => "Partnerships begun",
            ChangeKind::PartnershipRenewed => "Partnerships renewed",
            ChangeKind::PartnershipEnded => "Partnerships ended",
            ChangeKind::LeadWon => "Leads won",
            ChangeKind::GroupConnected => "Groups newly connected to the rest",
            ChangeKind::GroupCutOff => "Groups newly cut off",
            ChangeKind::BridgeAppeared => "New weak links (one tie now holds a group)",
            ChangeKind::BridgeClosed => "Weak links closed (a second path now exists)",
            ChangeKind::CollaborationBegun => "Collaborations between affiliates begun",
            ChangeKind::CollaborationEnded => "Collaborations between affiliates ended",
            ChangeKind::LeadNew => "New leads",
            ChangeKind::LeadDropped => "Leads dropped",
            ChangeKind::LeadMoved => "Moves at the top of the lead list",
            ChangeKind::BrokerRising => "Brokers rising",
            ChangeKind::BrokerFalling => "Brokers falling",
            ChangeKind::ClustersMerged => "Clusters merged",
            ChangeKind::ClusterSplit => "Clusters split",
            ChangeKind::ClusterAppeared => "Clusters appeared",
            ChangeKind::ClusterVanished => "Clusters vanished",
            ChangeKind::ClusterChanged => "Clusters that persist with other members",
            ChangeKind::MovedCluster => "Organisations that moved between clusters",
            ChangeKind::OrganisationNew => "Organisations new in the data",
            ChangeKind::OrganisationGone => "Organisations no longer in the data",
            ChangeKind::MatchedByWikidata => {
                "Matched by their Wikidata item (different id): please check"
            }
            ChangeKind::MatchedByName => "Matched by their name (different id): please check",
        }
    }
}

/// One change, a row of `changes.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub kind: ChangeKind,
    /// The organisation (or cluster) the change is about, by name.
    pub organisation: String,
    /// The other side: the partner, the cluster moved to, and so on.
    pub other: String,
    /// The organisation's region (NEW's, or OLD's for one that is gone).
    pub region: String,
    /// How things stood before, in words.
    pub old: String,
    /// How things stand now, in words.
    pub new: String,
    /// Why it counts as a change, in words.
    pub reason: String,
    /// How much it matters among changes of its kind (larger first): the
    /// size of a group, a betweenness move, a lead's score, and so on.
    pub weight: f64,
}

/// One row of the counts table: what is counted, before and after.
#[derive(Debug, Clone, PartialEq)]
pub struct Count {
    pub label: String,
    pub old: String,
    pub new: String,
}

/// A pair of clusters matched as the same cluster.
#[derive(Debug, Clone, PartialEq)]
pub struct PersistingCluster {
    pub old: u32,
    pub old_label: String,
    pub new: u32,
    pub new_label: String,
    /// Shared members / members of either.
    pub jaccard: f64,
}

/// What changed between two snapshots.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Changes {
    /// Every change, most important kind first, within a kind by weight.
    pub changes: Vec<Change>,
    /// Counts before and after.
    pub counts: Vec<Count>,
    /// The clusters that persist, by their number in NEW.
    pub persisting: Vec<PersistingCluster>,
    /// Organisations matched by id, by Wikidata item and by name.
    pub matched: [usize; 3],
    /// Organisations of OLD and of NEW.
    pub organisations: (usize, usize),
    /// What the earlier snapshot is, in words (set by the command: a folder,
    /// or "the data recorded before 2024-01-01").
    pub old_name: String,
    /// What the later snapshot is, in words.
    pub new_name: String,
}

impl Changes {
    /// Whether nothing changed: no change and the same counts.
    pub fn nothing_changed(&self) -> bool {
        self.changes.is_empty() && self.counts.iter().all(|c| c.old == c.new)
    }

    /// The changes of one kind, in order.
    pub fn of_kind(&self, kind: ChangeKind) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| c.kind == kind)
    }
}

/// The two snapshots side by side, with organisations given one common key:
/// NEW's index, or `NEW's count + OLD's index` for organisations of OLD that
/// NEW does not have.
struct Pair<'a> {
    old: Snapshot<'a>,
    new: Snapshot<'a>,
    matching: &'a Matching,
}

impl Pair<'_> {
    fn key_of_old(&self, i: u32) -> u32 {
        self.matching.new_of_old[i as usize].unwrap_or(self.new.model.orgs().len() as u32 + i)
    }

    fn org(&self, key: u32) -> &crate::model::Organisation {
        let n = self.new.model.orgs().len() as u32;
        if key < n {
            &self.new.model.orgs()[key as usize]
        } else {
            &self.old.model.orgs()[(key - n) as usize]
        }
    }

    fn name(&self, key: u32) -> String {
        self.org(key).name.clone()
    }

    fn region(&self, key: u32) -> String {
        self.org(key).region_or_none().to_string()
    }

    fn in_new(&self, key: u32) -> bool {
        (key as usize) < self.new.model.orgs().len()
    }
}

/// What a pair of organisations had in one snapshot.
#[derive(Debug, Clone, Copy, Default)]
struct PairState {
    partner: bool,
    past: bool,
    collaborates: bool,
    date: Option<chrono::NaiveDate>,
}

fn pair_states(model: &Model, key: impl Fn(u32) -> u32) -> FxHashMap<(u32, u32), PairState> {
    let mut out: FxHashMap<(u32, u32), PairState> = FxHashMap::default();
    for r in &model.dataset.relations {
        if r.source == r.target
            || !matches!(
                r.kind,
                RelationKind::Partner | RelationKind::PastPartner | RelationKind::Collaborates
            )
        {
            continue;
        }
        let (a, b) = (key(r.source), key(r.target));
        let s = out.entry((a.min(b), a.max(b))).or_default();
        match r.kind {
            RelationKind::Partner => s.partner = true,
            RelationKind::PastPartner => s.past = true,
            _ => s.collaborates = true,
        }
        if r.date > s.date {
            s.date = r.date;
        }
    }
    out
}

fn state_word(s: Option<&PairState>) -> &'static str {
    match s {
        Some(s) if s.partner => "partner",
        Some(s) if s.past => "past partner",
        _ => "no partnership recorded",
    }
}

/// Compares two snapshots. `old` is the earlier one. Pure: the same
/// snapshots always give the same changes, in the same order.
pub fn changes(old: Snapshot, new: Snapshot) -> Changes {
    let matching = match_organisations(old.model, new.model);
    let pair = Pair {
        old,
        new,
        matching: &matching,
    };
    let mut out = Vec::new();
    partnerships(&pair, &mut out);
    leads(&pair, &mut out);
    groups(&pair, &mut out);
    bridges(&pair, &mut out);
    brokers(&pair, &mut out);
    let persisting = clusters(&pair, &mut out);
    organisations(&pair, &mut out);
    out.sort_by(|a, b| {
        a.kind
            .cmp(&b.kind)
            .then(b.weight.total_cmp(&a.weight))
            .then_with(|| a.organisation.cmp(&b.organisation))
            .then_with(|| a.other.cmp(&b.other))
            .then_with(|| a.old.cmp(&b.old))
            .then_with(|| a.new.cmp(&b.new))
    });
    let ids = matching.new_of_old.iter().filter(|m| m.is_some()).count() - matching.checked.len();
    let by = |m: MatchedBy| matching.checked.iter().filter(|c| c.2 == m).count();
    Changes {
        changes: out,
        counts: counts(&old, &new),
        persisting,
        matched: [ids, by(MatchedBy::Wikidata), by(MatchedBy::Name)],
        organisations: (old.model.orgs().len(), new.model.orgs().len()),
        old_name: "OLD".into(),
        new_name: "NEW".into(),
    }
}

/// The institution end of a pair first (for two movement organisations or
/// two institutions, the one whose name sorts first).
fn ordered(pair: &Pair, a: u32, b: u32) -> (u32, u32) {
    let (ma, mb) = (
        pair.org(a).kind.is_movement(),
        pair.org(b).kind.is_movement(),
    );
    if ma != mb {
        if ma {
            (b, a)
        } else {
            (a, b)
        }
    } else if (pair.org(a).name.as_str(), a) <= (pair.org(b).name.as_str(), b) {
        (a, b)
    } else {
        (b, a)
    }
}

fn partnerships(pair: &Pair, out: &mut Vec<Change>) {
    let before = pair_states(pair.old.model, |i| pair.key_of_old(i));
    let after = pair_states(pair.new.model, |j| j);
    let mut keys: Vec<(u32, u32)> = before.keys().chain(after.keys()).copied().collect();
    keys.sort_unstable();
    keys.dedup();
    for (a, b) in keys {
        let (o, n) = (before.get(&(a, b)), after.get(&(a, b)));
        let (org, other) = ordered(pair, a, b);
        let row = |kind, reason: String, weight| Change {
            kind,
            organisation: pair.name(org),
            other: pair.name(other),
            region: pair.region(org),
            old: state_word(o).to_string(),
            new: state_word(n).to_string(),
            reason,
            weight,
        };
        let (was, is) = (o.is_some_and(|s| s.partner), n.is_some_and(|s| s.partner));
        let dated = |s: Option<&PairState>| {
            s.and_then(|s| s.date)
                .map(|d| format!(" (latest record {d})"))
                .unwrap_or_default()
        };
        if is && !was {
            if o.is_some_and(|s| s.past) {
                out.push(row(
                    ChangeKind::PartnershipRenewed,
                    format!(
                        "their partnership had ended and is active again{}",
                        dated(n)
                    ),
                    0.0,
                ));
            } else {
                out.push(row(
                    ChangeKind::PartnershipBegun,
                    format!("a new partnership{}", dated(n)),
                    0.0,
                ));
            }
        } else if was && !is {
            let reason = if !pair.in_new(a) || !pair.in_new(b) {
                "one of them is no longer in the data".to_string()
            } else if n.is_some_and(|s| s.past) {
                format!("now recorded as a past partnership{}", dated(n))
            } else {
                "the partnership is no longer recorded".to_string()
            };
            out.push(row(ChangeKind::PartnershipEnded, reason, 0.0));
        }
        let (was, is) = (
            o.is_some_and(|s| s.collaborates),
            n.is_some_and(|s| s.collaborates),
        );
        if was != is {
            let word = |c: bool| {
                if c {
                    "collaborates"
                } else {
                    "no collaboration recorded"
                }
            };
            let mut c = row(
                if is {
                    ChangeKind::CollaborationBegun
                } else {
                    ChangeKind::CollaborationEnded
                },
                if is {
                    format!("they now work together{}", dated(n))
                } else if !pair.in_new(a) || !pair.in_new(b) {
                    "one of them is no longer in the data".to_string()
                } else {
                    "their collaboration is no longer recorded".to_string()
                },
                0.0,
            );
            c.old = word(was).into();
            c.new = word(is).into();
            out.push(c);
        }
    }
}

fn rank_word(rank: usize) -> String {
    format!("lead #{}", rank + 1)
}

fn leads(pair: &Pair, out: &mut Vec<Change>) {
    let n = pair.new.model.orgs().len();
    let mut partnered = vec![false; n];
    let mut first_partner: Vec<Option<u32>> = vec![None; n];
    for r in &pair.new.model.dataset.relations {
        if r.kind == RelationKind::Partner && r.source != r.target {
            for (v, w) in [(r.source, r.target), (r.target, r.source)] {
                partnered[v as usize] = true;
                let slot = &mut first_partner[v as usize];
                if slot.is_none_or(|p| {
                    pair.new.model.orgs()[p as usize].name > pair.new.model.orgs()[w as usize].name
                }) {
                    *slot = Some(w);
                }
            }
        }
    }
    let mut status: Vec<Option<LeadState>> = vec![None; n];
    for s in &pair.new.model.dataset.lead_status {
        status[s.organisation as usize] = Some(s.status);
    }
    let new_rank: FxHashMap<u32, usize> = pair
        .new
        .leads
        .leads
        .iter()
        .enumerate()
        .map(|(r, l)| (l.organisation, r))
        .collect();
    let old_status_of: FxHashMap<u32, LeadState> = pair
        .old
        .model
        .dataset
        .lead_status
        .iter()
        .map(|s| (s.organisation, s.status))
        .collect();
    let mut old_rank: FxHashMap<u32, usize> = FxHashMap::default();
    for (r, l) in pair.old.leads.leads.iter().enumerate() {
        let key = pair.key_of_old(l.organisation);
        old_rank.entry(key).or_insert(r);
        let row = |kind, new: String, reason: String| Change {
            kind,
            organisation: pair.name(key),
            other: String::new(),
            region: pair.region(key),
            old: rank_word(r),
            new,
            reason,
            weight: l.score,
        };
        let k = key as usize;
        let old_status = old_status_of.get(&l.organisation).copied();
        if pair.in_new(key) && partnered[k] {
            let mut c = row(
                ChangeKind::LeadWon,
                "partner".into(),
                "it now has an active partnership".into(),
            );
            if let Some(p) = first_partner[k] {
                c.other = pair.name(p);
                c.reason = format!("it is now a partner of {}", c.other);
            }
            out.push(c);
        } else if pair.in_new(key)
            && status[k] == Some(LeadState::Partner)
            && old_status != Some(LeadState::Partner)
        {
            out.push(row(
                ChangeKind::LeadWon,
                "lead status partner".into(),
                "lead-status.csv says an agreement was made".into(),
            ));
        } else if !new_rank.contains_key(&key) {
            let reason = if !pair.in_new(key) {
                "it is no longer in the data".to_string()
            } else {
                match status[k] {
                    Some(s) if s.hides_lead() => format!("lead-status.csv now says {s}"),
                    _ => "nobody refers or wants it any more, or it has an active partnership another way".to_string(),
                }
            };
            out.push(row(ChangeKind::LeadDropped, "not a lead".into(), reason));
        }
    }
    for (r, l) in pair.new.leads.leads.iter().enumerate() {
        let key = l.organisation;
        let row = |kind, old: String, reason: String| Change {
            kind,
            organisation: pair.name(key),
            other: l.introducer.map(|i| pair.name(i)).unwrap_or_default(),
            region: pair.region(key),
            old,
            new: rank_word(r),
            reason,
            weight: l.score,
        };
        match old_rank.get(&key) {
            None => out.push(row(
                ChangeKind::LeadNew,
                "not a lead".into(),
                l.reason.clone(),
            )),
            Some(&was) if was != r && (was < TOP_LEADS || r < TOP_LEADS) => {
                let reason = if r < TOP_LEADS && was >= TOP_LEADS {
                    format!("entered the top {TOP_LEADS}")
                } else if r >= TOP_LEADS {
                    format!("left the top {TOP_LEADS}")
                } else if r < was {
                    format!("rose {}", places(was - r))
                } else {
                    format!("fell {}", places(r - was))
                };
                let mut c = row(ChangeKind::LeadMoved, rank_word(was), reason);
                c.weight = -(r.min(was) as f64);
                out.push(c);
            }
            Some(_) => {}
        }
    }
}

/// The regions of a group of organisations, most first, as words.
fn regions_words(pair: &Pair, keys: &[u32]) -> (String, String) {
    let mut by: BTreeMap<String, usize> = BTreeMap::new();
    for &k in keys {
        *by.entry(pair.region(k)).or_default() += 1;
    }
    let mut list: Vec<(String, usize)> = by.into_iter().collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let top = list
        .first()
        .map(|r| r.0.clone())
        .unwrap_or_else(|| NO_REGION.into());
    let words = list
        .iter()
        .take(3)
        .map(|(r, c)| format!("{r} {c}"))
        .collect::<Vec<_>>()
        .join(", ");
    (top, words)
}

/// One side of a regrouping: a model, its components, and for each of its
/// organisations the organisation of the other side (if any).
struct Side<'a> {
    model: &'a Model,
    components: &'a Components,
    to_other: &'a [Option<u32>],
}

/// A group (a component of at least [`GROUP_MIN`] organisations) of one
/// side that lies in one component of the other side with a larger group.
struct Joined {
    /// The smaller group, a component of the first side.
    group: u32,
    /// The largest group it lies with.
    larger: u32,
    /// The first tie of the other side found from the group to another
    /// group (the organisations of the first side), if any.
    tie: Option<(u32, u32)>,
}

/// Each group of `from` that lies in one component of `to` with a larger
/// group.
fn regroup(from: &Side, to: &Side) -> Vec<Joined> {
    let fsizes = &from.components.sizes;
    // The groups of `from` each component of `to` holds.
    let mut held: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for (v, m) in from.to_other.iter().enumerate() {
        let Some(w) = m else { continue };
        let fc = from.components.membership[v];
        if fsizes[fc as usize] < GROUP_MIN {
            continue;
        }
        held.entry(to.components.membership[*w as usize])
            .or_default()
            .push(fc);
    }
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    for (_, mut groups) in held {
        groups.sort_unstable();
        groups.dedup();
        if groups.len() < 2 {
            continue;
        }
        // The largest group (components are numbered by size, so the lowest).
        let big = groups[0];
        for &g in &groups[1..] {
            pairs.push((g, big));
        }
    }
    if pairs.is_empty() {
        return Vec::new();
    }
    let wanted: FxHashMap<u32, u32> = pairs.iter().map(|&(g, big)| (g, big)).collect();
    let mut tie: FxHashMap<u32, (u32, u32)> = FxHashMap::default();
    let csr = &to.model.ties.csr;
    for a in 0..csr.node_count() {
        let Some(fa) = to.to_other[a] else { continue };
        for &b in csr.neighbors(a) {
            let Some(fb) = to.to_other[b as usize] else {
                continue;
            };
            let (ca, cb) = (
                from.components.membership[fa as usize],
                from.components.membership[fb as usize],
            );
            if ca != cb {
                if let Some(&big) = wanted.get(&ca) {
                    if big == cb || fsizes[cb as usize] >= fsizes[ca as usize] {
                        tie.entry(ca).or_insert((fa, fb));
                    }
                }
            }
        }
    }
    pairs
        .into_iter()
        .map(|(group, larger)| Joined {
            group,
            larger,
            tie: tie.get(&group).copied(),
        })
        .collect()
}

fn groups(pair: &Pair, out: &mut Vec<Change>) {
    let old = Side {
        model: pair.old.model,
        components: pair.old.components,
        to_other: &pair.matching.new_of_old,
    };
    let new = Side {
        model: pair.new.model,
        components: pair.new.components,
        to_other: &pair.matching.old_of_new,
    };
    // Joined: groups of OLD now in one component of NEW.
    // Each component's members, listed once when a group is to be named.
    let old_lists = std::cell::OnceCell::new();
    let old_members = |c: u32| -> Vec<u32> {
        old_lists.get_or_init(|| pair.old.components.members())[c as usize]
            .iter()
            .map(|&v| pair.key_of_old(v))
            .collect()
    };
    let joined = regroup(&old, &new);
    for Joined {
        group: g,
        larger: big,
        tie,
    } in joined
    {
        let keys = old_members(g);
        let (region, words) = regions_words(pair, &keys);
        let (org, other) = match tie {
            Some((a, b)) => (pair.key_of_old(a), pair.key_of_old(b)),
            None => (
                keys[0],
                pair.key_of_old(
                    old_lists.get_or_init(|| pair.old.components.members())[big as usize][0],
                ),
            ),
        };
        let (sg, sb) = (
            pair.old.components.sizes[g as usize],
            pair.old.components.sizes[big as usize],
        );
        out.push(Change {
            kind: ChangeKind::GroupConnected,
            organisation: pair.name(org),
            other: pair.name(other),
            region,
            old: format!("a separate group of {sg}"),
            new: format!("connected to a group of {sb}"),
            reason: match tie {
                Some(_) => format!(
                    "the tie between {} and {} connects {sg} organisations ({words}) to a group of {sb}",
                    pair.name(org),
                    pair.name(other)
                ),
                None => format!(
                    "{sg} organisations ({words}) are now connected to a group of {sb} through other organisations"
                ),
            },
            weight: sg as f64,
        });
    }
    // Cut off: groups of NEW that were in one component of OLD.
    let new_lists = std::cell::OnceCell::new();
    let new_members = |c: u32| -> Vec<u32> {
        new_lists.get_or_init(|| pair.new.components.members())[c as usize].clone()
    };
    let split = regroup(&new, &old);
    for Joined {
        group: g,
        larger: big,
        tie,
    } in split
    {
        let keys = new_members(g);
        let (region, words) = regions_words(pair, &keys);
        let (org, other) = match tie {
            Some((a, b)) => (a, b),
            None => (
                keys[0],
                new_lists.get_or_init(|| pair.new.components.members())[big as usize][0],
            ),
        };
        let (sg, sb) = (
            pair.new.components.sizes[g as usize],
            pair.new.components.sizes[big as usize],
        );
        out.push(Change {
            kind: ChangeKind::GroupCutOff,
            organisation: pair.name(org),
            other: pair.name(other),
            region,
            old: format!("connected to a group of {sb}"),
            new: format!("a separate group of {sg}"),
            reason: match tie {
                Some(_) => format!(
                    "the tie between {} and {} is gone; {sg} organisations ({words}) are cut off from a group of {sb}",
                    pair.name(org),
                    pair.name(other)
                ),
                None => format!(
                    "{sg} organisations ({words}) are cut off from a group of {sb}: the organisations that linked them are no longer in the data"
                ),
            },
            weight: sg as f64,
        });
    }
}

/// The bridges of a snapshot holding at least [`GROUP_MIN`] organisations,
/// by their ends' keys: (cut-off end, other end, size, regions in words).
fn bridge_map(
    brokers: &Brokers,
    key: impl Fn(u32) -> u32,
) -> FxHashMap<(u32, u32), (u32, u32, u32)> {
    brokers
        .bridges
        .iter()
        .filter(|b| b.cut_off.size as usize >= GROUP_MIN)
        .map(|b| {
            let (s, t) = (key(b.source), key(b.target));
            let end = key(b.cut_off_end);
            let other = if end == s { t } else { s };
            ((s.min(t), s.max(t)), (end, other, b.cut_off.size))
        })
        .collect()
}

fn has_tie(model: &Model, a: u32, b: u32) -> bool {
    model.ties.csr.neighbors(a as usize).contains(&b)
}

fn bridges(pair: &Pair, out: &mut Vec<Change>) {
    let before = bridge_map(pair.old.brokers, |i| pair.key_of_old(i));
    let after = bridge_map(pair.new.brokers, |j| j);
    let old_index = |k: u32| -> Option<u32> {
        if pair.in_new(k) {
            pair.matching.old_of_new[k as usize]
        } else {
            Some(k - pair.new.model.orgs().len() as u32)
        }
    };
    let mut rows = Vec::new();
    for (&(a, b), &(end, other, size)) in &after {
        if before.contains_key(&(a, b)) {
            continue;
        }
        // Only a tie that was there before and now alone holds the group.
        if let (Some(oa), Some(ob)) = (old_index(a), old_index(b)) {
            if has_tie(pair.old.model, oa, ob) {
                rows.push(Change {
                    kind: ChangeKind::BridgeAppeared,
                    organisation: pair.name(end),
                    other: pair.name(other),
                    region: pair.region(end),
                    old: "one of several paths".into(),
                    new: format!("the only link for {size} organisations"),
                    reason: format!(
                        "the tie between {} and {} now alone holds {size} organisations to the rest; the other path is gone",
                        pair.name(end),
                        pair.name(other)
                    ),
                    weight: size as f64,
                });
            }
        }
    }
    for (&(a, b), &(end, other, size)) in &before {
        if after.contains_key(&(a, b)) {
            continue;
        }
        if pair.in_new(a) && pair.in_new(b) && has_tie(pair.new.model, a, b) {
            rows.push(Change {
                kind: ChangeKind::BridgeClosed,
                organisation: pair.name(end),
                other: pair.name(other),
                region: pair.region(end),
                old: format!("the only link for {size} organisations"),
                new: "one of several paths".into(),
                reason: format!(
                    "the {size} organisations behind the tie between {} and {} are now reached another way too",
                    pair.name(end),
                    pair.name(other)
                ),
                weight: size as f64,
            });
        }
    }
    out.extend(rows);
}

fn brokers(pair: &Pair, out: &mut Vec<Change>) {
    let share = |b: &[f64]| -> Vec<f64> {
        let top = b.iter().copied().fold(0.0f64, f64::max);
        b.iter()
            .map(|&x| if top > 0.0 { x / top } else { 0.0 })
            .collect()
    };
    let (old_shares, new_shares) = (
        share(&pair.old.brokers.betweenness),
        share(&pair.new.brokers.betweenness),
    );
    let old_share = |v: usize| old_shares[v];
    let new_share = |v: usize| new_shares[v];
    let rank_of = |ranking: &[u32], len: usize| {
        let mut r = vec![None; len];
        for (i, &v) in ranking.iter().enumerate() {
            r[v as usize] = Some(i);
        }
        r
    };
    let old_rank = rank_of(&pair.old.brokers.ranking, pair.old.model.orgs().len());
    let new_rank = rank_of(&pair.new.brokers.ranking, pair.new.model.orgs().len());
    let cut = |b: &Brokers, v: usize| {
        b.cut_off(v)
            .map(|c| c.size as usize)
            .filter(|&s| s >= GROUP_MIN)
    };
    let words = |rank: Option<usize>, s: f64, cut: Option<usize>| {
        let mut w = match rank {
            Some(r) => format!("broker #{} ({:.0}% of the top)", r + 1, s * 100.0),
            None => "no ties".to_string(),
        };
        if let Some(c) = cut {
            w.push_str(&format!("; the only link for {c}"));
        }
        w
    };
    for (j, &rank) in new_rank.iter().enumerate() {
        let i = pair.matching.old_of_new[j];
        let (os, ns) = (i.map_or(0.0, |i| old_share(i as usize)), new_share(j));
        let oc = i.and_then(|i| cut(pair.old.brokers, i as usize));
        let nc = cut(pair.new.brokers, j);
        let delta = ns - os;
        let became = nc.is_some() && oc.is_none();
        let ceased = oc.is_some() && nc.is_none();
        let kind = if delta >= BROKER_THRESHOLD || (became && delta > -BROKER_THRESHOLD) {
            ChangeKind::BrokerRising
        } else if delta <= -BROKER_THRESHOLD || (ceased && delta < BROKER_THRESHOLD) {
            ChangeKind::BrokerFalling
        } else {
            continue;
        };
        let mut reason = Vec::new();
        if delta.abs() >= BROKER_THRESHOLD {
            reason.push(format!(
                "betweenness {} from {:.0}% to {:.0}% of the top broker's",
                if delta > 0.0 { "up" } else { "down" },
                os * 100.0,
                ns * 100.0
            ));
        }
        if became {
            reason.push(format!(
                "now the only link for {} organisations",
                nc.unwrap_or(0)
            ));
        }
        if ceased {
            reason.push(format!(
                "no longer the only link for {} organisations",
                oc.unwrap_or(0)
            ));
        }
        out.push(Change {
            kind,
            organisation: pair.name(j as u32),
            other: String::new(),
            region: pair.region(j as u32),
            old: match i {
                Some(i) => words(old_rank[i as usize], os, oc),
                None => "not in the data".into(),
            },
            new: words(rank, ns, nc),
            reason: reason.join("; "),
            weight: delta.abs() + nc.max(oc).unwrap_or(0) as f64 * 1e-9,
        });
    }
    // Brokers whose organisation is gone.
    for (i, m) in pair.matching.new_of_old.iter().enumerate() {
        if m.is_some() {
            continue;
        }
        let os = old_share(i);
        let oc = cut(pair.old.brokers, i);
        if os >= BROKER_THRESHOLD || oc.is_some() {
            let key = pair.key_of_old(i as u32);
            out.push(Change {
                kind: ChangeKind::BrokerFalling,
                organisation: pair.name(key),
                other: String::new(),
                region: pair.region(key),
                old: words(old_rank[i], os, oc),
                new: "not in the data".into(),
                reason: "it is no longer in the data".into(),
                weight: os,
            });
        }
    }
}

/// The overlaps of two snapshots' clusters: given each matched organisation's
/// (cluster in OLD, cluster in NEW), how many members each pair (c, d)
/// shares, for the pairs that share any, in order.
///
/// How [`changes`] then matches the clusters, with `overlap(c, d)` the
/// members cluster `c` of OLD and cluster `d` of NEW share:
///
/// - `c` and `d` persist as one cluster when each is the other's best match
///   by Jaccard index (shared / members of either) and it is at least
///   [`JACCARD_PERSIST`];
/// - clusters `c1, c2, …` merged into `d` when more than half of each went
///   into `d`;
/// - `c` split into `d1, d2, …` when more than half of each came from `c`;
/// - a cluster of NEW linked to none appeared; one of OLD linked to none
///   vanished.
pub fn cluster_links(
    old_cluster_of_new: &[(Option<u32>, Option<u32>)],
) -> BTreeMap<(u32, u32), usize> {
    let mut overlap = BTreeMap::new();
    for &(c, d) in old_cluster_of_new {
        if let (Some(c), Some(d)) = (c, d) {
            *overlap.entry((c, d)).or_insert(0) += 1;
        }
    }
    overlap
}

fn cluster_name(id: u32, label: &str) -> String {
    format!("cluster {id} ({label})")
}

fn clusters(pair: &Pair, out: &mut Vec<Change>) -> Vec<PersistingCluster> {
    let (oc, nc) = (&pair.old.clusters, &pair.new.clusters);
    let pairs: Vec<(Option<u32>, Option<u32>)> = pair
        .matching
        .new_of_old
        .iter()
        .enumerate()
        .filter_map(|(i, m)| m.map(|j| (oc.cluster[i], nc.cluster[j as usize])))
        .collect();
    let overlap = cluster_links(&pairs);
    let osize = |c: u32| oc.clusters[c as usize].members.len();
    let nsize = |d: u32| nc.clusters[d as usize].members.len();
    let jaccard = |c: u32, d: u32, o: usize| o as f64 / (osize(c) + nsize(d) - o) as f64;
    // Best matches by Jaccard (ties to the lower number).
    let mut best_new: Vec<Option<(f64, u32)>> = vec![None; oc.clusters.len()];
    let mut best_old: Vec<Option<(f64, u32)>> = vec![None; nc.clusters.len()];
    for (&(c, d), &o) in &overlap {
        let j = jaccard(c, d, o);
        if best_new[c as usize].is_none_or(|(bj, _)| j > bj) {
            best_new[c as usize] = Some((j, d));
        }
        if best_old[d as usize].is_none_or(|(bj, _)| j > bj) {
            best_old[d as usize] = Some((j, c));
        }
    }
    // Most of c went into d / most of d came from c.
    let mut into: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    let mut from: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for (&(c, d), &o) in &overlap {
        if 2 * o > osize(c) {
            into.entry(d).or_default().push(c);
        }
        if 2 * o > nsize(d) {
            from.entry(c).or_default().push(d);
        }
    }
    let merged: BTreeMap<u32, Vec<u32>> = into.into_iter().filter(|(_, v)| v.len() >= 2).collect();
    let split: BTreeMap<u32, Vec<u32>> = from.into_iter().filter(|(_, v)| v.len() >= 2).collect();
    let old_in_merge: Vec<bool> = {
        let mut v = vec![false; oc.clusters.len()];
        for cs in merged.values() {
            for &c in cs {
                v[c as usize] = true;
            }
        }
        v
    };
    let new_in_split: Vec<bool> = {
        let mut v = vec![false; nc.clusters.len()];
        for ds in split.values() {
            for &d in ds {
                v[d as usize] = true;
            }
        }
        v
    };
    let oname = |c: u32| cluster_name(c, &oc.clusters[c as usize].label);
    let nname = |d: u32| cluster_name(d, &nc.clusters[d as usize].label);
    let mut persist_old: Vec<Option<u32>> = vec![None; oc.clusters.len()];
    let mut persist_new: Vec<Option<u32>> = vec![None; nc.clusters.len()];
    let mut persisting = Vec::new();
    for (c, b) in best_new.iter().enumerate() {
        let Some((j, d)) = *b else { continue };
        if j >= JACCARD_PERSIST && best_old[d as usize].is_some_and(|(_, bc)| bc == c as u32) {
            persist_old[c] = Some(d);
            persist_new[d as usize] = Some(c as u32);
            persisting.push(PersistingCluster {
                old: c as u32,
                old_label: oc.clusters[c].label.clone(),
                new: d,
                new_label: nc.clusters[d as usize].label.clone(),
                jaccard: j,
            });
            let changed = j < 1.0 || osize(c as u32) != nsize(d);
            if changed && !merged.contains_key(&d) && !split.contains_key(&(c as u32)) {
                out.push(Change {
                    kind: ChangeKind::ClusterChanged,
                    organisation: nname(d),
                    other: oname(c as u32),
                    region: nc.clusters[d as usize].region.clone(),
                    old: format!("{} members", osize(c as u32)),
                    new: format!("{} members", nsize(d)),
                    reason: format!("the same cluster with other members (Jaccard index {j:.2})"),
                    weight: 1.0 - j,
                });
            }
        }
    }
    persisting.sort_by_key(|p| p.new);
    for (&d, cs) in &merged {
        let names: Vec<String> = cs.iter().map(|&c| oname(c)).collect();
        out.push(Change {
            kind: ChangeKind::ClustersMerged,
            organisation: nname(d),
            other: names.join("; "),
            region: nc.clusters[d as usize].region.clone(),
            old: format!("{} clusters", cs.len()),
            new: format!("1 cluster of {}", nsize(d)),
            reason: format!(
                "most members of {} are now in one cluster",
                names.join(" and ")
            ),
            weight: nsize(d) as f64,
        });
    }
    for (&c, ds) in &split {
        let names: Vec<String> = ds.iter().map(|&d| nname(d)).collect();
        out.push(Change {
            kind: ChangeKind::ClusterSplit,
            organisation: oname(c),
            other: names.join("; "),
            region: oc.clusters[c as usize].region.clone(),
            old: format!("1 cluster of {}", osize(c)),
            new: format!("{} clusters", ds.len()),
            reason: format!("its members now form {}", names.join(" and ")),
            weight: osize(c) as f64,
        });
    }
    for d in 0..nc.clusters.len() as u32 {
        if persist_new[d as usize].is_none()
            && !merged.contains_key(&d)
            && !new_in_split[d as usize]
        {
            out.push(Change {
                kind: ChangeKind::ClusterAppeared,
                organisation: nname(d),
                other: String::new(),
                region: nc.clusters[d as usize].region.clone(),
                old: "not a cluster".into(),
                new: format!("{} members", nsize(d)),
                reason: "no earlier cluster shares most of its members".into(),
                weight: nsize(d) as f64,
            });
        }
    }
    for c in 0..oc.clusters.len() as u32 {
        if persist_old[c as usize].is_none() && !split.contains_key(&c) && !old_in_merge[c as usize]
        {
            out.push(Change {
                kind: ChangeKind::ClusterVanished,
                organisation: oname(c),
                other: String::new(),
                region: oc.clusters[c as usize].region.clone(),
                old: format!("{} members", osize(c)),
                new: "not a cluster".into(),
                reason: "no cluster now holds most of its members".into(),
                weight: osize(c) as f64,
            });
        }
    }
    // Organisations that moved between persisting clusters.
    for (i, m) in pair.matching.new_of_old.iter().enumerate() {
        let Some(j) = m else { continue };
        let (Some(c), Some(d)) = (oc.cluster[i], nc.cluster[*j as usize]) else {
            continue;
        };
        if let (Some(pd), Some(_)) = (persist_old[c as usize], persist_new[d as usize]) {
            if pd != d {
                out.push(Change {
                    kind: ChangeKind::MovedCluster,
                    organisation: pair.name(*j),
                    other: nname(d),
                    region: pair.region(*j),
                    old: oname(c),
                    new: nname(d),
                    reason: "it now has more ties in another cluster".into(),
                    weight: 0.0,
                });
            }
        }
    }
    persisting
}

fn organisations(pair: &Pair, out: &mut Vec<Change>) {
    for (j, m) in pair.matching.old_of_new.iter().enumerate() {
        if m.is_none() {
            let o = &pair.new.model.orgs()[j];
            let ties = pair.new.model.ties.csr.degree(j);
            out.push(Change {
                kind: ChangeKind::OrganisationNew,
                organisation: o.name.clone(),
                other: String::new(),
                region: o.region_or_none().to_string(),
                old: "not in the data".into(),
                new: o.kind.to_string(),
                reason: format!("new in the data, with {ties} tie(s)"),
                weight: ties as f64,
            });
        }
    }
    for (i, m) in pair.matching.new_of_old.iter().enumerate() {
        if m.is_none() {
            let o = &pair.old.model.orgs()[i];
            let ties = pair.old.model.ties.csr.degree(i);
            out.push(Change {
                kind: ChangeKind::OrganisationGone,
                organisation: o.name.clone(),
                other: String::new(),
                region: o.region_or_none().to_string(),
                old: o.kind.to_string(),
                new: "not in the data".into(),
                reason: format!("no longer in the data; it had {ties} tie(s)"),
                weight: ties as f64,
            });
        }
    }
    for &(i, j, by) in &pair.matching.checked {
        let (o, n) = (
            &pair.old.model.orgs()[i as usize],
            &pair.new.model.orgs()[j as usize],
        );
        out.push(Change {
            kind: if by == MatchedBy::Wikidata {
                ChangeKind::MatchedByWikidata
            } else {
                ChangeKind::MatchedByName
            },
            organisation: n.name.clone(),
            other: o.name.clone(),
            region: n.region_or_none().to_string(),
            old: format!("{} ({})", o.name, o.id),
            new: format!("{} ({})", n.name, n.id),
            reason: match by {
                MatchedBy::Wikidata => format!(
                    "the id changed from {} to {}; both have the Wikidata item {}",
                    o.id,
                    n.id,
                    n.wikidata.as_deref().unwrap_or("")
                ),
                _ => format!("the id changed from {} to {}; the names match", o.id, n.id),
            },
            weight: -(i as f64),
        });
    }
}

fn counts(old: &Snapshot, new: &Snapshot) -> Vec<Count> {
    let mut rows = Vec::new();
    let mut row = |label: String, o: String, n: String| {
        rows.push(Count {
            label,
            old: o,
            new: n,
        })
    };
    let (o, n) = (old.overview, new.overview);
    row(
        "Organisations".into(),
        o.organisations.to_string(),
        n.organisations.to_string(),
    );
    let kinds = |v: &[(OrgKind, usize)], k: OrgKind| v.iter().find(|x| x.0 == k).map_or(0, |x| x.1);
    for &k in OrgKind::ALL {
        let (a, b) = (kinds(&o.by_kind, k), kinds(&n.by_kind, k));
        if a + b > 0 {
            row(format!("- {k}"), a.to_string(), b.to_string());
        }
    }
    row(
        "Relations".into(),
        o.relations.to_string(),
        n.relations.to_string(),
    );
    let rkinds = |v: &[(RelationKind, usize)], k: RelationKind| {
        v.iter().find(|x| x.0 == k).map_or(0, |x| x.1)
    };
    for &k in RelationKind::ALL {
        let (a, b) = (
            rkinds(&o.by_relation_kind, k),
            rkinds(&n.by_relation_kind, k),
        );
        if a + b > 0 {
            row(format!("- {k}"), a.to_string(), b.to_string());
        }
    }
    row("Ties".into(), o.ties.to_string(), n.ties.to_string());
    row(
        "Separate groups (components)".into(),
        old.components.count().to_string(),
        new.components.count().to_string(),
    );
    row(
        "Clusters".into(),
        old.clusters.clusters.len().to_string(),
        new.clusters.clusters.len().to_string(),
    );
    row(
        "Modularity".into(),
        three_places(old.clusters.modularity),
        three_places(new.clusters.modularity),
    );
    row(
        "Leads".into(),
        old.leads.leads.len().to_string(),
        new.leads.leads.len().to_string(),
    );
    rows
}

/// A number to three decimal places, never `-0.000`.
fn three_places(v: f64) -> String {
    format!("{:.3}", (v * 1000.0).round() / 1000.0 + 0.0)
}

fn places(n: usize) -> String {
    if n == 1 {
        "1 place".into()
    } else {
        format!("{n} places")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Dataset, Organisation, Origin};

    fn org(id: &str, name: &str, wikidata: Option<&str>) -> Organisation {
        Organisation {
            wikidata: wikidata.map(String::from),
            ..Organisation::new(id, name, OrgKind::Museum, Origin { file: 0, line: 2 })
        }
    }

    fn model(orgs: Vec<Organisation>) -> Model {
        Model::new(Dataset {
            organisations: orgs,
            ..Dataset::default()
        })
    }

    #[test]
    fn ids_first_then_a_wikidata_item_then_a_name_and_never_an_ambiguous_one() {
        let old = model(vec![
            org("a", "Alpha", None),
            org("b-old", "Beta", Some("Q1")),
            org("c-old", "Gamma Museum", None),
            org("d-old", "Delta", Some("Q2")),
        ]);
        let new = model(vec![
            org("a", "Alpha renamed", None),
            org("b-new", "Beta Two", Some("Q1")),
            org("c-new", "GAMMA  Muséum", None),
            // Two organisations hold Q2: neither is taken for d-old.
            org("d1", "Delta One", Some("Q2")),
            org("d2", "Delta Two", Some("Q2")),
        ]);
        let m = match_organisations(&old, &new);
        assert_eq!(m.new_of_old, vec![Some(0), Some(1), Some(2), None]);
        assert_eq!(m.old_of_new, vec![Some(0), Some(1), Some(2), None, None]);
        assert_eq!(
            m.checked,
            vec![(1, 1, MatchedBy::Wikidata), (2, 2, MatchedBy::Name)]
        );
    }

    #[test]
    fn cluster_overlaps_count_shared_members() {
        let links = cluster_links(&[(Some(0), Some(1)), (Some(0), Some(1)), (Some(1), None)]);
        assert_eq!(links.into_iter().collect::<Vec<_>>(), vec![((0, 1), 2)]);
    }
}
