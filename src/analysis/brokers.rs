//! Bridges and brokers: who holds the network together, and what breaks
//! without them.
//!
//! - A **bridge** is a tie whose removal splits the network; an
//!   **articulation point** is an organisation whose removal does. For each,
//!   the *cut-off part* is what would lose its connection to the rest: for a
//!   bridge, the smaller side; for an articulation point, everything outside
//!   the largest remaining part of its component. The part's regions and
//!   clusters say what is at stake.
//! - **Betweenness** (Brandes 2001) is the share of shortest paths between
//!   other organisations that pass through an organisation, on the unweighted
//!   tie graph, normalised as NetworkX does for undirected graphs. Exact up to
//!   `[brokers] exact_betweenness_up_to` organisations, estimated from
//!   `[brokers] pivots` sampled sources above that.
//! - **Constraint** and **effective size** (Burt 1992) measure how far an
//!   organisation's contacts are unconnected to each other (low constraint,
//!   high effective size: a broker between groups).
//! - The **participation coefficient** (Guimerà & Amaral 2005) measures how
//!   evenly an organisation's ties spread over clusters: 0 when all stay in
//!   one, towards 1 when they reach many.

use rayon::prelude::*;

use crate::algo::betweenness::{betweenness, BetweennessMode};
use crate::algo::bridges::cut_structure;
use crate::algo::brokerage::{participation_coefficient, structural_holes_grouped};
use crate::analysis::clusters::Clustering;
use std::sync::Arc;

use crate::analysis::components::Components;
use crate::model::Model;

/// What a bridge or an articulation point would cut off.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CutOff {
    /// How many organisations.
    pub size: u32,
    /// Their regions with how many of them are in each, most first (ties by
    /// name): at most [`CUT_OFF_LISTED`]. A region's name is shared by every
    /// part that lists it (a network of a million bridges lists millions).
    pub regions: Box<[(Arc<str>, u32)]>,
    /// How many more regions they are in, beyond those listed.
    pub more_regions: u32,
    /// Their clusters with how many of them are in each, most first (ties by
    /// number; organisations not in a cluster are left out): at most
    /// [`CUT_OFF_LISTED`].
    pub clusters: Box<[(u32, u32)]>,
    /// How many more clusters they are in, beyond those listed.
    pub more_clusters: u32,
}

/// A bridge: a tie whose removal splits the network.
#[derive(Debug, Clone, PartialEq)]
pub struct Bridge {
    pub source: u32,
    pub target: u32,
    /// The end of the tie on the cut-off side.
    pub cut_off_end: u32,
    pub cut_off: CutOff,
}

/// An organisation whose removal splits the network.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticulationPoint {
    pub organisation: u32,
    pub cut_off: CutOff,
}

/// How betweenness was computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BetweennessMethod {
    Exact,
    /// Estimated from this many sampled sources.
    Sampled {
        pivots: usize,
    },
}

/// The bridges and brokers of the tie graph.
#[derive(Debug, Clone, PartialEq)]
pub struct Brokers {
    pub betweenness: Vec<f64>,
    pub method: BetweennessMethod,
    /// Burt's constraint; NaN for organisations with no tie.
    pub constraint: Vec<f64>,
    /// Burt's effective size; NaN for organisations with no tie.
    pub effective_size: Vec<f64>,
    /// Participation coefficient across clusters.
    pub participation: Vec<f64>,
    /// Bridges, the largest cut-off first.
    pub bridges: Vec<Bridge>,
    /// Articulation points, the largest cut-off first.
    pub articulation_points: Vec<ArticulationPoint>,
    /// For each organisation, its index in `articulation_points`.
    pub articulation_index: Vec<Option<u32>>,
    /// Organisations with at least one tie, by betweenness (highest first),
    /// then cut-off size, then name.
    pub ranking: Vec<u32>,
}

