//! partnernet: the Wikimedia movement's content-partnership network, from
//! interview data to clusters, bridges, brokers and explained outreach leads.

pub mod algo;
