//! Messages that say what happened, where, and what to do: a wrong type in
//! a note's front matter names its own line in words, and an unterminated
//! quote is reported as one, at the line it starts on, instead of as the
//! errors of the rows it swallows.

mod common;

use common::{partnernet, TestDataset};

const ORGS: &[u8] = b"id,name,kind\nwm,Wikimedia X,affiliate\nm,Museum,museum\nl,Library,library\n";

fn stderr_of_validate(ds: &TestDataset) -> String {
    let run = partnernet()
        .arg("validate")
        .arg(ds.data())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    String::from_utf8_lossy(&run.stderr).to_string()
}

#[test]
fn a_wrong_type_in_front_matter_names_its_line_in_words() {
    let ds = TestDataset::new(&[
        ("organisations.csv", ORGS),
        ("relations.csv", b"source,target,kind\nwm,m,partner\n"),
    ]);
    std::fs::create_dir_all(ds.data().join("notes")).unwrap();
    ds.write(
        "notes/a.md",
        b"---\naffiliate: wm\ndate: 2024-01-01\nneeds:\n  - mass-upload\n  - training: yes\n---\n# Ongoing partners\n[[Museum]]\n",
    );
    ds.write(
        "notes/b.md",
        b"---\naffiliate: [wm, m]\ndate: 2024-01-01\n---\n",
    );
    let err = stderr_of_validate(&ds);
    assert!(
        err.contains("notes/a.md, line 6: the front matter cannot be read: needs[1]: found a list of key: value lines where the note needs a text"),
        "{err}"
    );
    assert!(
        err.contains("notes/b.md, line 2: the front matter cannot be read: affiliate: found a list where the note needs a text"),
        "{err}"
    );
    assert!(
        !err.contains("untagged") && !err.contains("variant"),
        "{err}"
    );
}

#[test]
fn an_unterminated_quote_is_reported_where_it_starts() {
    let ds = TestDataset::new(&[
        ("organisations.csv", ORGS),
        (
            "relations.csv",
            b"source,target,kind,note\nwm,m,partner,\"fine, quoted\"\nwm,l,referral,\"never closed\nwm,l,desired,\n",
        ),
    ]);
    let err = stderr_of_validate(&ds);
    assert!(
        err.contains("relations.csv, line 3: unterminated quote starting at line 3"),
        "{err}"
    );
    assert!(
        !err.contains("kind"),
        "no row is said to lack its kind: {err}"
    );
}
