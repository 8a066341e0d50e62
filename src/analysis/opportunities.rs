//! Collaboration opportunities between affiliates:
//!
//! - **link**: pairs of affiliates with no tie yet, ranked by the resource
//!   allocation index on the tie graph (Zhou, Lü & Zhang 2009: the sum of
//!   `1 / degree` over the organisations both are tied to), plus 0.25 when
//!   they are in the same region and 0.25 when in the same cluster. An
//!   organisation tied to more than [`SHARED_PARTNER_AFFILIATES_UP_TO`]
//!   affiliates is not counted as a shared partner (see
//!   [`Opportunities::crowded_partners`]);
//! - **needs-offers**: what one affiliate needs (from its interviews) matched
//!   with affiliates that offer it, nearest first: fewest ties away, then the
//!   same region, then by name. The score is `1 / ties away`, or 0.05 (same
//!   region) or 0.01 when no path of ties joins them within six ties (the
//!   search from each affiliate stops after 2,000 organisations).
//! - **wish**: an affiliate (or hub) that said it wants to work with another
//!   (a `desired` relation between two of them), with the reason it gave
//!   (the relation's note) and where it is written. Score 1 per time it was
//!   said; `a` wants `b`.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap;

use rayon::prelude::*;

use crate::analysis::clusters::Clustering;
use crate::model::{Model, OrgKind};

/// What an opportunity is based on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum OpportunityKind {
    Link,
    NeedsOffers,
    Wish,
}

impl OpportunityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OpportunityKind::Link => "link",
            OpportunityKind::NeedsOffers => "needs-offers",
            OpportunityKind::Wish => "wish",
        }
    }
}

/// Two affiliates that should work together.
#[derive(Debug, Clone, PartialEq)]
pub struct Opportunity {
    /// For needs-offers: the affiliate that needs help.
    pub a: u32,
    /// For needs-offers: the affiliate that offers it.
    pub b: u32,
    pub kind: OpportunityKind,
    pub score: f64,
    /// For needs-offers: the tag matched.
    pub tag: Option<String>,
    /// How many ties apart (needs-offers), when joined within six ties.
    pub distance: Option<u32>,
    pub reason: String,
}

/// All the opportunities found, best first within each kind (links first,
/// then needs-offers, then wishes), and the organisations left out of the
/// link opportunities.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Opportunities {
    pub list: Vec<Opportunity>,
    /// Organisations tied to more than [`SHARED_PARTNER_AFFILIATES_UP_TO`]
    /// affiliates, by index: not counted as a shared partner of any link
    /// opportunity. With `d` affiliates, an organisation makes every one of
    /// the `d (d - 1) / 2` pairs of them a candidate, so counting it would
    /// make the time grow with the square of `d`; and it adds less than
    /// `1 / d` to any pair's resource allocation, too little to tell its
    /// affiliates apart.
    pub crowded_partners: Vec<u32>,
}

/// The most affiliates an organisation may be tied to and still count as a
/// shared partner of a link opportunity. The movement has a few hundred
/// affiliates, so only generated or adversarial data goes beyond it.
pub const SHARED_PARTNER_AFFILIATES_UP_TO: usize = 1_000;

/// Link opportunities kept per affiliate, and offers per need.
const LINKS_PER_AFFILIATE: usize = 5;
const OFFERS_PER_NEED: usize = 3;
const SEARCH_DEPTH: u32 = 6;
const SEARCH_BUDGET: usize = 2_000;

/// Finds link, needs-offers and wish opportunities, best first within each
/// kind (links first, then needs-offers, then wishes). The clusters, when
/// given, add 0.25 to a link between two affiliates of the same cluster.
///
/// Time: the link walk visits, for each organisation tied to `d <=`
/// [`SHARED_PARTNER_AFFILIATES_UP_TO`] affiliates, each of its `d (d - 1) /
/// 2` pairs of affiliates once; the needs-offers searches stop after 2,000
/// organisations each.
pub fn opportunities(model: &Model, clustering: Option<&Clustering>) -> Opportunities {
    let (mut list, crowded_partners) = links(model, clustering);
    list.extend(needs_offers(model));
    list.extend(wishes(model));
    Opportunities {
        list,
        crowded_partners,
    }
}

