//! Bridges and articulation points (cut edges and cut vertices) in linear
//! time, with the size of what each one would cut off.
//!
//! A *bridge* is an edge whose removal increases the number of connected
//! components; an *articulation point* is a node whose removal does. Both come
//! out of one depth-first search with Hopcroft–Tarjan low-link values
//! (Hopcroft & Tarjan 1973, "Algorithm 447: efficient algorithms for graph
//! manipulation", CACM 16(6)); this implementation uses an explicit stack, so
//! a path of millions of nodes does not overflow the call stack.
//!
//! The search also records each node's DFS subtree size and pre-order
//! position. Because a DFS subtree is a contiguous run of the pre-order, the
//! nodes a bridge or an articulation point cuts off can be listed in time
//! proportional to their number, on demand.

use super::Csr;

const UNSEEN: u32 = u32::MAX;

/// The cut edges and cut vertices of an undirected graph, with what each
/// would cut off. Built by [`cut_structure`].
///
/// Node and component conventions: components are found in order of their
/// smallest node index, and each is searched from that node (its *root*).
#[derive(Debug, Clone, Default)]
pub struct CutStructure {
    /// Bridges as `(u, v)` with `u < v`, sorted.
    pub bridges: Vec<(u32, u32)>,
    /// For `bridges[i]`, the number of nodes on the side it cuts off: the
    /// smaller of the two sides of its component once the edge is removed
    /// (on a tie, the side not containing the component's smallest node).
    pub bridge_cut_off: Vec<u32>,
    /// Articulation points, sorted.
    pub articulation_points: Vec<u32>,
    /// For `articulation_points[i]`, the number of nodes that lose their
    /// connection to the largest remaining part of their component when the
    /// node is removed: the component's size, minus one for the node itself,
    /// minus the size of the largest part (on a tie for the largest part, the
    /// part containing the component's smallest node, or else the part found
    /// first by the search, counts as the largest).
    pub articulation_cut_off: Vec<u32>,
    /// Pre-order of the search: each component, then each DFS subtree, is a
    /// contiguous run.
    order: Vec<u32>,
    /// Pre-order position of each node.
    pos: Vec<u32>,
    /// DFS subtree size of each node.
    sub: Vec<u32>,
    /// Pre-order position of the first node of each node's component.
    comp_start: Vec<u32>,
    /// For `bridges[i]`: the child endpoint in the DFS tree and whether the
    /// cut-off side is that child's subtree (`true`) or the rest of the
    /// component (`false`).
    bridge_side: Vec<(u32, bool)>,
    /// For `articulation_points[i]`: the child whose subtree is the largest
    /// part, or `UNSEEN` when the largest part is the one holding the root.
    ap_bulk: Vec<u32>,
    /// For `articulation_points[i]`, `ap_children[ap_child_start[i]..ap_child_start[i + 1]]`
    /// are the DFS children whose subtrees become separate parts.
    ap_child_start: Vec<u32>,
    ap_children: Vec<u32>,
}

impl CutStructure {
    /// Whether `{u, v}` is a bridge (in either orientation).
    ///
    /// ```
    /// use partnernet::algo::{bridges::cut_structure, Csr};
    /// // Triangle 0-1-2, tail 2-3-4, and the separate edge 5-6.
    /// let edges = [(0, 1), (1, 2), (0, 2), (2, 3), (3, 4), (5, 6)];
    /// let cut = cut_structure(&Csr::from_edges(7, edges.iter().map(|&(a, b)| (a, b, 1.0))));
    /// assert!(cut.is_bridge(3, 2) && cut.is_bridge(5, 6));
    /// assert!(!cut.is_bridge(0, 1) && !cut.is_bridge(0, 4));
    /// ```
    pub fn is_bridge(&self, u: u32, v: u32) -> bool {
        let key = (u.min(v), u.max(v));
        self.bridges.binary_search(&key).is_ok()
    }

    /// Whether `v` is an articulation point.
    ///
    /// ```
    /// use partnernet::algo::{bridges::cut_structure, Csr};
    /// // Triangle 0-1-2, tail 2-3-4, and the separate edge 5-6.
    /// let edges = [(0, 1), (1, 2), (0, 2), (2, 3), (3, 4), (5, 6)];
    /// let cut = cut_structure(&Csr::from_edges(7, edges.iter().map(|&(a, b)| (a, b, 1.0))));
    /// assert!(cut.is_articulation_point(2) && cut.is_articulation_point(3));
    /// assert!(!cut.is_articulation_point(5) && !cut.is_articulation_point(99));
    /// ```
    pub fn is_articulation_point(&self, v: u32) -> bool {
        self.articulation_points.binary_search(&v).is_ok()
    }

    /// The number of nodes in `v`'s connected component (0 if `v` is out of
    /// range).
    ///
    /// ```
    /// use partnernet::algo::{bridges::cut_structure, Csr};
    /// // Triangle 0-1-2, tail 2-3-4, and the separate edge 5-6.
    /// let edges = [(0, 1), (1, 2), (0, 2), (2, 3), (3, 4), (5, 6)];
    /// let cut = cut_structure(&Csr::from_edges(7, edges.iter().map(|&(a, b)| (a, b, 1.0))));
    /// assert_eq!((cut.component_size(4), cut.component_size(6), cut.component_size(9)), (5, 2, 0));
    /// ```
    pub fn component_size(&self, v: u32) -> u32 {
        let Some(&p) = self.pos.get(v as usize) else {
            return 0;
        };
        let start = self.comp_start[p as usize];
        let root = self.order[start as usize];
        self.sub[root as usize]
    }

