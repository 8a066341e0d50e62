//! Leads and collaboration opportunities through `partnernet analyse` and
//! `partnernet leads`, on datasets built for the purpose.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{partnernet, read_csv, TestDataset};

/// Three affiliates in one country, each with a partner museum; leads that
/// differ in one respect only.
fn movement(extra_orgs: &str, extra_relations: &str, extra_files: &[(&str, &[u8])]) -> TestDataset {
    let orgs = format!(
        "id,name,kind,country,digitisation\n\
         a1,Wikimedia One,affiliate,SE,\n\
         a2,Wikimedia Two,affiliate,SE,\n\
         a3,Wikimedia Three,affiliate,SE,\n\
         p1,Partner Museum One,museum,SE,started\n\
         p2,Partner Museum Two,museum,SE,started\n\
         p3,Partner Museum Three,museum,SE,started\n\
         {extra_orgs}"
    );
    let rels = format!(
        "source,target,kind,date\n\
         a1,p1,partner,2024-01-01\n\
         a2,p2,partner,2024-01-01\n\
         a3,p3,partner,2024-01-01\n\
         a1,a2,collaborates,2024-01-01\n\
         a2,a3,collaborates,2024-01-01\n\
         {extra_relations}"
    );
    let mut files: Vec<(&str, &[u8])> = vec![
        ("organisations.csv", orgs.as_bytes()),
        ("relations.csv", rels.as_bytes()),
    ];
    files.extend_from_slice(extra_files);
    TestDataset::new(&files)
}

fn analyse(ds: &TestDataset) -> Vec<BTreeMap<String, String>> {
    ds.analyse().success();
    read_csv(&ds.out().join("leads.csv"))
}

#[test]
fn three_distinct_referrers_outrank_one_and_three_from_one_count_less() {
    let ds = movement(
        "many,Referred By Three,archive,SE,started\nonce,Referred Once,archive,SE,started\nrepeat,Referred Thrice By One,archive,SE,started\n",
        "a1,many,referral,2024-02-01\na2,many,referral,2024-02-01\na3,many,referral,2024-02-01\n\
         a1,once,referral,2024-02-01\n\
         a2,repeat,referral,2024-02-01\na2,repeat,referral,2023-02-01\na2,repeat,referral,2022-02-01\n",
        &[],
    );
    let leads = analyse(&ds);
    let rank = |id: &str| {
        leads
            .iter()
            .position(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("{id} is not a lead"))
    };
    assert!(rank("many") < rank("repeat"), "{leads:?}");
    assert!(rank("repeat") < rank("once"), "{leads:?}");
    let many = &leads[rank("many")];
    assert_eq!(many["referrals"], "3");
    assert!(
        many["reason"].starts_with("Referred by 3 organisations"),
        "{}",
        many["reason"]
    );
    let repeat = &leads[rank("repeat")];
    assert!(
        repeat["reason"].starts_with("Referred 3 times by Wikimedia Two"),
        "{}",
        repeat["reason"]
    );
    let parts: f64 = [
        "referrals",
        "standing",
        "desire",
        "recency",
        "digitisation",
        "kind",
        "bridging",
    ]
    .iter()
    .map(|p| many[&format!("score_{p}")].parse::<f64>().unwrap())
    .sum();
    assert!(
        (parts - many["score"].parse::<f64>().unwrap()).abs() < 0.01,
        "the score is the sum of its parts"
    );
}

#[test]
fn an_active_partner_is_never_a_lead_and_a_lapsed_one_is_a_reengagement_lead() {
    let ds = movement(
        "lapsed,Lapsed Library,library,SE,\n",
        "a1,p2,referral,2024-03-01\na3,p1,desired,2024-03-01\na2,lapsed,past_partner,2020-05-01\n",
        &[],
    );
    let leads = analyse(&ds);
    let ids: BTreeSet<&str> = leads.iter().map(|r| r["id"].as_str()).collect();
    assert!(
        !ids.contains("p1") && !ids.contains("p2"),
        "active partners are not leads: {ids:?}"
    );
    let lapsed = leads
        .iter()
        .find(|r| r["id"] == "lapsed")
        .expect("the lapsed partner is listed");
    assert_eq!(lapsed["lead_type"], "re-engagement");
    assert!(
        lapsed["reason"].contains("former partner of Wikimedia Two"),
        "{}",
        lapsed["reason"]
    );
}