/// Betweenness of every organisation: exact up to
/// `[brokers] exact_betweenness_up_to` organisations, estimated from
/// `[brokers] pivots` seeded sources above it.
pub fn centrality(model: &Model) -> Centrality {
    let n = model.orgs().len();
    let settings = &model.config().brokers;
    let pivots = settings.pivots_for(model.ties.edge_count());
    let (mode, method) = if n <= settings.exact_betweenness_up_to || pivots >= n {
        (BetweennessMode::Exact, BetweennessMethod::Exact)
    } else {
        let pivots = pivots.max(2);
        (
            BetweennessMode::Sampled {
                pivots,
                seed: model.config().analysis.seed,
            },
            BetweennessMethod::Sampled { pivots },
        )
    };
    Centrality {
        betweenness: betweenness(&model.ties.csr, mode),
        method,
    }
}

/// Betweenness and how it was computed.
#[derive(Debug, Clone, PartialEq)]
pub struct Centrality {
    pub betweenness: Vec<f64>,
    pub method: BetweennessMethod,
}

/// Bridges and articulation points, each with what it would cut off.
#[derive(Debug, Clone, PartialEq)]
pub struct Cuts {
    /// The largest cut-off first.
    pub bridges: Vec<Bridge>,
    /// The largest cut-off first.
    pub articulation_points: Vec<ArticulationPoint>,
}

/// How many regions and clusters a cut-off part lists (the most frequent;
/// [`CutOff::more_regions`] and [`CutOff::more_clusters`] count the rest).
pub const CUT_OFF_LISTED: usize = 10;

/// Finds the bridges and articulation points, and describes what each would
/// cut off by region and cluster: the [`CUT_OFF_LISTED`] most frequent of
/// each, counted without listing each part's organisations (see
/// [`crate::algo::bridges::CutStructure::cut_off_counts`]), so that a chain
/// of organisations, where every tie is a bridge, takes `O(n log² n)`
/// rather than the square of its length.
pub fn cuts(model: &Model, clustering: Option<&Clustering>) -> Cuts {
    use crate::algo::bridges::{CategoryCounts, NO_CATEGORY};
    let orgs = model.orgs();
    let cut = cut_structure(&model.ties.csr);
    let (names, region_of) = region_numbers(orgs);
    let (cluster_of, cluster_count) = match clustering {
        Some(c) => (
            c.cluster.iter().map(|k| k.unwrap_or(NO_CATEGORY)).collect(),
            c.cluster
                .iter()
                .flatten()
                .max()
                .map_or(0, |&k| k as usize + 1),
        ),
        None => (vec![NO_CATEGORY; orgs.len()], 0),
    };
    let ((bridge_regions, ap_regions), (bridge_clusters, ap_clusters)) = rayon::join(
        || cut.cut_off_counts(&region_of, names.len(), CUT_OFF_LISTED),
        || cut.cut_off_counts(&cluster_of, cluster_count, CUT_OFF_LISTED),
    );
    let shared_names: Vec<Arc<str>> = names.iter().map(|&n| Arc::from(n)).collect();
    // Each part's counts are turned into its description as they are read,
    // so that the two are not held side by side for every bridge.
    let describe = |size: u32, regions: CategoryCounts, clusters: CategoryCounts| CutOff {
        size,
        more_regions: (regions.distinct - regions.top.len()) as u32,
        regions: regions
            .top
            .iter()
            .map(|&(r, k)| (shared_names[r as usize].clone(), k))
            .collect(),
        more_clusters: (clusters.distinct - clusters.top.len()) as u32,
        clusters: clusters.top,
    };
    let mut bridges: Vec<Bridge> = bridge_regions
        .into_iter()
        .zip(bridge_clusters)
        .enumerate()
        .map(|(i, (regions, clusters))| {
            let (a, b) = cut.bridges[i];
            Bridge {
                source: a,
                target: b,
                cut_off_end: cut.bridge_cut_off_end(i),
                cut_off: describe(cut.bridge_cut_off[i], regions, clusters),
            }
        })
        .collect();
    bridges.sort_by(|x, y| {
        y.cut_off
            .size
            .cmp(&x.cut_off.size)
            .then((x.source, x.target).cmp(&(y.source, y.target)))
    });
    let mut articulation_points: Vec<ArticulationPoint> = ap_regions
        .into_iter()
        .zip(ap_clusters)
        .enumerate()
        .map(|(i, (regions, clusters))| ArticulationPoint {
            organisation: cut.articulation_points[i],
            cut_off: describe(cut.articulation_cut_off[i], regions, clusters),
        })
        .collect();
    articulation_points.sort_by(|x, y| {
        y.cut_off
            .size
            .cmp(&x.cut_off.size)
            .then(x.organisation.cmp(&y.organisation))
    });
    Cuts {
        bridges,
        articulation_points,
    }
}

