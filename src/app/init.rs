//! `partnernet init`: an empty dataset with headers, one commented example
//! row per file, and a `partnernet.toml` listing every setting.

use std::path::Path;

use anyhow::{bail, Context};

use crate::config::CONFIG_FILE;
use crate::ingest::{INTERVIEWS, ORGANISATIONS, RELATIONS};

/// The files `init` writes, with their contents.
pub fn templates() -> Vec<(&'static str, String)> {
    vec![
        (
            ORGANISATIONS,
            "id,name,kind,country,region,wikidata,aliases,digitisation\n\
             # Lines starting with # are comments. One row per affiliate or institution, for example:\n\
             # wm-example,Wikimedia Example,affiliate,SE,,,WMEX;Wikimedia Example Chapter,\n\
             # example-museum,Example Museum,museum,SE,,Q123456,The Example Museum,started\n"
                .to_string(),
        ),
        (
            RELATIONS,
            "source,target,kind,date,interview,weight,note\n\
             # One row per relation; source and target are ids, names or aliases. For example:\n\
             # wm-example,Example Museum,partner,2024-05-17,int-2024-01,2,monthly upload days\n"
                .to_string(),
        ),
        (
            INTERVIEWS,
            "id,date,affiliate,needs,offers,notes\n\
             # One row per interview; needs and offers are ;-separated tags. For example:\n\
             # int-2024-01,2024-05-17,wm-example,mass-upload;copyright,training,wants a scanner for the regional archive\n"
                .to_string(),
        ),
        (CONFIG_FILE, CONFIG_TEMPLATE.to_string()),
        ("notes/TEMPLATE.md.txt", NOTE_TEMPLATE.to_string()),
    ]
}

/// A note that follows the questionnaire, for interviewers to copy (as
/// `notes/<something>.md`; the template's own name ends in `.txt`, so it is
/// not read as an interview).
pub const NOTE_TEMPLATE: &str = r#"---
affiliate: wm-example
date: 2024-05-17
interviewer: Your name
needs: [mass-upload, copyright]
offers: [training]
---
Copy this file to a name ending in .md (or write the same in wikitext, with
== Headings == and a .wiki name). Organisations are mentioned as wiki links:
[[Example Museum]] or [[example-museum|the museum]]; a plain name is not a
mention. The heading a mention stands under says what kind of relation it is.

## Do you work with content partnerships today?
Ongoing partners and collaborations: [[Example Museum]] ...
digitisation: [[Example Museum]] started

## Reflections and experiences from earlier collaborations
Earlier partners: ...

## What is your normal work process in collaborations with partners?

## What are your desired content partnerships in the future?
Partners we would like to work with: ...

## What are your needs for a successful work with partners?
needs: hardware; scanning

## Do you know of someone in your network who would be interested in this kind of collaboration too?
Referrals: ...

## Do you collaborate with other chapters and affiliates, regionally and globally?
Affiliates we work with: ...
"#;

/// `partnernet.toml` as `init` writes it: every setting, commented out, at
/// its default.
pub const CONFIG_TEMPLATE: &str = r#"# partnernet settings. Every setting is optional; remove the # to change one.

[analysis]
# The seed for every randomised step. The same data and seed give the same
# outputs, byte for byte.
# seed = 42
# Components with at most this many organisations are listed as small groups.
# small_component = 3

[clusters]
# What the clustering maximises: "modularity" (groups with more ties inside
# than chance would give) or "cpm" (groups whose tie density is above the
# resolution).
# objective = "modularity"
# Higher values give more, smaller clusters.
# resolution = 1.0
# How many runs, each with its own seed, measure how sure each placement is;
# 0 is automatic: 10, or 3 above 200,000 organisations.
# runs = 0
# At most this many rounds of the algorithm; 0 is automatic: until a round
# changes nothing, or at most 3 rounds above 50,000 organisations (much
# faster there, and almost no loss of quality).
# max_iterations = 0

[brokers]
# Betweenness is exact up to this many organisations, and estimated from
# sampled organisations above it.
# exact_betweenness_up_to = 20000
# How many sampled organisations the estimate uses; 0 is automatic: 256, or
# fewer (at least 16) so that the estimate walks at most 50 million ties.
# pivots = 0

