//! What each diagram shows: which organisations and ties, which carry a
//! label. Diagrams must stay readable and quick to draw at any size, so each
//! view keeps the most central organisations (by betweenness, then ties)
//! up to a cap:
//!
//! | diagram | organisations drawn | labelled |
//! |---|---|---|
//! | network | the [`NETWORK_CAP`] most central | the [`LABEL_CAP`] most central |
//! | one per region | the [`REGION_CAP`] most central of the region | the [`LABEL_CAP`] most central |
//! | one per affiliate | the affiliate, its partners, collaborators and past partners (the [`NEIGHBOURHOOD_CAP`] strongest ties), and its best [`AFFILIATE_LEADS`] leads with the introducer paths | all |
//!
//! Per-affiliate diagrams are drawn for the [`AFFILIATE_DIAGRAMS`] most
//! central affiliates; the cluster diagram shows the [`CLUSTER_CAP`] largest
//! clusters.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, HashSet};

use rayon::prelude::*;

use crate::analysis::brokers::{ranking_value, Brokers};
use crate::analysis::clusters::Clustering;
use crate::analysis::leads::Leads;
use crate::model::{Model, OrgKind, NO_REGION};

pub const NETWORK_CAP: usize = 500;
pub const REGION_CAP: usize = 300;
pub const LABEL_CAP: usize = 60;
pub const NEIGHBOURHOOD_CAP: usize = 120;
pub const AFFILIATE_LEADS: usize = 15;
pub const AFFILIATE_DIAGRAMS: usize = 300;
pub const CLUSTER_CAP: usize = 200;

/// One diagram of organisations and ties.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct View {
    pub title: String,
    /// The organisations drawn, most central first.
    pub nodes: Vec<u32>,
    /// The ties among them, as (a, b) with a < b, sorted.
    pub ties: Vec<(u32, u32)>,
    /// Organisations whose name is written on the diagram.
    pub labelled: BTreeSet<u32>,
    /// Leads drawn (hollow and dashed), with the affiliates that want them
    /// (dashed lines for wishes that are not ties).
    pub leads: BTreeSet<u32>,
    pub wishes: Vec<(u32, u32)>,
    /// The ties drawn that are bridges cutting off two or more organisations.
    pub bridges: BTreeSet<(u32, u32)>,
    /// How many organisations the cap left out.
    pub left_out: usize,
}

impl View {
    /// The same view cut down to its `cap` most central organisations, with
    /// the ties, wishes and marks among them; `left_out` counts the rest too.
    ///
    /// ```
    /// use partnernet::analysis::views::View;
    /// let view = View {
    ///     nodes: vec![7, 3, 5],
    ///     ties: vec![(3, 5), (3, 7), (5, 7)],
    ///     labelled: [7, 5].into(),
    ///     ..View::default()
    /// };
    /// let small = view.most_central(2);
    /// assert_eq!(small.nodes, vec![7, 3]);
    /// assert_eq!(small.ties, vec![(3, 7)]);
    /// assert_eq!(small.labelled, [7].into());
    /// assert_eq!(small.left_out, 1);
    /// ```
    pub fn most_central(&self, cap: usize) -> View {
        if self.nodes.len() <= cap {
            return self.clone();
        }
        let kept: HashSet<u32> = self.nodes[..cap].iter().copied().collect();
        let both = |&(a, b): &(u32, u32)| kept.contains(&a) && kept.contains(&b);
        View {
            title: self.title.clone(),
            nodes: self.nodes[..cap].to_vec(),
            ties: self.ties.iter().copied().filter(both).collect(),
            labelled: self
                .labelled
                .iter()
                .copied()
                .filter(|v| kept.contains(v))
                .collect(),
            leads: self
                .leads
                .iter()
                .copied()
                .filter(|v| kept.contains(v))
                .collect(),
            wishes: self.wishes.iter().copied().filter(both).collect(),
            bridges: self.bridges.iter().copied().filter(both).collect(),
            left_out: self.left_out + self.nodes.len() - cap,
        }
    }
}

