//! Weights that overflow: each relation's weight is a finite number, but a
//! tie's weight is the sum of its relations' weights, and the clusters use
//! the sum of all of them. A sum that overflows to infinity would make every
//! score and the modularity NaN, so it is an error naming the rows.

use std::collections::HashMap;
use std::path::Path;

use crate::error::{Problem, Problems, Severity};
use crate::model::Dataset;

/// How many rows an error lists.
const ROWS_NAMED: usize = 5;

/// Reports each tie whose relations' weights sum to infinity, naming its
/// rows, and a sum of all weights that does.
pub fn check(dataset: &Dataset, problems: &mut Problems) {
    // The file the relations were read from (relations.csv, or a workbook).
    let file_of = |i: usize| -> &Path {
        dataset.relations[i]
            .origins
            .first()
            .and_then(|o| dataset.files.get(o.file as usize))
            .map_or(dataset.root.as_path(), |p| p.as_path())
    };
    // When the magnitudes of all the weights, summed in row order, stay
    // finite, no sum can overflow: rounding is monotone, so every partial
    // sum of a tie's weights (a subset, in the same order) is at most that
    // sum in magnitude, and so is the total. Then no tie needs summing.
    if dataset
        .relations
        .iter()
        .fold(0.0f64, |sum, r| sum + r.weight.abs())
        .is_finite()
    {
        return;
    }
    let mut ties: HashMap<(u32, u32), (f64, Vec<usize>)> = HashMap::new();
    let mut total = 0.0f64;
    for (i, r) in dataset.relations.iter().enumerate() {
        total += r.weight;
        let key = (r.source.min(r.target), r.source.max(r.target));
        let tie = ties.entry(key).or_insert((0.0, Vec::new()));
        tie.0 += r.weight;
        tie.1.push(i);
    }
    // Reported in the order of the relations' first rows, whatever the
    // hash map's order.
    let mut overflowing: Vec<&Vec<usize>> = ties
        .values()
        .filter(|(sum, _)| !sum.is_finite())
        .map(|(_, rows)| rows)
        .collect();
    overflowing.sort_unstable_by_key(|rows| rows[0]);
    let orgs = &dataset.organisations;
    for rows in &overflowing {
        let r = &dataset.relations[rows[0]];
        let places = places(dataset, rows);
        let message = format!(
            "the weights of the relations between {} and {} add up to more than the largest number partnernet can hold ({places}); use smaller weights, such as 1 to 100",
            orgs[r.source as usize].id, orgs[r.target as usize].id
        );
        problems.push(match r.origins.first() {
            Some(&o) => dataset.problem(Severity::Error, o, Some("weight"), message),
            None => Problem::error(file_of(rows[0]), None, message),
        });
    }
    if overflowing.is_empty() && !total.is_finite() {
        let mut rows: Vec<usize> = (0..dataset.relations.len()).collect();
        rows.sort_by(|&a, &b| {
            dataset.relations[b]
                .weight
                .total_cmp(&dataset.relations[a].weight)
                .then(a.cmp(&b))
        });
        // The largest weights, as many as overflow on their own.
        let mut sum = 0.0f64;
        let enough = rows
            .iter()
            .position(|&i| {
                sum += dataset.relations[i].weight;
                !sum.is_finite()
            })
            .map_or(rows.len(), |p| p + 1);
        rows.truncate(enough);
        problems.push(Problem::error(
            file_of(rows[0]),
            None,
            format!(
                "the weights of all relations add up to more than the largest number partnernet can hold (these alone do: {}); use smaller weights, such as 1 to 100",
                places(dataset, &rows)
            ),
        ));
    }
}

/// Where the first [`ROWS_NAMED`] of `rows` were read, as `file:line`.
fn places(dataset: &Dataset, rows: &[usize]) -> String {
    let mut named: Vec<String> = rows
        .iter()
        .take(ROWS_NAMED)
        .flat_map(|&i| dataset.relations[i].origins.first())
        .map(|&o| dataset.locate(o))
        .collect();
    if rows.len() > ROWS_NAMED {
        named.push(format!("and {} more", rows.len() - ROWS_NAMED));
    }
    named.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Attributes, Relation, RelationKind};

    fn relation(source: u32, target: u32, weight: f64, line: u64) -> Relation {
        Relation {
            source,
            target,
            kind: RelationKind::Partner,
            date: None,
            interview: None,
            weight,
            note: None,
            origins: vec![crate::model::Origin { file: 0, line }],
            attributes: Attributes::new(),
        }
    }

    fn dataset(relations: Vec<Relation>) -> Dataset {
        let org = |id: &str| {
            crate::model::Organisation::new(
                id,
                id,
                crate::model::OrgKind::Museum,
                crate::model::Origin { file: 0, line: 1 },
            )
        };
        Dataset {
            root: "ds".into(),
            files: vec!["ds/relations.csv".into()],
            organisations: vec![org("a"), org("b"), org("c")],
            relations,
            ..Dataset::default()
        }
    }

    #[test]
    fn a_tie_whose_weights_overflow_names_its_rows() {
        let ds = dataset(vec![
            relation(0, 1, 1e308, 2),
            relation(1, 2, 1.0, 3),
            relation(1, 0, 1e308, 4),
        ]);
        let mut problems = Problems::default();
        check(&ds, &mut problems);
        let text = problems.report();
        assert_eq!(problems.errors(), 1, "{text}");
        assert!(text.contains("between a and b"), "{text}");
        assert!(text.contains("relations.csv:2, relations.csv:4"), "{text}");
    }

    #[test]
    fn a_total_that_overflows_is_an_error() {
        let ds = dataset(vec![relation(0, 1, 1e308, 2), relation(1, 2, 1e308, 3)]);
        let mut problems = Problems::default();
        check(&ds, &mut problems);
        assert_eq!(problems.errors(), 1, "{}", problems.report());
        let ok = dataset(vec![relation(0, 1, 1e300, 2), relation(1, 2, 1e300, 3)]);
        let mut problems = Problems::default();
        check(&ok, &mut problems);
        assert!(problems.is_empty());
    }
}
