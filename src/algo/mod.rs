//! Graph algorithms as plain functions over a compact graph ([`Csr`]) built
//! from the model's petgraph tie graph. They know nothing of organisations or
//! files: the analyses in [`crate::analysis`] give their results meaning.

pub mod betweenness;
pub mod blocks;
pub mod bridges;
pub mod brokerage;
pub mod components;
pub mod csr;
pub mod leiden;
pub mod modularity;
mod msbfs;

pub use csr::Csr;
