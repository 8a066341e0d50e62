//! The canonical order of a dataset: the same data in any row order becomes
//! the same [`Dataset`], so that every analysis and every result is the same,
//! byte for byte, however the rows of the files were ordered.
//!
//! - Organisations of the files are ordered by id (as bytes; ids are
//!   unique), then the `unknown` organisations made for unresolved names, by
//!   name.
//! - Relations are ordered by their ends (in the new order), kind,
//!   interview, date, weight, note, other columns and places read.
//! - Interviews by id, lead statuses by organisation, unresolved names by
//!   their organisation.
//!
//! Every index into the organisations is renumbered. Sorting is
//! `O(n log n)`; nothing else changes.

use std::cmp::Ordering;

use rayon::prelude::*;

use crate::model::{Dataset, OrgKind, Relation};

/// Puts `dataset` into the canonical order (see the module's documentation).
pub fn canonical_order(dataset: &mut Dataset) {
    let orgs = &dataset.organisations;
    let mut order: Vec<u32> = (0..orgs.len() as u32).collect();
    order.par_sort_unstable_by(|&a, &b| {
        let (x, y) = (&orgs[a as usize], &orgs[b as usize]);
        let unknown = |o: &crate::model::Organisation| o.kind == OrgKind::Unknown;
        unknown(x)
            .cmp(&unknown(y))
            .then_with(|| x.id.cmp(&y.id))
            .then_with(|| x.name.cmp(&y.name))
            .then(a.cmp(&b))
    });
    let mut new_index = vec![0u32; order.len()];
    for (new, &old) in order.iter().enumerate() {
        new_index[old as usize] = new as u32;
    }
    // In place, cycle by cycle (a second copy of the organisations would
    // double the memory of the largest table).
    let mut placed = vec![false; order.len()];
    for start in 0..order.len() {
        let mut at = start;
        while !placed[at] {
            placed[at] = true;
            let from = order[at] as usize;
            if from == start {
                break;
            }
            dataset.organisations.swap(at, from);
            at = from;
        }
    }
    let at = |i: u32| new_index[i as usize];
    dataset.relations.par_iter_mut().for_each(|r| {
        r.source = at(r.source);
        r.target = at(r.target);
    });
    dataset.relations.par_sort_unstable_by(compare_relations);
    for i in &mut dataset.interviews {
        i.affiliate = at(i.affiliate);
    }
    dataset.interviews.sort_by(|a, b| {
        a.id.cmp(&b.id)
            .then(a.affiliate.cmp(&b.affiliate))
            .then(a.origin.cmp(&b.origin))
    });
    for s in &mut dataset.lead_status {
        s.organisation = at(s.organisation);
    }
    dataset.lead_status.sort_by(|a, b| {
        a.organisation
            .cmp(&b.organisation)
            .then(a.origin.cmp(&b.origin))
    });
    for u in &mut dataset.unresolved {
        u.organisation = at(u.organisation);
    }
    dataset.unresolved.sort_by_key(|u| u.organisation);
}

/// A total order on relations: ends, kind, interview, date, weight, note,
/// other columns, then the places they were read from.
fn compare_relations(a: &Relation, b: &Relation) -> Ordering {
    (a.source, a.target, a.kind, &a.interview, a.date)
        .cmp(&(b.source, b.target, b.kind, &b.interview, b.date))
        .then_with(|| a.weight.total_cmp(&b.weight))
        .then_with(|| a.note.cmp(&b.note))
        .then_with(|| a.attributes.cmp(&b.attributes))
        .then_with(|| a.origins.cmp(&b.origins))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Origin, RelationKind};

    fn org(id: &str, kind: OrgKind) -> crate::model::Organisation {
        crate::model::Organisation::new(id, id.to_uppercase(), kind, Origin { file: 0, line: 2 })
    }

    fn rel(source: u32, target: u32, line: u64) -> Relation {
        Relation {
            source,
            target,
            kind: RelationKind::Partner,
            date: None,
            interview: None,
            weight: 1.0,
            note: None,
            origins: vec![Origin { file: 1, line }],
            attributes: crate::model::Attributes::new(),
        }
    }

    fn dataset(ids: &[(&str, OrgKind)], rels: &[(u32, u32)]) -> Dataset {
        Dataset {
            organisations: ids.iter().map(|(i, k)| org(i, *k)).collect(),
            relations: rels
                .iter()
                .enumerate()
                .map(|(k, &(s, t))| rel(s, t, k as u64 + 2))
                .collect(),
            ..Dataset::default()
        }
    }

    /// The relations as (source id, target id) pairs.
    fn pairs(d: &Dataset) -> Vec<(String, String)> {
        d.relations
            .iter()
            .map(|r| {
                (
                    d.organisations[r.source as usize].id.clone(),
                    d.organisations[r.target as usize].id.clone(),
                )
            })
            .collect()
    }

    #[test]
    fn any_row_order_gives_the_same_order_of_organisations_and_relations() {
        use OrgKind::*;
        let mut a = dataset(
            &[
                ("b", Museum),
                ("a", Affiliate),
                ("zz", Unknown),
                ("c", Library),
            ],
            &[(1, 0), (1, 3), (2, 0)],
        );
        let mut b = dataset(
            &[
                ("c", Library),
                ("zz", Unknown),
                ("a", Affiliate),
                ("b", Museum),
            ],
            &[(2, 0), (1, 3), (2, 3)],
        );
        canonical_order(&mut a);
        canonical_order(&mut b);
        let ids =
            |d: &Dataset| -> Vec<String> { d.organisations.iter().map(|o| o.id.clone()).collect() };
        assert_eq!(ids(&a), ["a", "b", "c", "zz"]);
        assert_eq!(ids(&a), ids(&b));
        assert_eq!(
            pairs(&a),
            [("a", "b"), ("a", "c"), ("zz", "b")].map(|(s, t)| (s.to_string(), t.to_string()))
        );
        assert_eq!(pairs(&a), pairs(&b));
    }
}