/// Each organisation's region as a number, with the regions' names: the
/// numbers follow the names' order, so that ties on count list regions by
/// name. The names are gathered once each (a hash map) before they are
/// sorted, so that a million organisations in a few hundred regions sort a
/// few hundred names.
fn region_numbers(orgs: &[crate::model::Organisation]) -> (Vec<&str>, Vec<u32>) {
    let mut first_seen: foldhash::HashMap<&str, u32> = foldhash::HashMap::default();
    let seen: Vec<u32> = orgs
        .iter()
        .map(|o| {
            let next = first_seen.len() as u32;
            *first_seen.entry(o.region_or_none()).or_insert(next)
        })
        .collect();
    let mut names: Vec<(&str, u32)> = first_seen.into_iter().collect();
    names.sort_unstable();
    let mut number = vec![0u32; names.len()];
    for (k, &(_, first)) in names.iter().enumerate() {
        number[first as usize] = k as u32;
    }
    let region_of = seen.into_iter().map(|r| number[r as usize]).collect();
    (names.into_iter().map(|(name, _)| name).collect(), region_of)
}

/// Brings betweenness, cuts, Burt's measures and participation together and
/// ranks the brokers.
pub fn brokers(
    model: &Model,
    components: &Components,
    clustering: Option<&Clustering>,
    centrality: Centrality,
    cuts: Cuts,
) -> Brokers {
    let csr = &model.ties.csr;
    let orgs = model.orgs();
    let n = orgs.len();
    // Participation: organisations outside clusters count as a group of their
    // own component, so their ties are not mistaken for ties into a cluster.
    let offset = clustering.map(|c| c.clusters.len() as u32).unwrap_or(0);
    let groups: Vec<u32> = (0..n)
        .map(|v| {
            clustering
                .and_then(|c| c.cluster[v])
                .unwrap_or(offset + components.membership[v])
        })
        .collect();
    // Visited cluster by cluster, Burt's measures keep to the processor's
    // cache on large networks; the figures are the same either way.
    let holes = structural_holes_grouped(csr, &groups, offset as usize + components.count());
    let participation = participation_coefficient(csr, &groups).unwrap_or_else(|_| vec![0.0; n]);

    let Cuts {
        bridges,
        articulation_points,
    } = cuts;
    let mut articulation_index = vec![None; n];
    for (i, a) in articulation_points.iter().enumerate() {
        articulation_index[a.organisation as usize] = Some(i as u32);
    }
    let betweenness = centrality.betweenness;
    let cut_off_of = |v: usize| {
        articulation_index[v]
            .map(|i| articulation_points[i as usize].cut_off.size)
            .unwrap_or(0)
    };
    // Sorted with each organisation's betweenness (to 12 significant
    // digits, see `ranking_value`), cut-off and the first
    // bytes of its name beside it, so that only ties on all three look at
    // the names (scattered in memory); the order is total (the index
    // decides last), so the parallel sort gives the same ranking on any
    // number of threads.
    let mut keyed: Vec<(f64, u32, u64, u32)> = (0..n)
        .filter(|&v| csr.degree(v) > 0)
        .map(|v| {
            let name = name_prefix(&orgs[v].name);
            (ranking_value(betweenness[v]), cut_off_of(v), name, v as u32)
        })
        .collect();
    keyed.par_sort_unstable_by(|&(ba, ca, na, a), &(bb, cb, nb, b)| {
        bb.total_cmp(&ba)
            .then(cb.cmp(&ca))
            .then(na.cmp(&nb))
            .then_with(|| orgs[a as usize].name.cmp(&orgs[b as usize].name))
            .then(a.cmp(&b))
    });
    let ranking: Vec<u32> = keyed.into_iter().map(|(_, _, _, v)| v).collect();
    Brokers {
        betweenness,
        method: centrality.method,
        constraint: holes.constraint,
        effective_size: holes.effective_size,
        participation,
        bridges,
        articulation_points,
        articulation_index,
        ranking,
    }
}

