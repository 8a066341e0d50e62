//! Analyses: each a function from the [`Model`](crate::model::Model) to its
//! result type. Analyses compute; they never write files.

pub mod brokers;
pub mod changes;
pub mod clusters;
pub mod components;
pub mod data_quality;
pub mod leads;
pub mod opportunities;
pub mod overview;
pub mod views;