/// Wishes between affiliates: `desired` relations whose both ends are
/// affiliates or hubs, one opportunity per pair (the wanting one first),
/// most often said first, then by the two ids.
fn wishes(model: &Model) -> Vec<Opportunity> {
    let orgs = model.orgs();
    let mut pairs: BTreeMap<(u32, u32), Vec<&crate::model::Relation>> = BTreeMap::new();
    for r in &model.dataset.relations {
        if r.kind == crate::model::RelationKind::Desired
            && r.source != r.target
            && orgs[r.source as usize].kind.is_movement()
            && orgs[r.target as usize].kind.is_movement()
        {
            pairs.entry((r.source, r.target)).or_default().push(r);
        }
    }
    let graph = &model.ties.graph;
    let mut out: Vec<Opportunity> = pairs
        .into_iter()
        .map(|((a, b), rels)| {
            let mut why: Vec<&str> = rels.iter().filter_map(|r| r.note.as_deref()).collect();
            why.dedup();
            let mut places: Vec<String> = rels
                .iter()
                .flat_map(|r| r.origins.iter())
                .map(|o| model.dataset.locate(*o))
                .collect();
            places.sort();
            places.dedup();
            let tied = graph
                .find_edge(
                    petgraph::graph::NodeIndex::new(a as usize),
                    petgraph::graph::NodeIndex::new(b as usize),
                )
                .is_some();
            let mut reason = format!(
                "{} wants to work with {}",
                orgs[a as usize].name, orgs[b as usize].name
            );
            if !why.is_empty() {
                reason.push_str(&format!(": {}", why.join("; ")));
            }
            if tied {
                reason.push_str(" (they already have a tie)");
            }
            reason.push_str(&format!(" ({})", places.join(", ")));
            Opportunity {
                a,
                b,
                kind: OpportunityKind::Wish,
                score: rels.len() as f64,
                tag: None,
                distance: None,
                reason,
            }
        })
        .collect();
    out.sort_by(|x, y| {
        y.score.total_cmp(&x.score).then_with(|| {
            (&orgs[x.a as usize].id, &orgs[x.b as usize].id)
                .cmp(&(&orgs[y.a as usize].id, &orgs[y.b as usize].id))
        })
    });
    out
}

/// The link opportunities, best first, and the crowded partners left out.
fn links(model: &Model, clustering: Option<&Clustering>) -> (Vec<Opportunity>, Vec<u32>) {
    let g = LinkGraph::new(model, clustering);
    let crowded_partners: Vec<u32> = (0..model.orgs().len() as u32)
        .filter(|&z| g.crowded(z))
        .collect();
    let (start, members) = g.twins();
    let classes: Vec<&[u32]> = (0..g.affiliates.len())
        .map(|c| &members[start[c]..start[c + 1]])
        .filter(|class| !class.is_empty())
        .collect();
    let per: Vec<Vec<Opportunity>> = classes
        .par_iter()
        .map_init(
            || Walk::new(g.affiliates.len()),
            |walk, class| {
                walk.sum_from(&g, class[0]);
                let mut out = Vec::new();
                for &ka in class.iter() {
                    let a = g.affiliates[ka as usize];
                    out.extend(
                        walk.best_after(&g, ka)
                            .into_iter()
                            .map(|(score, b)| g.link(a, b, score, walk.index_of(&g, b))),
                    );
                }
                walk.clear(&g, class[0]);
                out
            },
        )
        .collect();
    let mut all: Vec<Opportunity> = per.into_iter().flatten().collect();
    all.sort_by(|x, y| {
        y.score
            .total_cmp(&x.score)
            .then((x.a, x.b).cmp(&(y.a, y.b)))
    });
    (all, crowded_partners)
}

/// The tie graph as the link walk reads it. Affiliates are numbered 0, 1, …
/// in index order ([`LinkGraph::NOT_AFFILIATE`] for the rest), so that the
/// walk works on small arrays that stay in cache; each organisation's
/// affiliate neighbours are listed by number, in neighbour (and so number)
/// order, so that the walk skips the (many) institutions among a hub's
/// neighbours; regions are numbers, so that the many candidates of a
/// well-connected affiliate are compared without comparing text.
struct LinkGraph<'m> {
    model: &'m Model,
    clustering: Option<&'m Clustering>,
    /// Organisation index of each affiliate number.
    affiliates: Vec<u32>,
    /// Affiliate number of each organisation index.
    number: Vec<u32>,
    /// Where each organisation's affiliate neighbours start in
    /// `affiliate_neighbours` (one more entry than organisations).
    offsets: Vec<usize>,
    affiliate_neighbours: Vec<u32>,
    /// Region number of each organisation ([`LinkGraph::NO_REGION`]: none).
    region: Vec<u32>,
}