#[test]
fn declined_and_do_not_contact_leads_are_never_listed_and_the_status_file_is_not_rewritten() {
    let status = b"id,status,owner,updated,note\nno,declined,Astrid,2024-01-01,\nnever,do_not_contact,Jonas,2024-01-01,\nyes,in_talks,Maja,2024-05-01,meeting booked\n";
    let ds = movement(
        "no,Declined Museum,museum,SE,\nnever,Never Museum,museum,SE,\nyes,Talking Museum,museum,SE,\n",
        "a1,no,referral,2024-02-01\na1,never,referral,2024-02-01\na1,yes,referral,2024-02-01\n",
        &[("lead-status.csv", status)],
    );
    let leads = analyse(&ds);
    let ids: BTreeSet<&str> = leads.iter().map(|r| r["id"].as_str()).collect();
    assert_eq!(ids, BTreeSet::from(["yes"]));
    assert_eq!(leads[0]["status"], "in_talks");
    assert_eq!(leads[0]["owner"], "Maja");
    assert_eq!(
        std::fs::read(ds.data().join("lead-status.csv")).unwrap(),
        status
    );
    let by_region = read_csv(&ds.out().join("leads/by-region/northern-europe.csv"));
    assert_eq!(by_region.len(), 1);
    let by_affiliate = read_csv(&ds.out().join("leads/by-affiliate/a1.csv"));
    assert_eq!(by_affiliate[0]["id"], "yes");
}

#[test]
fn a_bad_status_names_file_line_and_value() {
    let ds = movement(
        "x,X Museum,museum,SE,\n",
        "a1,x,referral,2024-01-01\n",
        &[(
            "lead-status.csv",
            b"id,status,updated\nx,maybe,2024-01-01\nX Museum,new,last week\n",
        )],
    );
    let out = partnernet()
        .arg("validate")
        .arg(ds.data())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("lead-status.csv, line 2, column 'status', value \"maybe\""),
        "{err}"
    );
    assert!(
        err.contains("lead-status.csv, line 3, column 'updated', value \"last week\""),
        "{err}"
    );
}

#[test]
fn the_introducer_path_is_a_real_path_of_ties() {
    let ds = TestDataset::generated(3000);
    ds.analyse().success();
    let names: BTreeMap<String, String> = read_csv(&ds.out().join("clusters.csv"))
        .into_iter()
        .map(|r| (r["name"].clone(), r["id"].clone()))
        .collect();
    let ties: BTreeSet<(String, String)> = read_csv(&ds.out().join("ties.csv"))
        .into_iter()
        .flat_map(|r| {
            [
                (r["source"].clone(), r["target"].clone()),
                (r["target"].clone(), r["source"].clone()),
            ]
        })
        .collect();
    let leads = read_csv(&ds.out().join("leads.csv"));
    let mut checked = 0;
    for lead in &leads {
        if lead["path"].is_empty() {
            continue;
        }
        let steps: Vec<String> = lead["path"]
            .split(" -> ")
            .map(|s| s.split(" (").next().unwrap().to_string())
            .collect();
        assert_eq!(steps.first().unwrap(), &lead["best_introducer"]);
        assert_eq!(steps.last().unwrap(), &lead["name"]);
        for pair in steps.windows(2) {
            let (a, b) = (&names[&pair[0]], &names[&pair[1]]);
            assert!(
                ties.contains(&(a.clone(), b.clone())),
                "{a} - {b} is not a tie in {}",
                lead["path"]
            );
        }
        checked += 1;
    }
    assert!(checked > 50, "only {checked} paths");
}

#[test]
fn a_formula_in_a_name_cannot_run_in_a_spreadsheet() {
    let ds = movement(
        "evil,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",museum,SE,\n",
        "a1,evil,referral,2024-01-01\n",
        &[],
    );
    analyse(&ds);
    for file in [
        "leads.csv",
        "clusters.csv",
        "brokers.csv",
        "ties.csv",
        "leads/by-region/northern-europe.csv",
    ] {
        let text = std::fs::read_to_string(ds.out().join(file)).unwrap();
        assert!(text.contains("HYPERLINK"), "{file}");
        for line in text.lines() {
            for cell in line.split(',') {
                assert!(
                    !cell.trim_start_matches('"').starts_with('='),
                    "{file}: a cell starts with = in {line}"
                );
            }
        }
    }
}

#[test]
fn a_need_is_matched_with_the_nearest_offer() {
    let interviews = b"id,date,affiliate,needs,offers\n\
        i1,2024-01-01,a1,mass-upload,\n\
        i2,2024-01-01,a2,,Mass upload\n\
        i3,2024-01-01,a3,,mass-upload\n\
        i4,2024-01-01,far,,mass-upload\n";
    let ds = movement(
        "far,Wikimedia Far Away,affiliate,BR,\n",
        "",
        &[("interviews.csv", interviews)],
    );
    analyse(&ds);
    let opportunities = read_csv(&ds.out().join("opportunities.csv"));
    let matches: Vec<&BTreeMap<String, String>> = opportunities
        .iter()
        .filter(|o| o["kind"] == "needs-offers" && o["affiliate_a"] == "a1")
        .collect();
    assert_eq!(matches.len(), 3);
    assert_eq!(
        matches[0]["affiliate_b"], "a2",
        "the nearest offer first: {matches:?}"
    );
    assert_eq!(matches[0]["ties_apart"], "1");
    assert_eq!(matches[1]["affiliate_b"], "a3");
    assert_eq!(matches[2]["affiliate_b"], "far");
    assert!(matches[0]["reason"]
        .contains("Wikimedia One needs help with mass-upload; Wikimedia Two offers it"));
}