    /// The nodes on the side that `bridges[i]` cuts off (see
    /// [`CutStructure::bridge_cut_off`]), in DFS pre-order. Takes time
    /// proportional to their number. Empty if `i` is out of range.
    ///
    /// ```
    /// use partnernet::algo::{bridges::cut_structure, Csr};
    /// // Triangle 0-1-2, tail 2-3-4, and the separate edge 5-6.
    /// let edges = [(0, 1), (1, 2), (0, 2), (2, 3), (3, 4), (5, 6)];
    /// let cut = cut_structure(&Csr::from_edges(7, edges.iter().map(|&(a, b)| (a, b, 1.0))));
    /// assert_eq!(cut.bridges, vec![(2, 3), (3, 4), (5, 6)]);
    /// assert_eq!(cut.bridge_cut_off, vec![2, 1, 1]);
    /// assert_eq!(cut.bridge_cut_off_nodes(0), vec![3, 4]);
    /// assert_eq!(cut.bridge_cut_off_nodes(2), vec![6]); // a tie: not the side of node 5
    /// ```
    pub fn bridge_cut_off_nodes(&self, i: usize) -> Vec<u32> {
        let Some(&(child, subtree_side)) = self.bridge_side.get(i) else {
            return Vec::new();
        };
        let (cs, ce) = self.subtree_range(child);
        if subtree_side {
            return self.order[cs..ce].to_vec();
        }
        let (ks, ke) = self.component_range(child);
        let mut out = Vec::with_capacity(ke - ks - (ce - cs));
        out.extend_from_slice(&self.order[ks..cs]);
        out.extend_from_slice(&self.order[ce..ke]);
        out
    }

    /// The nodes cut off from the largest remaining part of their component
    /// when `articulation_points[i]` is removed (see
    /// [`CutStructure::articulation_cut_off`]), in DFS pre-order. Takes time
    /// proportional to their number. Empty if `i` is out of range.
    ///
    /// ```
    /// use partnernet::algo::{bridges::cut_structure, Csr};
    /// // Triangle 0-1-2, tail 2-3-4, and the separate edge 5-6.
    /// let edges = [(0, 1), (1, 2), (0, 2), (2, 3), (3, 4), (5, 6)];
    /// let cut = cut_structure(&Csr::from_edges(7, edges.iter().map(|&(a, b)| (a, b, 1.0))));
    /// assert_eq!(cut.articulation_points, vec![2, 3]);
    /// assert_eq!(cut.articulation_cut_off, vec![2, 1]);
    /// assert_eq!(cut.articulation_cut_off_nodes(0), vec![3, 4]);
    /// assert_eq!(cut.articulation_cut_off_nodes(1), vec![4]);
    /// ```
    pub fn articulation_cut_off_nodes(&self, i: usize) -> Vec<u32> {
        let Some(&bulk) = self.ap_bulk.get(i) else {
            return Vec::new();
        };
        let v = self.articulation_points[i];
        let mut out = Vec::with_capacity(self.articulation_cut_off[i] as usize);
        if bulk == UNSEEN {
            for &c in self.separated_children(i) {
                let (s, e) = self.subtree_range(c);
                out.extend_from_slice(&self.order[s..e]);
            }
        } else {
            let (ks, ke) = self.component_range(v);
            let (bs, be) = self.subtree_range(bulk);
            out.extend(self.order[ks..bs].iter().copied().filter(|&x| x != v));
            out.extend_from_slice(&self.order[be..ke]);
        }
        out
    }

    /// The parts that removing `articulation_points[i]` splits its component
    /// into, as lists of nodes in DFS pre-order, largest part first (ties as
    /// for [`CutStructure::articulation_cut_off`]). Takes time proportional
    /// to the component's size. Empty if `i` is out of range.
    ///
    /// ```
    /// use partnernet::algo::{bridges::cut_structure, Csr};
    /// // Triangle 0-1-2, tail 2-3-4, and the separate edge 5-6.
    /// let edges = [(0, 1), (1, 2), (0, 2), (2, 3), (3, 4), (5, 6)];
    /// let cut = cut_structure(&Csr::from_edges(7, edges.iter().map(|&(a, b)| (a, b, 1.0))));
    /// assert_eq!(cut.articulation_parts(0), vec![vec![0, 1], vec![3, 4]]);
    /// ```
    pub fn articulation_parts(&self, i: usize) -> Vec<Vec<u32>> {
        if i >= self.ap_bulk.len() {
            return Vec::new();
        }
        let v = self.articulation_points[i];
        let children = self.separated_children(i);
        let (ks, ke) = self.component_range(v);
        let mut parts: Vec<Vec<u32>> = Vec::with_capacity(children.len() + 1);
        // The part holding the root: the component less v and the separated subtrees.
        let root = self.order[ks];
        if root != v {
            let mut upper = Vec::new();
            let mut at = ks;
            for &c in children {
                let (s, e) = self.subtree_range(c);
                upper.extend(self.order[at..s].iter().copied().filter(|&x| x != v));
                at = e;
            }
            upper.extend(self.order[at..ke].iter().copied().filter(|&x| x != v));
            parts.push(upper);
        }
        for &c in children {
            let (s, e) = self.subtree_range(c);
            parts.push(self.order[s..e].to_vec());
        }
        // Stable sort keeps the tie rule: root part first, then search order.
        parts.sort_by_key(|p| std::cmp::Reverse(p.len()));
        parts
    }