/// `b` rounded to 12 significant digits, for ranking organisations by
/// betweenness (the brokers' ranking, and the most central first in
/// [`crate::analysis::views`]) and leads by a score that adds betweenness
/// up ([`crate::analysis::leads`]): values that are equal in exact arithmetic
/// may differ in their last bits, by the order in which the searches added
/// them up (two twins, for example), and they then rank as ties, broken by
/// what each ranking breaks ties with, rather than by rounding. NaN and
/// zero are kept as they are.
pub(crate) fn ranking_value(b: f64) -> f64 {
    if b == 0.0 || !b.is_finite() {
        return b;
    }
    let scale = 10f64.powi(11 - b.abs().log10().floor() as i32);
    if scale.is_finite() {
        (b * scale).round() / scale
    } else {
        b
    }
}

/// The first eight bytes of `name` as a number that orders as the names
/// do: two names whose numbers differ are in the numbers' order, and two
/// whose numbers are equal must be compared in full. (Zero-padded, big
/// endian; a name shorter than eight bytes orders before any longer name
/// it begins.)
fn name_prefix(name: &str) -> u64 {
    let mut bytes = [0u8; 8];
    let head = &name.as_bytes()[..name.len().min(8)];
    bytes[..head.len()].copy_from_slice(head);
    u64::from_be_bytes(bytes)
}

impl Brokers {
    /// The cut-off part of an organisation that is an articulation point.
    pub fn cut_off(&self, organisation: usize) -> Option<&CutOff> {
        self.articulation_index[organisation].map(|i| &self.articulation_points[i as usize].cut_off)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{OrgKind, Organisation, Origin};

    #[test]
    fn regions_are_numbered_in_order_of_name() {
        let org = |region: Option<&str>| Organisation {
            region: region.map(String::from),
            ..Organisation::new("x", "X", OrgKind::Museum, Origin { file: 0, line: 2 })
        };
        let orgs = [
            org(Some("Oceania")),
            org(None),
            org(Some("Africa")),
            org(Some("Oceania")),
        ];
        let (names, region_of) = region_numbers(&orgs);
        assert_eq!(names, ["(no region)", "Africa", "Oceania"]);
        assert_eq!(region_of, [2, 0, 1, 2]);
    }

    #[test]
    fn name_prefixes_order_as_the_names_do() {
        let names = [
            "",
            "A",
            "Archive",
            "Archives",
            "Archives of Oslo",
            "Archives of Bergen",
            "Museum 10",
            "Museum 9",
            "Åbo Akademi",
            "Zürich",
            "museum",
            "Museum\u{0}",
        ];
        for a in names {
            for b in names {
                let (pa, pb) = (name_prefix(a), name_prefix(b));
                if pa != pb {
                    assert_eq!(pa.cmp(&pb), a.cmp(b), "{a:?} against {b:?}");
                }
            }
        }
        assert_eq!(
            name_prefix("Archives of Oslo"),
            name_prefix("Archives of Bergen")
        );
    }

    #[test]
    fn betweenness_equal_but_for_rounding_ranks_as_a_tie() {
        // The two values of org-1006 and org-1304 in a generated movement of
        // 2,000, one bit apart: equal in exact arithmetic.
        let (a, b) = (4.506757883446228e-07, 4.5067578834462274e-07);
        assert_ne!(a, b);
        assert_eq!(ranking_value(a), ranking_value(b));
        // Values that differ in the 12th digit still rank apart, in order.
        assert!(ranking_value(0.123456789012) > ranking_value(0.123456789011));
        assert!(ranking_value(2e-300) > ranking_value(1e-300));
        assert_eq!(ranking_value(0.0), 0.0);
        assert!(ranking_value(f64::NAN).is_nan());
        assert_eq!(ranking_value(1.0), 1.0);
    }
}