[leads]
# A lead's score is a sum of parts, each with a weight; 0 leaves a part out.
# Per organisation that referred the lead (repeats by the same one count less).
# referrals = 1.0
# The standing of those who referred or want it: betweenness, active partners.
# standing = 1.0
# Per affiliate that wants the lead as a partner.
# desire = 1.0
# How recently it was mentioned.
# recency = 1.0
# Years after which a mention counts half.
# recency_half_life_years = 2.0
# How far its digitisation has come.
# digitisation = 0.5
# The kind of institution (museums, libraries, archives and galleries first).
# kind = 0.5
# Tying in a region with few ties.
# bridging = 0.5
# How many leads leads.md and the summary show.
# top = 25

[notes]
# Interview notes in notes/ are read under their headings: a heading that
# contains a keyword gives its mentions that relation kind. English keywords
# from the questionnaire are built in; add your own language's here.
# headings = {}
# For example, for notes in Swedish and Spanish:
#   headings = { "samarbetar med andra" = "collaborates", "socios actuales" = "partner" }

[input]
# How dates such as 12/03/2024 are read: "day-first" (12 March) or
# "month-first" (3 December). Dates written year first (2024-03-12) are
# always read.
# date_order = "day-first"
# The encoding of CSV files that are neither UTF-8 nor UTF-16, such as
# "windows-1250" for Central Europe. Excel's "CSV UTF-8" needs no setting.
# encoding = "windows-1252"

[vocabulary]
# Your own words for kinds, relation kinds, lead statuses and digitisation,
# each a table from word to meaning (a word partnernet already understands).
# English words and their usual synonyms are built in (chapter, user group,
# past partner, in talks...). For example, in Swedish:
#   kinds = { "kapitel" = "chapter", "användargrupp" = "user group", "bibliotek" = "library", "arkiv" = "archive" }
#   relation_kinds = { "partner" = "partner", "tidigare partner" = "past partner", "önskad" = "desired", "tips" = "referral", "samarbete" = "collaborates" }
#   statuses = { "ny" = "new", "kontaktad" = "contacted", "i samtal" = "in talks", "avböjd" = "declined", "kontakta inte" = "do not contact" }
#   digitisation = { "ingen" = "none", "planerad" = "planned", "påbörjad" = "started", "långt kommen" = "advanced" }
# kinds = {}
# relation_kinds = {}
# statuses = {}
# digitisation = {}
"#;

/// Writes an empty dataset into `dir`, creating it. Refuses to overwrite any
/// existing file.
pub fn init(dir: &Path) -> anyhow::Result<()> {
    let files = templates();
    for (name, _) in &files {
        let path = dir.join(name);
        if path.exists() {
            bail!("{} already exists; partnernet init never overwrites a file. Choose an empty folder", path.display());
        }
    }
    std::fs::create_dir_all(dir.join("notes"))
        .with_context(|| format!("cannot create {}", dir.display()))?;
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn template_lists_the_defaults() {
        // Uncomment the settings (lines "# key = value"; indented examples stay comments).
        let uncommented: String = CONFIG_TEMPLATE
            .lines()
            .map(|l| {
                l.strip_prefix("# ")
                    .filter(|r| r.contains(" = ") && !r.starts_with(' '))
                    .unwrap_or(l)
            })
            .collect::<Vec<_>>()
            .join("\n");
        let parsed: Config = toml::from_str(&uncommented).unwrap();
        assert_eq!(parsed, Config::default());
        let in_template = uncommented
            .lines()
            .filter(|l| !l.starts_with('#') && l.contains(" = "))
            .count();
        fn leaves(v: &toml::Value) -> usize {
            match v {
                toml::Value::Table(t) if !t.is_empty() => t.values().map(leaves).sum(),
                _ => 1,
            }
        }
        let defaults = toml::Value::try_from(Config::default()).unwrap();
        assert_eq!(
            in_template,
            leaves(&defaults),
            "every setting is in the template"
        );
    }
}