    fn separated_children(&self, i: usize) -> &[u32] {
        let s = self.ap_child_start[i] as usize;
        let e = self.ap_child_start[i + 1] as usize;
        &self.ap_children[s..e]
    }

    fn subtree_range(&self, v: u32) -> (usize, usize) {
        let s = self.pos[v as usize] as usize;
        (s, s + self.sub[v as usize] as usize)
    }

    fn component_range(&self, v: u32) -> (usize, usize) {
        let start = self.comp_start[self.pos[v as usize] as usize] as usize;
        let root = self.order[start];
        (start, start + self.sub[root as usize] as usize)
    }
}

/// What a cut-off part holds, counted by category (a region, a cluster):
/// the `top` most frequent categories, most first (ties by category
/// number), and how many categories it holds in all.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CategoryCounts {
    /// `(category, count)`, most first, at most the `top` asked for.
    pub top: Box<[(u32, u32)]>,
    /// The number of different categories in the part.
    pub distinct: usize,
}

/// Counts of categories over a changing set of nodes, with the categories
/// kept in order of count (most first, then category). Nodes are named by
/// their pre-order position: a subtree's categories are then read in one
/// sweep of `category`, not gathered from all over the network.
struct Tally<'a> {
    /// The category of the node at each pre-order position.
    category: &'a [u32],
    count: Vec<u32>,
    ranked: std::collections::BTreeSet<(std::cmp::Reverse<u32>, u32)>,
}

impl<'a> Tally<'a> {
    fn new(category: &'a [u32], categories: usize) -> Tally<'a> {
        Tally {
            category,
            count: vec![0; categories],
            ranked: std::collections::BTreeSet::new(),
        }
    }

    /// Adds or removes the node at pre-order position `at`.
    fn change(&mut self, at: u32, add: bool) {
        let c = self.category[at as usize];
        if c == NO_CATEGORY {
            return;
        }
        let k = &mut self.count[c as usize];
        if *k > 0 {
            self.ranked.remove(&(std::cmp::Reverse(*k), c));
        }
        if add {
            *k += 1;
        } else {
            *k -= 1;
        }
        if *k > 0 {
            self.ranked.insert((std::cmp::Reverse(*k), c));
        }
    }

    /// Adds the nodes at pre-order positions `from..to`.
    fn add_all(&mut self, from: usize, to: usize) {
        for at in from..to {
            self.change(at as u32, true);
        }
    }

    /// Removes the nodes at pre-order positions `from..to`.
    fn remove_all(&mut self, from: usize, to: usize) {
        for at in from..to {
            self.change(at as u32, false);
        }
    }

    fn counts(&self, top: usize) -> CategoryCounts {
        CategoryCounts {
            top: self
                .ranked
                .iter()
                .take(top)
                .map(|&(k, c)| (c, k.0))
                .collect(),
            distinct: self.ranked.len(),
        }
    }
}

/// A node without a category in [`CutStructure::cut_off_counts`].
pub const NO_CATEGORY: u32 = u32::MAX;

impl CutStructure {
    /// The end of `bridges[i]` on its cut-off side.
    pub fn bridge_cut_off_end(&self, i: usize) -> u32 {
        let (child, subtree_side) = self.bridge_side[i];
        if subtree_side {
            return child;
        }
        let (a, b) = self.bridges[i];
        if a == child {
            b
        } else {
            a
        }
    }

    /// The DFS children of `v`, in pre-order.
    fn children(&self, v: u32) -> impl Iterator<Item = u32> + '_ {
        let (s, e) = self.subtree_range(v);
        let mut at = s + 1;
        std::iter::from_fn(move || {
            if at >= e {
                return None;
            }
            let c = self.order[at];
            at += self.sub[c as usize] as usize;
            Some(c)
        })
    }

