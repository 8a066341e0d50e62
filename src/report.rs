//! The results of one `analyse` run: the model and every analysis of it.
//! Outputs read a [`Report`]; they compute nothing themselves.

use crate::analysis::brokers::Brokers;
use crate::analysis::changes::Changes;
use crate::analysis::clusters::Clustering;
use crate::analysis::components::Components;
use crate::analysis::data_quality::DataQuality;
use crate::analysis::leads::Leads;
use crate::analysis::opportunities::Opportunity;
use crate::analysis::overview::Overview;
use crate::analysis::views::Views;
use crate::model::Model;

/// Everything the outputs write about.
#[derive(Debug, Clone)]
pub struct Report {
    pub model: Model,
    pub overview: Overview,
    pub components: Components,
    pub clusters: Clustering,
    pub brokers: Brokers,
    pub leads: Leads,
    pub opportunities: Vec<Opportunity>,
    /// What each diagram shows.
    pub views: Views,
    pub data_quality: DataQuality,
    /// What changed since an earlier date (`analyse --since`), if asked.
    pub changes: Option<Changes>,
}
