//! partnernet: the Wikimedia movement's content-partnership network, from
//! interview data to clusters, bridges, brokers and explained outreach leads.
//!
//! Data flows one way: [`ingest`] reads a dataset folder into a
//! [`model::Dataset`]; [`model::Model`] adds the tie graph; the functions of
//! [`analysis`] compute results from the model into a [`report::Report`];
//! [`layout`] adds where Graphviz puts the network diagram's organisations;
//! [`output`] writes them. [`app`] runs the stages for the command line, and
//! [`generate`] makes synthetic movements for tests and benchmarks.

pub mod algo;
pub mod analysis;
pub mod app;
pub mod config;
pub mod error;
pub mod generate;
pub mod ingest;
pub mod layout;
pub mod model;
pub mod output;
pub mod report;
pub mod text;