    /// For every bridge and every articulation point, what its cut-off part
    /// holds by category: `category[v]` is node `v`'s category (below
    /// `categories`, or [`NO_CATEGORY`]), and each part keeps its `top` most
    /// frequent categories (see [`CategoryCounts`]). Returns the counts of
    /// `bridges` and of `articulation_points`, in their order.
    ///
    /// Listing each part's nodes would take time proportional to the sum of
    /// the parts' sizes, the square of the size on a chain of organisations
    /// (a path of 100,000 took a minute). Here every part is either a DFS
    /// subtree (or a union of sibling subtrees), counted by merging smaller
    /// subtrees into larger ones (the "small to large" technique: each node
    /// is counted `O(log n)` times), or the rest of its component beside a
    /// subtree larger than half of it; those larger subtrees are nested in
    /// one another, so the rests are counted by walking down the chain they
    /// form, each node counted once. Counts are kept ordered in a B-tree:
    /// `O(n log² n)` in all. A part that is neither (the rest beside a
    /// subtree of at most half the component: a root's, or a node's whose
    /// every part is at most half) is counted node by node.
    pub fn cut_off_counts(
        &self,
        category: &[u32],
        categories: usize,
        top: usize,
    ) -> (Vec<CategoryCounts>, Vec<CategoryCounts>) {
        let mut bridge_out = vec![CategoryCounts::default(); self.bridges.len()];
        let mut ap_out = vec![CategoryCounts::default(); self.articulation_points.len()];
        let n = self.pos.len();
        // Queries on subtrees: bridges whose cut-off is the child's subtree.
        let mut subtree_bridges: Vec<Vec<u32>> = Vec::new();
        let mut subtree_bridge_of = vec![UNSEEN; n];
        // Queries on the rest beside a subtree: (excluded subtree's root, a
        // single node also excluded or UNSEEN, bridge (true) or articulation
        // point, index).
        let mut rests: Vec<(u32, u32, bool, u32)> = Vec::new();
        for (i, &(child, subtree_side)) in self.bridge_side.iter().enumerate() {
            if subtree_side {
                let slot = &mut subtree_bridge_of[child as usize];
                if *slot == UNSEEN {
                    *slot = subtree_bridges.len() as u32;
                    subtree_bridges.push(Vec::new());
                }
                subtree_bridges[*slot as usize].push(i as u32);
            } else {
                rests.push((child, UNSEEN, true, i as u32));
            }
        }
        // Articulation points whose cut-off is their separated children.
        let mut ap_of = vec![UNSEEN; n];
        for (i, &bulk) in self.ap_bulk.iter().enumerate() {
            let v = self.articulation_points[i];
            if bulk == UNSEEN {
                ap_of[v as usize] = i as u32;
            } else {
                rests.push((bulk, v, false, i as u32));
            }
        }

        // Each node's category at its pre-order position.
        let category: Vec<u32> = self.order.iter().map(|&v| category[v as usize]).collect();
        let category = &category[..];
        // Small to large over each component's DFS tree, iteratively:
        // frames (node, keep its tally, children done).
        let mut tally = Tally::new(category, categories);
        // For parts counted on their own; emptied after each.
        let mut scratch = Tally::new(category, categories);
        let mut stack: Vec<(u32, bool, bool)> = Vec::new();
        let mut start = 0usize;
        while start < n {
            let root = self.order[start];
            stack.push((root, false, false));
            while let Some((v, keep, done)) = stack.pop() {
                let heavy = self
                    .children(v)
                    .max_by_key(|&c| (self.sub[c as usize], std::cmp::Reverse(c)));
                if !done {
                    stack.push((v, keep, true));
                    if let Some(h) = heavy {
                        stack.push((h, true, false));
                    }
                    for c in self.children(v) {
                        if Some(c) != heavy {
                            stack.push((c, false, false));
                        }
                    }
                    continue;
                }
                // The tally holds the heavy child's subtree.
                let ap = ap_of[v as usize];
                let separated = |c: u32| {
                    ap != UNSEEN
                        && self
                            .separated_children(ap as usize)
                            .binary_search_by_key(&self.pos[c as usize], |&x| self.pos[x as usize])
                            .is_ok()
                };
                if ap != UNSEEN {
                    if heavy.is_some_and(separated) {
                        for c in self.children(v) {
                            if Some(c) != heavy && separated(c) {
                                let (s, e) = self.subtree_range(c);
                                tally.add_all(s, e);
                            }
                        }
                        ap_out[ap as usize] = tally.counts(top);
                        for c in self.children(v) {
                            if Some(c) != heavy && !separated(c) {
                                let (s, e) = self.subtree_range(c);
                                tally.add_all(s, e);
                            }
                        }
                    } else {
                        for c in self.children(v) {
                            if separated(c) {
                                let (s, e) = self.subtree_range(c);
                                scratch.add_all(s, e);
                            }
                        }
                        ap_out[ap as usize] = scratch.counts(top);
                        for c in self.children(v) {
                            if separated(c) {
                                let (s, e) = self.subtree_range(c);
                                scratch.remove_all(s, e);
                            }
                        }
                        for c in self.children(v) {
                            if Some(c) != heavy {
                                let (s, e) = self.subtree_range(c);
                                tally.add_all(s, e);
                            }
                        }
                    }
                } else {
                    for c in self.children(v) {
                        if Some(c) != heavy {
                            let (s, e) = self.subtree_range(c);
                            tally.add_all(s, e);
                        }
                    }
                }
                tally.change(self.pos[v as usize], true);
                // The tally now holds v's subtree.
                let slot = subtree_bridge_of[v as usize];
                if slot != UNSEEN {
                    let counts = tally.counts(top);
                    for &i in &subtree_bridges[slot as usize] {
                        bridge_out[i as usize] = counts.clone();
                    }
                }
                if !keep {
                    let (s, e) = self.subtree_range(v);
                    tally.remove_all(s, e);
                }
            }
            start += self.sub[root as usize] as usize;
        }

        // The rests beside subtrees larger than half their component, by
        // component and then down the chain; the others node by node.
        rests.sort_unstable_by_key(|r| {
            (
                self.comp_start[self.pos[r.0 as usize] as usize],
                self.pos[r.0 as usize],
            )
        });
        let mut put = |bridge: bool, i: u32, counts: CategoryCounts| {
            if bridge {
                bridge_out[i as usize] = counts;
            } else {
                ap_out[i as usize] = counts;
            }
        };
        let mut k = 0;
        while k < rests.len() {
            let (ks, ke) = self.component_range(rests[k].0);
            let size = ke - ks;
            let mut m = k;
            while m < rests.len() && self.component_range(rests[m].0).0 == ks {
                m += 1;
            }
            // The chain's tally is emptied by moving it out of the way: its
            // nodes are the component's, so clearing costs as much as filling.
            let mut chain = std::mem::replace(&mut tally, Tally::new(category, 0));
            // The subtree (start, end) whose rest the chain tally holds.
            let mut held: Option<(usize, usize)> = None;
            for &(x, single, bridge, i) in &rests[k..m] {
                let (s, e) = self.subtree_range(x);
                let nested = held.is_none_or(|(hs, he)| hs <= s && e <= he);
                if 2 * (e - s) > size && nested {
                    match held {
                        None => {
                            chain.add_all(ks, s);
                            chain.add_all(e, ke);
                        }
                        Some((hs, he)) => {
                            chain.add_all(hs, s);
                            chain.add_all(e, he);
                        }
                    }
                    held = Some((s, e));
                    if single != UNSEEN {
                        chain.change(self.pos[single as usize], false);
                    }
                    put(bridge, i, chain.counts(top));
                    if single != UNSEEN {
                        chain.change(self.pos[single as usize], true);
                    }
                } else {
                    scratch.add_all(ks, s);
                    scratch.add_all(e, ke);
                    if single != UNSEEN {
                        scratch.change(self.pos[single as usize], false);
                    }
                    put(bridge, i, scratch.counts(top));
                    if single != UNSEEN {
                        scratch.change(self.pos[single as usize], true);
                    }
                    scratch.remove_all(ks, s);
                    scratch.remove_all(e, ke);
                }
            }
            if let Some((hs, he)) = held {
                chain.remove_all(ks, hs);
                chain.remove_all(he, ke);
            }
            tally = chain;
            k = m;
        }
        (bridge_out, ap_out)
    }
}

