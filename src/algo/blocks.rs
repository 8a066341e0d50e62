//! Biconnected components (*blocks*) with the *reach* of each of their
//! nodes, for the block decomposition of betweenness centrality.
//!
//! A block is a maximal connected subgraph without an articulation point;
//! every edge lies in exactly one block, two blocks share at most one node
//! (an articulation point), and a bridge is a block of two nodes. The blocks
//! come out of one depth-first search with Hopcroft–Tarjan low-link values
//! (Hopcroft & Tarjan 1973, "Algorithm 447: efficient algorithms for graph
//! manipulation", CACM 16(6)), here with an explicit stack, so a path of
//! millions of nodes does not overflow the call stack.
//!
//! The reach `r_B(u)` of a node `u` of block `B` is the number of nodes of
//! `u`'s connected component that are connected to `u` without using an edge
//! of `B`, `u` itself included (Puzis, Zilberman, Elovici, Dolev, Brandes
//! 2012, "Heuristics for speeding up betweenness centrality computation";
//! Sariyüce, Saule, Kaya, Çatalyürek 2013, "Shattering and compressing
//! networks for betweenness centrality"). It is 1 for a node in no other
//! block, and the reaches of a block's nodes add up to the size of its
//! component: every node of the component hangs off exactly one node of
//! each block.
//!
//! ```
//! use partnernet::algo::blocks::blocks;
//! use partnernet::algo::Csr;
//! // A triangle 0-1-2 with a tail 2-3-4.
//! let g = Csr::from_edges(5, [(0, 1, 1.0), (1, 2, 1.0), (0, 2, 1.0), (2, 3, 1.0), (3, 4, 1.0)]);
//! let b = blocks(&g);
//! assert_eq!(b.len(), 3);
//! // The triangle: node 2 carries itself and the tail.
//! let tri = (0..3).find(|&i| b.nodes(i).len() == 3).unwrap();
//! let mut pairs: Vec<(u32, u32)> = b.nodes(tri).iter().copied().zip(b.reaches(tri).iter().copied()).collect();
//! pairs.sort();
//! assert_eq!(pairs, vec![(0, 1), (1, 1), (2, 3)]);
//! assert_eq!(b.component_size(2), 5);
//! ```

use super::Csr;

const UNSEEN: u32 = u32::MAX;

/// The blocks of an undirected graph with the reach of each of their nodes.
/// Built by [`blocks`]. Isolated nodes belong to no block.
#[derive(Debug, Clone, Default)]
pub struct Blocks {
    /// Nodes of block `i`: `nodes[start[i]..start[i + 1]]`; the first is the
    /// block's head (the node the search entered it from).
    nodes: Vec<u32>,
    /// `reach[k]`: the reach of `nodes[k]` in its block.
    reach: Vec<u32>,
    start: Vec<usize>,
    /// For each node, the block in which it is not the head (`UNSEEN` for
    /// roots of the search and isolated nodes). An edge lies in the block of
    /// its endpoint found later by the search.
    own_block: Vec<u32>,
    /// Discovery time of each node (`UNSEEN` for isolated nodes).
    disc: Vec<u32>,
    /// Size of each node's connected component.
    comp_size: Vec<u32>,
}

impl Blocks {
    /// Number of blocks.
    pub fn len(&self) -> usize {
        self.start.len().saturating_sub(1)
    }

    /// Whether there is no block (no edge).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Nodes of block `i`, its head first.
    pub fn nodes(&self, i: usize) -> &[u32] {
        &self.nodes[self.start[i]..self.start[i + 1]]
    }

    /// Reaches of the nodes of block `i`, in the order of [`Blocks::nodes`].
    pub fn reaches(&self, i: usize) -> &[u32] {
        &self.reach[self.start[i]..self.start[i + 1]]
    }

    /// Size of the connected component of node `v`.
    pub fn component_size(&self, v: u32) -> u32 {
        self.comp_size[v as usize]
    }

    /// The block holding the edge `{u, v}` (which must be an edge).
    pub fn block_of_edge(&self, u: u32, v: u32) -> usize {
        let deeper = if self.disc[u as usize] > self.disc[v as usize] {
            u
        } else {
            v
        };
        self.own_block[deeper as usize] as usize
    }
}