/// All the diagrams of one run.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Views {
    pub network: View,
    /// (region, view), by region name.
    pub regions: Vec<(String, View)>,
    /// (affiliate, view), most central affiliate first.
    pub affiliates: Vec<(u32, View)>,
    /// The clusters drawn and the tie weight between each pair of them.
    pub clusters: Vec<u32>,
    pub cluster_ties: Vec<(u32, u32, f64)>,
}

/// Organisations by centrality: betweenness (to 12 significant digits, see
/// [`ranking_value`]), then number of ties, then index.
fn centrality_order(
    model: &Model,
    brokers: &Brokers,
    members: impl Iterator<Item = u32>,
) -> Vec<u32> {
    let csr = &model.ties.csr;
    // Keys that sort like `f64::total_cmp`, most central first.
    let mut keyed: Vec<(Reverse<i64>, Reverse<usize>, u32)> = members
        .map(|v| {
            let bits = ranking_value(brokers.betweenness[v as usize]).to_bits() as i64;
            let key = bits ^ (((bits >> 63) as u64) >> 1) as i64;
            (Reverse(key), Reverse(csr.degree(v as usize)), v)
        })
        .collect();
    keyed.par_sort_unstable();
    keyed.into_iter().map(|k| k.2).collect()
}

/// What every view draws from.
struct Context<'a> {
    model: &'a Model,
    /// Whether each organisation is a lead.
    is_lead: Vec<bool>,
    wishes: Vec<(u32, u32)>,
    /// The wishes by the affiliate that has them: `wishes_by[a]`
    /// holds indices into `wishes`, in order.
    wishes_by: Vec<Vec<u32>>,
    bridges: HashSet<(u32, u32)>,
}

fn view(cx: &Context<'_>, title: String, ranked: Vec<u32>, cap: usize) -> View {
    let model = cx.model;
    let left_out = ranked.len().saturating_sub(cap);
    let nodes: Vec<u32> = ranked.into_iter().take(cap).collect();
    let set: BTreeSet<u32> = nodes.iter().copied().collect();
    let csr = &model.ties.csr;
    let mut ties = Vec::new();
    for &a in &nodes {
        for &b in csr.neighbors(a as usize) {
            if a < b && set.contains(&b) {
                ties.push((a, b));
            }
        }
    }
    ties.sort_unstable();
    let labelled = nodes
        .iter()
        .take(if nodes.len() > 100 {
            LABEL_CAP
        } else {
            nodes.len()
        })
        .copied()
        .collect();
    let mut wishes: Vec<u32> = nodes
        .iter()
        .flat_map(|&a| &cx.wishes_by[a as usize])
        .copied()
        .filter(|&w| set.contains(&cx.wishes[w as usize].1))
        .collect();
    wishes.sort_unstable();
    View {
        title,
        leads: nodes
            .iter()
            .copied()
            .filter(|&v| cx.is_lead[v as usize])
            .collect(),
        wishes: wishes.iter().map(|&w| cx.wishes[w as usize]).collect(),
        bridges: ties
            .iter()
            .filter(|t| cx.bridges.contains(t))
            .copied()
            .collect(),
        nodes,
        ties,
        labelled,
        left_out,
    }
}

