//! The results of one `analyse` run: the model and every analysis of it.
//! Outputs read a [`Report`]; they compute nothing themselves.

use crate::analysis::brokers::Brokers;
use crate::analysis::changes::Changes;
use crate::analysis::clusters::Clustering;
use crate::analysis::cold_leads::ColdLeads;
use crate::analysis::components::Components;
use crate::analysis::data_quality::DataQuality;
use crate::analysis::leads::Leads;
use crate::analysis::opportunities::Opportunities;
use crate::analysis::overview::Overview;
use crate::analysis::views::Views;
use crate::layout::NetworkLayout;
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
    /// Institutions nobody has a relation with, in regions where affiliates are active.
    pub cold_leads: ColdLeads,
    /// Link, needs-offers and wish opportunities between affiliates.
    pub opportunities: Opportunities,
    /// What each diagram shows.
    pub views: Views,
    pub data_quality: DataQuality,
    /// What changed since an earlier date (`analyse --since`), if asked.
    pub changes: Option<Changes>,
    /// The network diagram as Graphviz laid it out (`analyse`'s `layout`
    /// stage): the diagrams output writes its pictures and `report.html`'s
    /// map its positions. `None` without Graphviz, or before that stage.
    pub network_layout: Option<NetworkLayout>,
}