/// The blocks of `csr` and the reach of every node in each of its blocks, in
/// `O(n + m)` time. Components are searched in order of their smallest node,
/// each from that node, so the result depends only on the graph.
pub fn blocks(csr: &Csr) -> Blocks {
    let n = csr.node_count();
    let mut disc = vec![UNSEEN; n];
    let mut low = vec![0u32; n];
    let mut sub = vec![0u32; n];
    let mut hang = vec![0u32; n];
    let mut parent = vec![UNSEEN; n];
    let mut own_block = vec![UNSEEN; n];
    let mut comp_size = vec![0u32; n];
    let mut out = Blocks {
        start: vec![0],
        ..Blocks::default()
    };
    // Per block: its head and the size of the DFS subtree below its head.
    let mut heads: Vec<(u32, u32)> = Vec::new();
    let mut call: Vec<(u32, usize)> = Vec::new();
    let mut vstack: Vec<u32> = Vec::new();
    let mut time = 0u32;
    for root in 0..n {
        if disc[root] != UNSEEN || csr.degree(root) == 0 {
            continue;
        }
        let first_block = heads.len();
        let first_node = time;
        disc[root] = time;
        low[root] = time;
        time += 1;
        sub[root] = 1;
        call.push((root as u32, 0));
        while let Some(top) = call.last_mut() {
            let v = top.0 as usize;
            let nbrs = csr.neighbors(v);
            if top.1 < nbrs.len() {
                let w = nbrs[top.1] as usize;
                top.1 += 1;
                if disc[w] == UNSEEN {
                    parent[w] = v as u32;
                    disc[w] = time;
                    low[w] = time;
                    time += 1;
                    sub[w] = 1;
                    vstack.push(w as u32);
                    call.push((w as u32, 0));
                } else if w as u32 != parent[v] {
                    low[v] = low[v].min(disc[w]);
                }
                continue;
            }
            call.pop();
            let Some(&(u, _)) = call.last() else {
                break;
            };
            let u = u as usize;
            low[u] = low[u].min(low[v]);
            sub[u] += sub[v];
            if low[v] >= disc[u] {
                // `u` heads a block: the nodes above `v` on the stack, and `v`.
                let b = heads.len() as u32;
                out.nodes.push(u as u32);
                out.reach.push(0); // the head's reach, set below
                loop {
                    let x = vstack.pop().expect("v is on the stack");
                    own_block[x as usize] = b;
                    out.nodes.push(x);
                    out.reach.push(1 + hang[x as usize]);
                    if x as usize == v {
                        break;
                    }
                }
                out.start.push(out.nodes.len());
                heads.push((u as u32, sub[v]));
                hang[u] += sub[v];
            }
        }
        let size = time - first_node;
        for (b, &(_, below)) in heads.iter().enumerate().skip(first_block) {
            out.reach[out.start[b]] = size - below;
            for &x in &out.nodes[out.start[b]..out.start[b + 1]] {
                comp_size[x as usize] = size;
            }
        }
    }
    out.own_block = own_block;
    out.disc = disc;
    out.comp_size = comp_size;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_isolated() {
        assert!(blocks(&Csr::from_edges(0, [])).is_empty());
        let b = blocks(&Csr::from_edges(3, []));
        assert!(b.is_empty());
        let b = blocks(&Csr::from_edges(3, [(0, 2, 1.0)]));
        assert_eq!(b.len(), 1);
        assert_eq!(b.nodes(0), &[0, 2]);
        assert_eq!(b.reaches(0), &[1, 1]);
        assert_eq!(b.block_of_edge(2, 0), 0);
    }

    #[test]
    fn reaches_add_up_to_the_component() {
        // Two triangles sharing node 2, a tail 4-5-6 off node 4, a separate
        // square 7-8-9-10 with a pendant 11, and an isolated node 12.
        let edges = [
            (0, 1),
            (1, 2),
            (0, 2),
            (2, 3),
            (3, 4),
            (2, 4),
            (4, 5),
            (5, 6),
            (7, 8),
            (8, 9),
            (9, 10),
            (10, 7),
            (9, 11),
        ];
        let g = Csr::from_edges(13, edges.iter().map(|&(a, b)| (a, b, 1.0)));
        let b = blocks(&g);
        assert_eq!(b.len(), 6);
        for i in 0..b.len() {
            let total: u32 = b.reaches(i).iter().sum();
            assert_eq!(total, b.component_size(b.nodes(i)[0]));
        }
        for &(x, y) in &edges {
            let blk = b.block_of_edge(x, y);
            assert!(b.nodes(blk).contains(&x) && b.nodes(blk).contains(&y));
        }
        assert_eq!(b.component_size(6), 7);
        assert_eq!(b.component_size(11), 5);
    }
}