/// Chooses what every diagram shows.
pub fn views(model: &Model, clustering: &Clustering, brokers: &Brokers, leads: &Leads) -> Views {
    let orgs = model.orgs();
    let n = orgs.len() as u32;
    let wishes: Vec<(u32, u32)> = leads
        .leads
        .iter()
        .flat_map(|l| l.desired_by.iter().map(move |&a| (a, l.organisation)))
        .collect();
    let mut wishes_by = vec![Vec::new(); orgs.len()];
    for (w, &(a, _)) in wishes.iter().enumerate() {
        wishes_by[a as usize].push(w as u32);
    }
    let mut is_lead = vec![false; orgs.len()];
    for l in &leads.leads {
        is_lead[l.organisation as usize] = true;
    }
    let cx = Context {
        model,
        is_lead,
        wishes,
        wishes_by,
        // Ties to a single organisation are bridges too; only those that
        // would cut off two or more are drawn as bridges.
        bridges: brokers
            .bridges
            .iter()
            .filter(|b| b.cut_off.size >= 2)
            .map(|b| (b.source.min(b.target), b.source.max(b.target)))
            .collect(),
    };
    let all = centrality_order(model, brokers, 0..n);
    let network = view(
        &cx,
        "The movement's partner network".to_string(),
        all.clone(),
        NETWORK_CAP,
    );

    let mut by_region: foldhash::HashMap<&str, Vec<u32>> = Default::default();
    for &v in &all {
        by_region
            .entry(orgs[v as usize].region.as_deref().unwrap_or(NO_REGION))
            .or_default()
            .push(v);
    }
    let mut by_region: Vec<(&str, Vec<u32>)> = by_region.into_iter().collect();
    by_region.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let regions = by_region
        .into_iter()
        .map(|(r, members)| {
            (
                r.to_string(),
                view(
                    &cx,
                    format!("{r}: organisations and ties"),
                    members,
                    REGION_CAP,
                ),
            )
        })
        .collect();

    let csr = &model.ties.csr;
    let drawn: Vec<u32> = all
        .iter()
        .copied()
        .filter(|&v| orgs[v as usize].kind == OrgKind::Affiliate)
        .take(AFFILIATE_DIAGRAMS)
        .collect();
    // Each drawn affiliate's first leads (introduced, wished for or referred
    // by it), in the order of the lead list.
    let mut slot = vec![u32::MAX; orgs.len()];
    for (k, &a) in drawn.iter().enumerate() {
        slot[a as usize] = k as u32;
    }
    let mut theirs: Vec<Vec<usize>> = vec![Vec::new(); drawn.len()];
    for (i, l) in leads.leads.iter().enumerate() {
        let mut mark = |a: u32| {
            if let Some(&k) = slot.get(a as usize).filter(|&&k| k != u32::MAX) {
                let list = &mut theirs[k as usize];
                if list.len() < AFFILIATE_LEADS && list.last() != Some(&i) {
                    list.push(i);
                }
            }
        };
        l.introducer.into_iter().for_each(&mut mark);
        l.desired_by.iter().copied().for_each(&mut mark);
        l.referred_by.iter().for_each(|x| mark(x.0));
    }
    let affiliates = drawn
        .iter()
        .zip(&theirs)
        .map(|(&a, theirs)| {
            let mut near: Vec<(f64, u32)> = csr
                .neighbors(a as usize)
                .iter()
                .zip(csr.weights(a as usize))
                .map(|(&b, &w)| (w, b))
                .collect();
            near.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
            let mut nodes: Vec<u32> = std::iter::once(a)
                .chain(near.iter().take(NEIGHBOURHOOD_CAP).map(|x| x.1))
                .collect();
            for l in theirs.iter().map(|&i| &leads.leads[i]) {
                nodes.push(l.organisation);
                if l.introducer == Some(a) {
                    nodes.extend(l.path.iter().copied());
                }
            }
            let mut seen = BTreeSet::new();
            nodes.retain(|v| seen.insert(*v));
            let total = nodes.len();
            let mut v = view(
                &cx,
                format!(
                    "{}: partners, collaborators and leads",
                    orgs[a as usize].name
                ),
                nodes,
                total,
            );
            v.left_out = near.len().saturating_sub(NEIGHBOURHOOD_CAP);
            v.labelled = v.nodes.iter().copied().collect();
            (a, v)
        })
        .collect();

    let clusters: Vec<u32> = clustering
        .clusters
        .iter()
        .take(CLUSTER_CAP)
        .map(|c| c.id)
        .collect();
    let mut between: BTreeMap<(u32, u32), f64> = BTreeMap::new();
    for a in 0..orgs.len() {
        let Some(ca) = clustering.cluster[a] else {
            continue;
        };
        for (&b, &w) in csr.neighbors(a).iter().zip(csr.weights(a)) {
            if let Some(cb) = clustering.cluster[b as usize] {
                if ca < cb && (cb as usize) < CLUSTER_CAP {
                    *between.entry((ca, cb)).or_default() += w;
                }
            }
        }
    }
    Views {
        network,
        regions,
        affiliates,
        clusters,
        cluster_ties: between.into_iter().map(|((a, b), w)| (a, b, w)).collect(),
    }
}