/// Finds every bridge and articulation point of `csr`, with the size of what
/// each would cut off, in `O(n + m)` time and memory.
///
/// Definitions (as in NetworkX's `bridges` and `articulation_points`): a
/// bridge is an edge whose removal increases the number of connected
/// components; an articulation point is a node whose removal does. Parallel
/// edges (which [`Csr`] keeps if given) are not bridges. Isolated nodes and
/// the empty graph have none of either.
///
/// A DFS tree edge `(p, c)` is a bridge iff `low(c) > pre(p)`; a non-root
/// node `v` is an articulation point iff some child `c` has
/// `low(c) >= pre(v)`, and a root iff it has two or more children
/// (Hopcroft & Tarjan 1973). The subtree sizes of those children give the
/// sizes of the parts.
///
/// ```
/// use partnernet::algo::{bridges::cut_structure, Csr};
/// // Two triangles {0,1,2} and {3,4,5} joined by the edge 2-3, plus a tail 5-6.
/// let edges = [(0, 1), (1, 2), (0, 2), (2, 3), (3, 4), (4, 5), (3, 5), (5, 6)];
/// let csr = Csr::from_edges(7, edges.iter().map(|&(a, b)| (a, b, 1.0)));
/// let cut = cut_structure(&csr);
/// assert_eq!(cut.bridges, vec![(2, 3), (5, 6)]);
/// assert_eq!(cut.bridge_cut_off, vec![3, 1]);
/// assert_eq!(cut.bridge_cut_off_nodes(0), vec![0, 1, 2]);
/// assert_eq!(cut.articulation_points, vec![2, 3, 5]);
/// assert_eq!(cut.articulation_cut_off, vec![2, 3, 1]);
/// assert_eq!(cut.articulation_cut_off_nodes(2), vec![6]);
/// ```
pub fn cut_structure(csr: &Csr) -> CutStructure {
    let n = csr.node_count();
    if n == 0 {
        return CutStructure {
            ap_child_start: vec![0],
            ..CutStructure::default()
        };
    }
    let mut pos = vec![UNSEEN; n];
    let mut low = vec![0u32; n];
    let mut parent = vec![UNSEEN; n];
    let mut sub = vec![1u32; n];
    let mut comp_start = vec![0u32; n];
    let mut order: Vec<u32> = Vec::with_capacity(n);
    // Per node: total size of separated child subtrees, the largest of them
    // and the child holding it.
    let mut sep_sum = vec![0u32; n];
    let mut sep_max = vec![0u32; n];
    let mut sep_max_child = vec![UNSEEN; n];
    let mut bridge_children: Vec<u32> = Vec::new();
    // (articulation candidate, separated child) pairs, in search order.
    let mut separations: Vec<(u32, u32)> = Vec::new();

    struct Frame {
        v: u32,
        next: u32,
        parent_edge_skipped: bool,
    }
    let mut stack: Vec<Frame> = Vec::new();

    for root in 0..n {
        if pos[root] != UNSEEN {
            continue;
        }
        let start = order.len() as u32;
        pos[root] = start;
        low[root] = start;
        comp_start[start as usize] = start;
        order.push(root as u32);
        stack.push(Frame {
            v: root as u32,
            next: 0,
            parent_edge_skipped: true,
        });
        while let Some(top) = stack.last_mut() {
            let v = top.v as usize;
            let nbrs = csr.neighbors(v);
            if let Some(&w) = nbrs.get(top.next as usize) {
                top.next += 1;
                let wu = w as usize;
                if pos[wu] == UNSEEN {
                    let p = order.len() as u32;
                    pos[wu] = p;
                    low[wu] = p;
                    comp_start[p as usize] = start;
                    parent[wu] = v as u32;
                    order.push(w);
                    stack.push(Frame {
                        v: w,
                        next: 0,
                        parent_edge_skipped: false,
                    });
                } else if w == parent[v] && !top.parent_edge_skipped {
                    // The tree edge back to the parent; a parallel copy is a real back edge.
                    top.parent_edge_skipped = true;
                } else if pos[wu] < low[v] {
                    low[v] = pos[wu];
                }
                continue;
            }
            stack.pop();
            let p = parent[v];
            if p == UNSEEN {
                continue;
            }
            let pu = p as usize;
            sub[pu] += sub[v];
            if low[v] < low[pu] {
                low[pu] = low[v];
            }
            if low[v] > pos[pu] {
                bridge_children.push(v as u32);
            }
            if low[v] >= pos[pu] {
                separations.push((p, v as u32));
                sep_sum[pu] += sub[v];
                if sub[v] > sep_max[pu] {
                    sep_max[pu] = sub[v];
                    sep_max_child[pu] = v as u32;
                }
            }
        }
    }

    // Bridges.
    // (bridge, cut-off size, (child endpoint, cut-off side is the child's subtree)).
    type BridgeRow = ((u32, u32), u32, (u32, bool));
    let mut bridge_rows: Vec<BridgeRow> = bridge_children
        .iter()
        .map(|&c| {
            let p = parent[c as usize];
            let comp = sub[order[comp_start[pos[c as usize] as usize] as usize] as usize];
            let below = sub[c as usize];
            let above = comp - below;
            let (size, subtree_side) = if below <= above {
                (below, true)
            } else {
                (above, false)
            };
            ((p.min(c), p.max(c)), size, (c, subtree_side))
        })
        .collect();
    bridge_rows.sort_unstable_by_key(|r| r.0);

    // Articulation points: nodes with a separated child, except roots with one child.
    let mut sep_count = vec![0u32; n];
    for &(v, _) in &separations {
        sep_count[v as usize] += 1;
    }
    let mut articulation_points = Vec::new();
    let mut articulation_cut_off = Vec::new();
    let mut ap_bulk = Vec::new();
    let mut ap_child_start = vec![0u32];
    let mut slot = vec![UNSEEN; n];
    let mut total = 0u32;
    for v in 0..n {
        let is_root = parent[v] == UNSEEN;
        let k = sep_count[v];
        if k == 0 || (is_root && k < 2) {
            continue;
        }
        let comp = sub[order[comp_start[pos[v] as usize] as usize] as usize];
        let upper = comp - 1 - sep_sum[v];
        let (cut, bulk) = if !is_root && upper >= sep_max[v] {
            (sep_sum[v], UNSEEN)
        } else {
            (comp - 1 - sep_max[v], sep_max_child[v])
        };
        slot[v] = articulation_points.len() as u32;
        articulation_points.push(v as u32);
        articulation_cut_off.push(cut);
        ap_bulk.push(bulk);
        total += k;
        ap_child_start.push(total);
    }
    let mut ap_children = vec![0u32; total as usize];
    let mut fill: Vec<u32> = ap_child_start[..ap_child_start.len() - 1].to_vec();
    // Children must be in pre-order for `articulation_parts`; separations are
    // recorded in post-order of the children, so sort each run afterwards.
    for &(v, c) in &separations {
        let s = slot[v as usize];
        if s != UNSEEN {
            let f = &mut fill[s as usize];
            ap_children[*f as usize] = c;
            *f += 1;
        }
    }
    for w in ap_child_start.windows(2) {
        ap_children[w[0] as usize..w[1] as usize].sort_unstable_by_key(|&c| pos[c as usize]);
    }

    CutStructure {
        bridges: bridge_rows.iter().map(|r| r.0).collect(),
        bridge_cut_off: bridge_rows.iter().map(|r| r.1).collect(),
        bridge_side: bridge_rows.iter().map(|r| r.2).collect(),
        articulation_points,
        articulation_cut_off,
        order,
        pos,
        sub,
        comp_start,
        ap_bulk,
        ap_child_start,
        ap_children,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(n: usize, edges: &[(u32, u32)]) -> Csr {
        Csr::from_edges(n, edges.iter().map(|&(a, b)| (a, b, 1.0)))
    }

    /// Reference by brute force: remove each edge / node and count components.
    fn components(
        n: usize,
        edges: &[(u32, u32)],
        skip_edge: Option<usize>,
        skip_node: Option<u32>,
    ) -> Vec<Vec<u32>> {
        let mut adj = vec![Vec::new(); n];
        for (i, &(a, b)) in edges.iter().enumerate() {
            if Some(i) == skip_edge || Some(a) == skip_node || Some(b) == skip_node || a == b {
                continue;
            }
            adj[a as usize].push(b);
            adj[b as usize].push(a);
        }
        let mut seen = vec![false; n];
        let mut out = Vec::new();
        for s in 0..n as u32 {
            if seen[s as usize] || Some(s) == skip_node {
                continue;
            }
            seen[s as usize] = true;
            let mut comp = vec![s];
            let mut i = 0;
            while i < comp.len() {
                let v = comp[i];
                i += 1;
                for &w in &adj[v as usize] {
                    if !seen[w as usize] {
                        seen[w as usize] = true;
                        comp.push(w);
                    }
                }
            }
            comp.sort_unstable();
            out.push(comp);
        }
        out
    }

    fn check_against_brute_force(n: usize, edges: &[(u32, u32)]) {
        let csr = graph(n, edges);
        let cut = cut_structure(&csr);
        let base = components(n, edges, None, None);
        let comp_of = |v: u32| base.iter().find(|c| c.contains(&v)).unwrap().clone();

        let mut expect_bridges = Vec::new();
        for (i, &(a, b)) in edges.iter().enumerate() {
            let after = components(n, edges, Some(i), None);
            if after.len() > base.len() {
                expect_bridges.push((a.min(b), a.max(b)));
            }
        }
        expect_bridges.sort_unstable();
        assert_eq!(cut.bridges, expect_bridges, "bridges of {edges:?}");
        for (i, &(a, b)) in cut.bridges.iter().enumerate() {
            let idx = edges
                .iter()
                .position(|&(x, y)| (x.min(y), x.max(y)) == (a, b))
                .unwrap();
            let after = components(n, edges, Some(idx), None);
            let sa = after.iter().find(|c| c.contains(&a)).unwrap();
            let sb = after.iter().find(|c| c.contains(&b)).unwrap();
            let smaller = sa.len().min(sb.len());
            assert_eq!(cut.bridge_cut_off[i] as usize, smaller);
            let mut nodes = cut.bridge_cut_off_nodes(i);
            nodes.sort_unstable();
            assert!(nodes == *sa || nodes == *sb, "bridge side {nodes:?}");
            // Tie rule: the side without the component's smallest node.
            let root = comp_of(a)[0];
            if sa.len() == sb.len() {
                assert!(!nodes.contains(&root));
            }
        }

        let mut expect_aps = Vec::new();
        for v in 0..n as u32 {
            let after = components(n, edges, None, Some(v));
            if after.len() > base.len() {
                expect_aps.push(v);
            }
        }
        assert_eq!(
            cut.articulation_points, expect_aps,
            "articulation points of {edges:?}"
        );
        for (i, &v) in cut.articulation_points.iter().enumerate() {
            let comp = comp_of(v);
            let after = components(n, edges, None, Some(v));
            let mut parts: Vec<Vec<u32>> =
                after.into_iter().filter(|c| comp.contains(&c[0])).collect();
            let largest = parts.iter().map(|p| p.len()).max().unwrap();
            assert_eq!(
                cut.articulation_cut_off[i] as usize,
                comp.len() - 1 - largest
            );
            let mut off = cut.articulation_cut_off_nodes(i);
            off.sort_unstable();
            assert_eq!(off.len(), cut.articulation_cut_off[i] as usize);
            // The cut-off nodes are everything but one largest part.
            let mut rest: Vec<u32> = comp
                .iter()
                .copied()
                .filter(|&x| x != v && !off.contains(&x))
                .collect();
            rest.sort_unstable();
            assert!(
                parts.contains(&rest),
                "bulk of {v}: {rest:?} not a part of {parts:?}"
            );
            assert_eq!(rest.len(), largest);
            let mut got: Vec<Vec<u32>> = cut
                .articulation_parts(i)
                .into_iter()
                .map(|mut p| {
                    p.sort_unstable();
                    p
                })
                .collect();
            assert_eq!(got[0], rest);
            got.sort();
            parts.sort();
            assert_eq!(got, parts);
        }
        for v in 0..n as u32 {
            assert_eq!(cut.component_size(v) as usize, comp_of(v).len());
        }
    }

    #[test]
    fn empty_and_single_node() {
        let cut = cut_structure(&Csr::from_edges(0, []));
        assert!(cut.bridges.is_empty() && cut.articulation_points.is_empty());
        assert!(cut.bridge_cut_off_nodes(0).is_empty());
        assert!(cut.articulation_cut_off_nodes(0).is_empty());
        assert!(cut.articulation_parts(0).is_empty());
        assert_eq!(cut.component_size(0), 0);
        let cut = cut_structure(&Csr::from_edges(1, []));
        assert!(cut.bridges.is_empty() && cut.articulation_points.is_empty());
        assert_eq!(cut.component_size(0), 1);
    }

    #[test]
    fn path_star_cycle() {
        // Path 0-1-2-3-4: every edge a bridge, inner nodes cut.
        let cut = cut_structure(&graph(5, &[(0, 1), (1, 2), (2, 3), (3, 4)]));
        assert_eq!(cut.bridges, vec![(0, 1), (1, 2), (2, 3), (3, 4)]);
        assert_eq!(cut.bridge_cut_off, vec![1, 2, 2, 1]);
        assert_eq!(cut.articulation_points, vec![1, 2, 3]);
        assert_eq!(cut.articulation_cut_off, vec![1, 2, 1]);
        assert_eq!(cut.articulation_cut_off_nodes(0), vec![0]);
        assert_eq!(cut.articulation_cut_off_nodes(2), vec![4]);
        // Star centred on 0 with 4 leaves.
        let cut = cut_structure(&graph(5, &[(0, 1), (0, 2), (0, 3), (0, 4)]));
        assert_eq!(cut.bridges.len(), 4);
        assert_eq!(cut.articulation_points, vec![0]);
        assert_eq!(cut.articulation_cut_off, vec![3]);
        assert_eq!(cut.articulation_cut_off_nodes(0), vec![2, 3, 4]);
        // A cycle has neither.
        let cut = cut_structure(&graph(5, &[(0, 1), (1, 2), (2, 3), (3, 4), (4, 0)]));
        assert!(cut.bridges.is_empty() && cut.articulation_points.is_empty());
    }

    #[test]
    fn parallel_edges_are_not_bridges() {
        let cut = cut_structure(&graph(3, &[(0, 1), (0, 1), (1, 2)]));
        assert_eq!(cut.bridges, vec![(1, 2)]);
        assert_eq!(cut.articulation_points, vec![1]);
    }

    #[test]
    fn agrees_with_brute_force_on_small_graphs() {
        check_against_brute_force(
            7,
            &[
                (0, 1),
                (1, 2),
                (0, 2),
                (2, 3),
                (3, 4),
                (4, 5),
                (3, 5),
                (5, 6),
            ],
        );
        // A bridge whose smaller side holds the root; two components; isolated node.
        check_against_brute_force(
            11,
            &[
                (0, 1),
                (1, 2),
                (2, 3),
                (3, 4),
                (4, 2),
                (3, 5),
                (5, 6),
                (6, 4),
                (7, 8),
                (8, 9),
                (9, 7),
            ],
        );
        // Equal halves.
        check_against_brute_force(4, &[(0, 1), (1, 2), (2, 3)]);
        check_against_brute_force(6, &[(0, 1), (1, 2), (2, 0), (2, 3), (3, 4), (4, 5), (5, 3)]);
        // Pseudo-random sparse graphs.
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for trial in 0..300 {
            let n = 2 + (trial % 14) as u32;
            let m = (next() % (2 * n as u64)) as usize;
            let mut edges: Vec<(u32, u32)> = Vec::new();
            for _ in 0..m {
                let a = (next() % n as u64) as u32;
                let b = (next() % n as u64) as u32;
                let key = (a.min(b), a.max(b));
                if a != b && !edges.iter().any(|&(x, y)| (x.min(y), x.max(y)) == key) {
                    edges.push((a, b));
                }
            }
            check_against_brute_force(n as usize, &edges);
        }
    }

    #[test]
    fn million_node_path_does_not_overflow() {
        let n = 1_000_000u32;
        let csr = Csr::from_edges(n as usize, (0..n - 1).map(|i| (i, i + 1, 1.0)));
        let cut = cut_structure(&csr);
        assert_eq!(cut.bridges.len(), (n - 1) as usize);
        assert_eq!(cut.articulation_points.len(), (n - 2) as usize);
        assert_eq!(cut.bridges[0], (0, 1));
        assert_eq!(cut.bridge_cut_off[0], 1);
        let mid = (n / 2) as usize;
        assert_eq!(cut.bridge_cut_off[mid - 1], n / 2);
        assert_eq!(cut.articulation_cut_off[0], 1);
        assert_eq!(cut.articulation_cut_off_nodes(0), vec![0]);
        assert_eq!(cut.articulation_cut_off[(n - 3) as usize], 1);
        assert_eq!(
            cut.articulation_cut_off_nodes((n - 3) as usize),
            vec![n - 1]
        );
    }

    /// The counts of each cut-off part by listing its nodes.
    fn counts_by_listing(nodes: &[u32], category: &[u32], top: usize) -> CategoryCounts {
        let mut count: std::collections::BTreeMap<u32, u32> = std::collections::BTreeMap::new();
        for &v in nodes {
            if category[v as usize] != NO_CATEGORY {
                *count.entry(category[v as usize]).or_default() += 1;
            }
        }
        let mut ranked: Vec<(u32, u32)> = count.into_iter().collect();
        let distinct = ranked.len();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.truncate(top);
        CategoryCounts {
            top: ranked.into(),
            distinct,
        }
    }

    #[test]
    fn cut_off_counts_agree_with_listing_the_parts() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for trial in 0..400 {
            let n = 2 + (trial % 40) as u32;
            // Sparse graphs: trees with a few extra edges, paths, stars.
            let mut edges: Vec<(u32, u32)> = Vec::new();
            for v in 1..n {
                let parent = match trial % 3 {
                    0 => v - 1,
                    1 => (next() % v as u64) as u32,
                    _ => 0,
                };
                if next() % 10 != 0 {
                    edges.push((parent, v));
                }
            }
            for _ in 0..(next() % 4) {
                let (a, b) = ((next() % n as u64) as u32, (next() % n as u64) as u32);
                if a != b {
                    edges.push((a, b));
                }
            }
            let csr = graph(n as usize, &edges);
            let cut = cut_structure(&csr);
            let categories = 1 + (next() % 5) as usize;
            let category: Vec<u32> = (0..n)
                .map(|_| match next() % (categories as u64 + 1) {
                    k if k == categories as u64 => NO_CATEGORY,
                    k => k as u32,
                })
                .collect();
            let top = 1 + (trial % 3) as usize;
            let (bridges, aps) = cut.cut_off_counts(&category, categories, top);
            assert_eq!(bridges.len(), cut.bridges.len());
            for (i, counts) in bridges.iter().enumerate() {
                let nodes = cut.bridge_cut_off_nodes(i);
                assert_eq!(
                    *counts,
                    counts_by_listing(&nodes, &category, top),
                    "trial {trial} bridge {i}"
                );
                assert!(nodes.contains(&cut.bridge_cut_off_end(i)));
            }
            assert_eq!(aps.len(), cut.articulation_points.len());
            for (i, counts) in aps.iter().enumerate() {
                let nodes = cut.articulation_cut_off_nodes(i);
                assert_eq!(
                    *counts,
                    counts_by_listing(&nodes, &category, top),
                    "trial {trial} point {i}"
                );
            }
        }
    }
}