impl<'m> LinkGraph<'m> {
    const NOT_AFFILIATE: u32 = u32::MAX;
    const NO_REGION: u32 = u32::MAX;

    fn new(model: &'m Model, clustering: Option<&'m Clustering>) -> Self {
        let orgs = model.orgs();
        let csr = &model.ties.csr;
        let n = orgs.len();
        let affiliates: Vec<u32> = (0..n as u32)
            .filter(|&v| orgs[v as usize].kind == OrgKind::Affiliate)
            .collect();
        let mut number = vec![Self::NOT_AFFILIATE; n];
        for (k, &a) in affiliates.iter().enumerate() {
            number[a as usize] = k as u32;
        }
        let mut offsets = Vec::with_capacity(n + 1);
        let mut affiliate_neighbours = Vec::new();
        offsets.push(0);
        for z in 0..n {
            affiliate_neighbours.extend(
                csr.neighbors(z)
                    .iter()
                    .map(|&b| number[b as usize])
                    .filter(|&k| k != Self::NOT_AFFILIATE),
            );
            offsets.push(affiliate_neighbours.len());
        }
        let mut region_ids: foldhash::HashMap<&str, u32> = foldhash::HashMap::default();
        let region: Vec<u32> = orgs
            .iter()
            .map(|o| match o.region.as_deref() {
                Some(r) => {
                    let next = region_ids.len() as u32;
                    *region_ids.entry(r).or_insert(next)
                }
                None => Self::NO_REGION,
            })
            .collect();
        LinkGraph {
            model,
            clustering,
            affiliates,
            number,
            offsets,
            affiliate_neighbours,
            region,
        }
    }

    fn neighbours(&self, v: u32) -> &'m [u32] {
        self.model.ties.csr.neighbors(v as usize)
    }

    /// The affiliate numbers of organisation `z`'s neighbours, ascending.
    fn affiliates_of(&self, z: u32) -> &[u32] {
        &self.affiliate_neighbours[self.offsets[z as usize]..self.offsets[z as usize + 1]]
    }

    /// Whether `z` is tied to too many affiliates to count as a shared
    /// partner ([`SHARED_PARTNER_AFFILIATES_UP_TO`]).
    fn crowded(&self, z: u32) -> bool {
        self.affiliates_of(z).len() > SHARED_PARTNER_AFFILIATES_UP_TO
    }

    /// The affiliates with the same neighbours (structural twins), as
    /// [`crate::algo::members_by_label`] gives them: class `c`'s members by
    /// number, smallest first, are `members[start[c]..start[c + 1]]`, and
    /// the class is empty unless `c` is its first member. Twins have the
    /// same candidates with the same indexes, summed in the same order, so
    /// one walk serves a whole class, each member then keeping its
    /// candidates after itself: on a complete bipartite group of `d`
    /// affiliates and `d` partners that is `d` walks of `d²` steps in place
    /// of `d` of `d³`.
    fn twins(&self) -> (Vec<usize>, Vec<u32>) {
        let n = self.affiliates.len();
        let first_twin = crate::algo::first_twins(n, |k| Some(self.neighbours(self.affiliates[k])));
        crate::algo::members_by_label(&first_twin, n)
    }

    /// Whether `a` and `b` are in the same region, and whether in the same
    /// cluster: each adds 0.25 to a link's score.
    fn same_region_and_cluster(&self, a: u32, b: u32) -> (bool, bool) {
        let ra = self.region[a as usize];
        let same_region = ra != Self::NO_REGION && ra == self.region[b as usize];
        let cluster_of = |v: u32| self.clustering.and_then(|c| c.cluster[v as usize]);
        let same_cluster = cluster_of(a).is_some() && cluster_of(a) == cluster_of(b);
        (same_region, same_cluster)
    }

    /// The link opportunity between affiliates `a` and `b` (organisation
    /// indexes) with its score and its reason: up to three shared partners
    /// by name, the resource allocation index, and the region and cluster
    /// when shared.
    fn link(&self, a: u32, b: u32, score: f64, resource_allocation: f64) -> Opportunity {
        let orgs = self.model.orgs();
        let (oa, ob) = (&orgs[a as usize], &orgs[b as usize]);
        let mut shared = common_neighbours(self.neighbours(a), self.neighbours(b));
        shared.retain(|&z| !self.crowded(z));
        let shown: Vec<&str> = shared
            .iter()
            .take(3)
            .map(|&z| orgs[z as usize].name.as_str())
            .collect();
        let more = if shared.len() > 3 {
            format!(" and {} more", shared.len() - 3)
        } else {
            String::new()
        };
        let mut reason = format!(
            "Both work with {}{more} (resource allocation {resource_allocation:.2})",
            shown.join(", "),
        );
        if oa.region.is_some() && oa.region == ob.region {
            reason.push_str(&format!("; both in {}", oa.region_or_none()));
        }
        if self.same_region_and_cluster(a, b).1 {
            reason.push_str("; same cluster");
        }
        Opportunity {
            a,
            b,
            kind: OpportunityKind::Link,
            score,
            tag: None,
            distance: None,
            reason,
        }
    }
}

