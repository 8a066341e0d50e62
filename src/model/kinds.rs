//! The closed vocabularies of the dataset: kinds of organisation, kinds of
//! relation, digitisation states.

use std::fmt;

macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

        impl $name {
            /// Every value, in the order the documentation lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value as written in the dataset.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Reads a value as written in the dataset; case, surrounding
            /// spaces and `-` for `_` are forgiven.
            pub fn parse(s: &str) -> Option<$name> {
                let s = s.trim().to_lowercase().replace('-', "_");
                match s.as_str() { $($text => Some($name::$variant),)+ _ => None }
            }

            /// The accepted values, for error messages.
            pub fn expected() -> String {
                [$($text),+].join(", ")
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocabulary! {
    /// What an organisation is.
    OrgKind {
        /// A Wikimedia affiliate: chapter, user group or thematic organisation.
        Affiliate => "affiliate",
        /// A hub of the movement (such as a content partnerships hub).
        Hub => "hub",
        Museum => "museum",
        Library => "library",
        Archive => "archive",
        Gallery => "gallery",
        University => "university",
        Research => "research",
        Government => "government",
        Media => "media",
        Company => "company",
        Ngo => "ngo",
        Other => "other",
        /// Named in a relation but missing from `organisations.csv`.
        Unknown => "unknown",
    }
}

impl OrgKind {
    /// Affiliates and hubs: the movement's own organisations.
    pub fn is_movement(self) -> bool {
        matches!(self, OrgKind::Affiliate | OrgKind::Hub)
    }

    /// The kinds a user may write in `organisations.csv` (all but `unknown`).
    pub fn expected_in_file() -> String {
        OrgKind::ALL
            .iter()
            .filter(|k| **k != OrgKind::Unknown)
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

vocabulary! {
    /// What a relation between two organisations says.
    RelationKind {
        /// An active partnership.
        Partner => "partner",
        /// A partnership that has ended.
        PastPartner => "past_partner",
        /// The source wants the target as a partner (an aspiration, not a tie).
        Desired => "desired",
        /// The source says the target would be interested.
        Referral => "referral",
        /// Two affiliates work together.
        Collaborates => "collaborates",
        /// The source is a member of the target.
        Member => "member",
        /// The two are in contact.
        Contact => "contact",
    }
}

impl RelationKind {
    /// Whether the relation is a tie of the tie graph (`desired` is not).
    pub fn is_tie(self) -> bool {
        self != RelationKind::Desired
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

vocabulary! {
    /// How far an institution's digitisation work has come (the questionnaire's
    /// "Have the institutions started their digitization work?").
    Digitisation {
        None => "none",
        Planned => "planned",
        Started => "started",
        Advanced => "advanced",
    }
}

vocabulary! {
    /// Where the hub's outreach to a lead stands (`lead-status.csv`).
    LeadState {
        New => "new",
        Contacted => "contacted",
        InTalks => "in_talks",
        Partner => "partner",
        Declined => "declined",
        DoNotContact => "do_not_contact",
    }
}

impl LeadState {
    /// Declined and do-not-contact organisations are never listed as leads.
    pub fn hides_lead(self) -> bool {
        matches!(self, LeadState::Declined | LeadState::DoNotContact)
    }
}

/// A set of relation kinds, kept on each tie.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct KindSet(u8);

impl KindSet {
    pub fn insert(&mut self, kind: RelationKind) {
        self.0 |= kind.bit();
    }

    pub fn contains(self, kind: RelationKind) -> bool {
        self.0 & kind.bit() != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The kinds in the set, in their documented order.
    pub fn iter(self) -> impl Iterator<Item = RelationKind> {
        RelationKind::ALL
            .iter()
            .copied()
            .filter(move |k| self.contains(*k))
    }
}

impl fmt::Display for KindSet {
    /// The kinds joined by `;`, as written in the output tables.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.iter().map(|k| k.as_str()).collect();
        f.write_str(&names.join(";"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabularies_forgive_case_and_dashes() {
        assert_eq!(
            RelationKind::parse(" Past-Partner "),
            Some(RelationKind::PastPartner)
        );
        assert_eq!(OrgKind::parse("MUSEUM"), Some(OrgKind::Museum));
        assert_eq!(OrgKind::parse("zoo"), None);
    }

    #[test]
    fn kind_sets_list_in_order() {
        let mut s = KindSet::default();
        s.insert(RelationKind::Referral);
        s.insert(RelationKind::Partner);
        assert_eq!(s.to_string(), "partner;referral");
    }
}