#[test]
fn affiliates_sharing_partners_are_a_link_opportunity() {
    let ds = movement("", "a1,p3,partner,2024-01-01\n", &[]);
    analyse(&ds);
    let opportunities = read_csv(&ds.out().join("opportunities.csv"));
    let link = opportunities
        .iter()
        .find(|o| o["kind"] == "link")
        .expect("a link opportunity");
    assert_eq!(
        (link["affiliate_a"].as_str(), link["affiliate_b"].as_str()),
        ("a1", "a3")
    );
    assert!(
        link["reason"].contains("Partner Museum Three"),
        "{}",
        link["reason"]
    );
}

#[test]
fn the_leads_command_filters_by_affiliate_and_region() {
    let out = partnernet()
        .args(["leads", "--region", "western africa", "--top", "3"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Western Africa") && !text.contains("Northern Europe"),
        "{text}"
    );
    let out = partnernet()
        .args(["leads", "--for", "Wikimedia Norrvala"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("Grävlinge"));
    let out = partnernet()
        .args(["leads", "--region", "Atlantis"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the regions are"));
}

/// The ranked lead names of `partnernet leads` (rank, name), read off its
/// table.
fn leads_command_ranks(data: &std::path::Path, top: usize) -> Vec<(usize, String)> {
    let out = partnernet()
        .arg("leads")
        .arg(data)
        .args(["--top", &top.to_string()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line
                .split(['│', '┆'])
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .collect();
            let rank = cells.first()?.parse().ok()?;
            Some((rank, cells.get(1)?.to_string()))
        })
        .collect()
}

#[test]
fn the_leads_command_ranks_the_leads_as_analyse_does() {
    // `partnernet leads` runs only what the leads need; its ranking must be
    // the one in leads.csv, whether betweenness is exact or estimated from
    // sampled organisations.
    let ds = TestDataset::generated(3000);
    for settings in [
        "",
        "[brokers]\nexact_betweenness_up_to = 100\npivots = 20\n",
    ] {
        ds.write("partnernet.toml", settings.as_bytes());
        ds.analyse().success();
        let csv = read_csv(&ds.out().join("leads.csv"));
        let shown = leads_command_ranks(&ds.data(), 40);
        assert_eq!(shown.len(), 40.min(csv.len()), "settings {settings:?}");
        for (rank, name) in shown {
            assert_eq!(csv[rank - 1]["rank"], rank.to_string());
            assert_eq!(
                csv[rank - 1]["name"],
                name,
                "rank {rank}, settings {settings:?}"
            );
        }
    }
}

#[test]
fn each_affiliates_file_names_twenty_referrers_and_leads_csv_all() {
    // Every referrer gets the lead's row in its own file: naming all of
    // them in each would make the files grow with the square of their
    // number (40,000 affiliates referring one museum filled 24 GB).
    let mut orgs = String::from("id,name,kind,country\nm,Some Museum,museum,SE\n");
    let mut relations = String::from("source,target,kind\n");
    for i in 0..30 {
        orgs.push_str(&format!("a{i:02},Affiliate {i:02},affiliate,SE\n"));
        relations.push_str(&format!("a{i:02},m,referral\n"));
    }
    let ds = TestDataset::new(&[
        ("organisations.csv", orgs.as_bytes()),
        ("relations.csv", relations.as_bytes()),
    ]);
    ds.analyse().success();
    let all = read_csv(&ds.out().join("leads.csv"));
    assert_eq!(all.len(), 1);
    let everyone = &all[0]["referred_by"];
    assert_eq!(everyone.split("; ").count(), 30, "{everyone}");
    assert!(everyone.contains("Affiliate 29"), "{everyone}");
    for file in ["a00", "a29"] {
        let rows = read_csv(&ds.out().join(format!("leads/by-affiliate/{file}.csv")));
        assert_eq!(rows.len(), 1, "{file}");
        let named: Vec<&str> = rows[0]["referred_by"].split("; ").collect();
        assert_eq!(named.len(), 21, "{named:?}");
        assert_eq!(named[..20], everyone.split("; ").collect::<Vec<_>>()[..20]);
        assert_eq!(named[20], "and 10 more (leads.csv lists all)");
        // The rest of the row is leads.csv's.
        for (column, value) in &all[0] {
            if column != "referred_by" {
                assert_eq!(&rows[0][column], value, "{file}: {column}");
            }
        }
    }
}