/// One thread's working arrays for the link walk, by affiliate number.
struct Walk {
    /// The resource allocation index summed so far with each candidate.
    index: Vec<f64>,
    /// Whether each affiliate is tied to the walk's affiliate (so no
    /// candidate).
    direct: Vec<bool>,
    /// The candidates found, in the order found.
    touched: Vec<u32>,
}

impl Walk {
    fn new(affiliates: usize) -> Self {
        Walk {
            index: vec![0.0; affiliates],
            direct: vec![false; affiliates],
            touched: Vec::new(),
        }
    }

    /// The affiliate numbers of the neighbours of affiliate number `k`.
    fn tied<'g>(g: &'g LinkGraph, k: u32) -> impl Iterator<Item = u32> + 'g {
        g.neighbours(g.affiliates[k as usize])
            .iter()
            .map(|&b| g.number[b as usize])
            .filter(|&j| j != LinkGraph::NOT_AFFILIATE)
    }

    /// Sums the resource allocation index of affiliate number `first` with
    /// every affiliate numbered after it that shares a partner with it and
    /// is not tied to it (each pair is found once), over the partners in
    /// neighbour order.
    fn sum_from(&mut self, g: &LinkGraph, first: u32) {
        for k in Self::tied(g, first) {
            self.direct[k as usize] = true;
        }
        for &z in g.neighbours(g.affiliates[first as usize]) {
            if g.crowded(z) {
                continue;
            }
            let dz = g.model.ties.csr.degree(z as usize) as f64;
            let list = g.affiliates_of(z);
            for &k in &list[list.partition_point(|&k| k <= first)..] {
                if !self.direct[k as usize] {
                    if self.index[k as usize] == 0.0 {
                        self.touched.push(k);
                    }
                    self.index[k as usize] += 1.0 / dz;
                }
            }
        }
    }

    /// The [`LINKS_PER_AFFILIATE`] best candidates numbered after `ka` (a
    /// member of the class just summed), as (score, organisation index),
    /// best first, ties by index.
    fn best_after(&self, g: &LinkGraph, ka: u32) -> Vec<(f64, u32)> {
        let a = g.affiliates[ka as usize];
        let mut found: Vec<(f64, u32)> = self
            .touched
            .iter()
            .filter(|&&k| k > ka)
            .map(|&k| {
                let b = g.affiliates[k as usize];
                let (same_region, same_cluster) = g.same_region_and_cluster(a, b);
                (
                    self.index[k as usize]
                        + if same_region { 0.25 } else { 0.0 }
                        + if same_cluster { 0.25 } else { 0.0 },
                    b,
                )
            })
            .collect();
        let best_first = |x: &(f64, u32), y: &(f64, u32)| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1));
        if found.len() > LINKS_PER_AFFILIATE {
            found.select_nth_unstable_by(LINKS_PER_AFFILIATE, best_first);
            found.truncate(LINKS_PER_AFFILIATE);
        }
        found.sort_by(best_first);
        found
    }

    /// The resource allocation index summed with affiliate `b`
    /// (organisation index).
    fn index_of(&self, g: &LinkGraph, b: u32) -> f64 {
        self.index[g.number[b as usize] as usize]
    }

    /// Makes the arrays ready for the next walk, in time proportional to
    /// this walk's.
    fn clear(&mut self, g: &LinkGraph, first: u32) {
        for &k in &self.touched {
            self.index[k as usize] = 0.0;
        }
        self.touched.clear();
        for k in Self::tied(g, first) {
            self.direct[k as usize] = false;
        }
    }
}

/// The values in both of two ascending lists, ascending. Each value of the
/// shorter list is looked for in what is left of the longer by binary
/// search: `O(s log l)` for lists of lengths `s <= l`, with the searches in
/// one list (an affiliate's partners), not in each shared partner's.
fn common_neighbours(x: &[u32], y: &[u32]) -> Vec<u32> {
    let (short, mut long) = if x.len() <= y.len() { (x, y) } else { (y, x) };
    let mut out = Vec::new();
    for &v in short {
        match long.binary_search(&v) {
            Ok(i) => {
                out.push(v);
                long = &long[i + 1..];
            }
            Err(i) => long = &long[i..],
        }
    }
    out
}

/// The tie graph for the needs-offers searches, its organisations
/// renumbered in breadth-first order (component by component, each from its
/// first organisation) so that the organisations a search reaches
/// together sit together in memory; each organisation's neighbours stay in
/// the tie graph's order, so a search reaches the same organisations in the
/// same order as on the tie graph.
struct SearchGraph {
    offsets: Vec<u32>,
    targets: Vec<u32>,
    /// The organisation numbered `k` is `old_of[k]`.
    old_of: Vec<u32>,
    /// Organisation `v` is numbered `new_of[v]`.
    new_of: Vec<u32>,
}

impl SearchGraph {
    fn new(csr: &crate::algo::Csr) -> SearchGraph {
        let n = csr.node_count();
        let (new_of, old_of) = csr.bfs_numbering(0..n as u32);
        let mut offsets = Vec::with_capacity(n + 1);
        let mut targets = Vec::with_capacity(csr.edge_count() * 2);
        offsets.push(0u32);
        for &v in &old_of {
            targets.extend(
                csr.neighbors(v as usize)
                    .iter()
                    .map(|&w| new_of[w as usize]),
            );
            offsets.push(targets.len() as u32);
        }
        SearchGraph {
            offsets,
            targets,
            old_of,
            new_of,
        }
    }

    fn neighbors(&self, k: u32) -> &[u32] {
        &self.targets[self.offsets[k as usize] as usize..self.offsets[k as usize + 1] as usize]
    }
}

/// Scratch space of one thread's breadth-first searches, reused from one
/// search to the next.
struct Search {
    /// Ties away from the start (at most `SEARCH_DEPTH + 1`, so a byte: the
    /// array of a million organisations stays in cache); `UNSEEN` where the
    /// search did not reach.
    dist: Vec<u8>,
    /// The organisations reached, in the order found (the start first): the
    /// queue of the search.
    reached: Vec<u32>,
}

const UNSEEN: u8 = u8::MAX;

impl Search {
    fn new(n: usize) -> Search {
        Search {
            dist: vec![UNSEEN; n],
            reached: Vec::new(),
        }
    }

    /// Ties away from `start` to the organisations within reach, searched
    /// breadth-first until `enough` says the search may stop; an
    /// organisation is expanded only within six ties and while at most
    /// 2,000 have been reached. Leaves the reached organisations in
    /// `reached` and their distances in `dist`.
    /// Organisations are numbered as in `graph`.
    fn run(&mut self, graph: &SearchGraph, start: u32, mut enough: impl FnMut(u32) -> bool) {
        for &v in &self.reached {
            self.dist[v as usize] = UNSEEN;
        }
        self.reached.clear();
        self.dist[start as usize] = 0;
        self.reached.push(start);
        let mut head = 0;
        while head < self.reached.len() {
            let u = self.reached[head];
            head += 1;
            let d = self.dist[u as usize];
            if u != start && enough(u) {
                break;
            }
            if u32::from(d) >= SEARCH_DEPTH || self.reached.len() > SEARCH_BUDGET {
                continue;
            }
            for &x in graph.neighbors(u) {
                if self.dist[x as usize] == UNSEEN {
                    self.dist[x as usize] = d + 1;
                    self.reached.push(x);
                }
            }
        }
    }
}

fn needs_offers(model: &Model) -> Vec<Opportunity> {
    let orgs = model.orgs();
    let mut needs: BTreeMap<u32, BTreeSet<&str>> = BTreeMap::new();
    let mut offers: BTreeMap<&str, BTreeSet<u32>> = BTreeMap::new();
    for i in &model.dataset.interviews {
        if !orgs[i.affiliate as usize].kind.is_movement() {
            continue;
        }
        needs
            .entry(i.affiliate)
            .or_default()
            .extend(i.needs.iter().map(String::as_str));
        for t in &i.offers {
            offers.entry(t.as_str()).or_default().insert(i.affiliate);
        }
    }
    let by_name = |x: &u32, y: &u32| {
        orgs[*x as usize]
            .name
            .cmp(&orgs[*y as usize].name)
            .then(x.cmp(y))
    };
    let sorted_offers: BTreeMap<&str, Vec<u32>> = offers
        .iter()
        .map(|(t, set)| {
            let mut v: Vec<u32> = set.iter().copied().collect();
            v.sort_by(by_name);
            (*t, v)
        })
        .collect();
    let mut by_region: BTreeMap<(&str, &str), Vec<u32>> = BTreeMap::new();
    for (t, list) in &sorted_offers {
        for &b in list {
            if let Some(r) = orgs[b as usize].region.as_deref() {
                by_region.entry((t, r)).or_default().push(b);
            }
        }
    }
    // The tags each organisation offers, for the searches.
    let mut offered: FxHashMap<u32, Vec<&str>> = FxHashMap::default();
    for (t, set) in &offers {
        for &b in set {
            offered.entry(b).or_default().push(t);
        }
    }
    let n = orgs.len();
    let graph = SearchGraph::new(&model.ties.csr);
    // Whether an organisation offers anything, by its number in `graph`.
    let mut offers_something = vec![false; n];
    for &b in offered.keys() {
        offers_something[graph.new_of[b as usize] as usize] = true;
    }
    let per: Vec<Vec<Opportunity>> = needs
        .par_iter()
        .map_init(
            || Search::new(n),
            |search, (&a, tags)| {
                // Stop once every need has its nearest offers.
                let mut wanted: BTreeMap<&str, usize> = tags
                    .iter()
                    .filter(|t| offers.contains_key(**t))
                    .map(|t| (*t, 0))
                    .collect();
                let start = graph.new_of[a as usize];
                search.run(&graph, start, |k| {
                    if !offers_something[k as usize] {
                        // Nothing changed since the last organisation (or, for the
                        // first, nothing is wanted): the same answer.
                        return wanted.is_empty();
                    }
                    let v = graph.old_of[k as usize];
                    for tag in offered.get(&v).into_iter().flatten() {
                        if let Some(seen) = wanted.get_mut(tag) {
                            *seen += 1;
                        }
                    }
                    wanted.values().all(|&k| k >= OFFERS_PER_NEED)
                });
                let oa = &orgs[a as usize];
                let mut out = Vec::new();
                // The organisations reached that offer anything, in the order
                // reached, with their distances.
                let offering_reached: Vec<(u32, u32)> = search
                    .reached
                    .iter()
                    .copied()
                    .filter(|&k| k != start && offers_something[k as usize])
                    .map(|k| (graph.old_of[k as usize], u32::from(search.dist[k as usize])))
                    .collect();
                for &tag in tags {
                    let Some(offering) = offers.get(tag) else {
                        continue;
                    };
                    // Nearest first: those the search reached, by ties away and
                    // name; then the same region by name; then the rest by name.
                    // The lists by name are sorted once, so this stays fast with
                    // many affiliates.
                    let by_name = |x: &u32, y: &u32| {
                        orgs[*x as usize]
                            .name
                            .cmp(&orgs[*y as usize].name)
                            .then(x.cmp(y))
                    };
                    let mut ranked: Vec<(Option<u32>, bool, u32)> =
                        Vec::with_capacity(OFFERS_PER_NEED);
                    let mut reached: Vec<(u32, u32)> = offering_reached
                        .iter()
                        .filter(|(b, _)| offering.contains(b))
                        .map(|&(b, d)| (d, b))
                        .collect();
                    reached.sort_by(|x, y| x.0.cmp(&y.0).then_with(|| by_name(&x.1, &y.1)));
                    let same = |b: u32| oa.region.is_some() && oa.region == orgs[b as usize].region;
                    for (d, b) in reached.into_iter().take(OFFERS_PER_NEED) {
                        ranked.push((Some(d), same(b), b));
                    }
                    let regional = oa.region.as_deref().and_then(|r| by_region.get(&(tag, r)));
                    for list in [regional, sorted_offers.get(tag)].into_iter().flatten() {
                        for &b in list {
                            if ranked.len() >= OFFERS_PER_NEED {
                                break;
                            }
                            if b != a && !ranked.iter().any(|x| x.2 == b) {
                                ranked.push((None, same(b), b));
                            }
                        }
                    }
                    for (d, same_region, b) in ranked.into_iter().take(OFFERS_PER_NEED) {
                        let ob = &orgs[b as usize];
                        let score = match d {
                            Some(d) => 1.0 / d.max(1) as f64,
                            None if same_region => 0.05,
                            None => 0.01,
                        };
                        let how_far = match d {
                            Some(1) => "already tied to it".to_string(),
                            Some(d) => format!("{d} ties away"),
                            None => "no path of ties yet".to_string(),
                        };
                        let region = if same_region {
                            format!(", also in {}", ob.region_or_none())
                        } else {
                            String::new()
                        };
                        let reason = format!(
                            "{} needs help with {tag}; {} offers it ({how_far}{region})",
                            oa.name, ob.name
                        );
                        out.push(Opportunity {
                            a,
                            b,
                            kind: OpportunityKind::NeedsOffers,
                            score,
                            tag: Some(tag.to_string()),
                            distance: d,
                            reason,
                        });
                    }
                }
                out
            },
        )
        .collect();
    let mut all: Vec<Opportunity> = per.into_iter().flatten().collect();
    all.sort_by(|x, y| {
        y.score
            .total_cmp(&x.score)
            .then((x.a, x.b).cmp(&(y.a, y.b)))
            .then(x.tag.cmp(&y.tag))
    });
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algo::Csr;
    use rand::{Rng, SeedableRng};

    /// The organisations a breadth-first search from `start` reaches, in
    /// the order reached, on the tie graph itself.
    fn reached_on_tie_graph(csr: &Csr, start: u32) -> Vec<(u32, u8)> {
        let mut dist = vec![UNSEEN; csr.node_count()];
        let mut reached = vec![start];
        dist[start as usize] = 0;
        let mut head = 0;
        while head < reached.len() {
            let u = reached[head];
            head += 1;
            for &x in csr.neighbors(u as usize) {
                if dist[x as usize] == UNSEEN {
                    dist[x as usize] = dist[u as usize] + 1;
                    reached.push(x);
                }
            }
        }
        reached.iter().map(|&v| (v, dist[v as usize])).collect()
    }

    #[test]
    fn common_neighbours_are_the_values_of_both_lists_in_order() {
        assert_eq!(common_neighbours(&[1, 4, 7, 9], &[2, 4, 9]), vec![4, 9]);
        assert_eq!(common_neighbours(&[2, 4, 9], &[1, 4, 7, 9]), vec![4, 9]);
        assert_eq!(common_neighbours(&[], &[1, 2]), Vec::<u32>::new());
        assert_eq!(common_neighbours(&[3], &[1, 2, 3]), vec![3]);
        assert_eq!(common_neighbours(&[5, 6], &[1, 2]), Vec::<u32>::new());
    }

    #[test]
    fn searches_on_the_renumbered_graph_reach_the_same_organisations_in_the_same_order() {
        // A random graph of several components, with a few well-connected
        // organisations, as a movement has.
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let n = 3_000u32;
        let edges: Vec<(u32, u32, f64)> = (0..9_000)
            .map(|_| {
                let hub = rng.gen_bool(0.2);
                let a = if hub {
                    rng.gen_range(0..10)
                } else {
                    rng.gen_range(0..n)
                };
                (a, rng.gen_range(0..n), 1.0)
            })
            .collect();
        let csr = Csr::from_edges(n as usize, edges);
        let graph = SearchGraph::new(&csr);
        let mut search = Search::new(n as usize);
        let starts: Vec<u32> = (0..n)
            .filter(|&v| csr.degree(v as usize) > 0)
            .step_by(100)
            .collect();
        assert!(starts.len() >= 5);
        for start in starts {
            // Without a budget (depth and size limits only apply to
            // expansion, and are the same on both numberings).
            search.run(&graph, graph.new_of[start as usize], |_| false);
            let renumbered: Vec<(u32, u8)> = search
                .reached
                .iter()
                .map(|&k| (graph.old_of[k as usize], search.dist[k as usize]))
                .collect();
            let expected = reached_on_tie_graph(&csr, start);
            // The renumbered search stops expanding at six ties and 2,000
            // organisations; compare what both reach up to there.
            assert_eq!(renumbered[..], expected[..renumbered.len()], "from {start}");
        }
    }
}
