#!/usr/bin/env python3
"""Adversarial datasets: inputs shaped to make a careless algorithm quadratic.

    python3 benches/adversarial.py SHAPE N DIR   # write one dataset into DIR

Each shape takes one size N, and its input grows in proportion to N, so that
`benches/scaling.py --adversarial` can double N and watch each stage's time.
The sizes in brackets are those of the cases in
shared/cases/reliability/README.md ("Quadratic paths").

  path            organisations tied in a path o0 - o1 - ... - oN  [100,000]
  star            one affiliate tied to N institutions
  referral-star   N affiliates, each referring the same museum (every pair
                  of them shares a partner)
  bipartite       a complete bipartite pair of groups: sqrt(N) affiliates,
                  each tied to the same sqrt(N) institutions (N ties)
  near-bipartite  N/100 affiliates, each tied to all but two of 100 museums
                  (a different two for each, so that no two affiliates have
                  the same partners); not in scaling.py's shapes: see
                  BENCHMARKS.md, "Link opportunities on dense groups"
  duplicate-rows  N identical relation rows                         [300,000]
  unknown-names   N relation rows naming N different unknown organisations
                  [5,000,000]
  long-unknown    100 unknown names of N characters each ("did you mean")  [20,000]
  long-name       one organisation whose name is N characters long  [50,000,000]
  front-matter    a note whose front matter is `date: ` and N `[`   [100,000]
  mentions-line   a note with one line of N `[[Some Museum]]`       [500,000]
  headings        N/25 heading keywords in partnernet.toml and a note with N
                  headings                                          [2,000 and 50,000]
  many-notes      N small notes                                     [100,000]
  wide            N organisations, each with a value in 100 columns partnernet
                  does not know (kept as they are for the exports)
  interviews      N rows of interviews.csv
  limits          everything at once, at partnernet's limits when N is
                  1,500,000: N organisations with long names in a path, with
                  chords to make 8N/3 relations with notes, 2N/15 interviews,
                  and 19N/3 values in columns partnernet does not know (about
                  400 MB at that size)
"""
import math
import sys
from pathlib import Path

ORGS_HEADER = "id,name,kind,country,region,wikidata,aliases,digitisation\n"
RELATIONS_HEADER = "source,target,kind,date,interview,weight,note\n"


def _base(out, orgs, relations):
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "organisations.csv", "w", encoding="utf-8") as f:
        f.write(ORGS_HEADER)
        f.writelines(f"{i},{name},{kind},SE,,,,\n" for i, name, kind in orgs)
    with open(out / "relations.csv", "w", encoding="utf-8") as f:
        f.write(RELATIONS_HEADER)
        f.writelines(f"{s},{t},{k},,,,\n" for s, t, k in relations)


def _small_base(out):
    """Two affiliates and a museum, for the shapes that live in notes."""
    _base(out, [("wm-a", "Wikimedia A", "affiliate"), ("wm-b", "Wikimedia B", "affiliate"),
                ("some-museum", "Some Museum", "museum")],
          [("wm-a", "some-museum", "partner"), ("wm-b", "some-museum", "partner")])


def _note(out, name, front, body):
    (out / "notes").mkdir(parents=True, exist_ok=True)
    with open(out / "notes" / name, "w", encoding="utf-8") as f:
        f.write("---\n" + front + "---\n" + body)


def path(n, out):
    orgs = [(f"o{i}", f"Organisation {i}", "affiliate" if i % 2 == 0 else "museum") for i in range(n + 1)]
    rels = [(f"o{i}", f"o{i + 1}", "partner") for i in range(n)]
    _base(out, orgs, rels)


def star(n, out):
    orgs = [("hub", "The Hub Affiliate", "affiliate")] + [(f"m{i}", f"Museum {i}", "museum") for i in range(n)]
    _base(out, orgs, [("hub", f"m{i}", "partner") for i in range(n)])


def referral_star(n, out):
    orgs = [("m", "Some Museum", "museum")] + [(f"a{i}", f"Affiliate {i}", "affiliate") for i in range(n)]
    _base(out, orgs, [(f"a{i}", "m", "referral") for i in range(n)])


def bipartite(n, out):
    a = max(1, math.isqrt(n))
    orgs = [(f"a{i}", f"Affiliate {i}", "affiliate") for i in range(a)] + \
           [(f"m{j}", f"Museum {j}", "museum") for j in range(a)]
    _base(out, orgs, [(f"a{i}", f"m{j}", "partner") for i in range(a) for j in range(a)])


def near_bipartite(n, out):
    m = 100
    d = max(1, min(n // m, m * (m - 1)))
    orgs = [(f"a{i}", f"Affiliate {i}", "affiliate") for i in range(d)] + \
           [(f"m{j}", f"Museum {j}", "museum") for j in range(m)]
    rels = []
    for i in range(d):
        x = i % m
        y = (x + 1 + (i // m) % (m - 1)) % m
        rels += [(f"a{i}", f"m{j}", "partner") for j in range(m) if j not in (x, y)]
    _base(out, orgs, rels)


def duplicate_rows(n, out):
    _base(out, [("wm-a", "Wikimedia A", "affiliate"), ("some-museum", "Some Museum", "museum")],
          [("wm-a", "some-museum", "partner")] * n)


def unknown_names(n, out):
    _base(out, [("wm-a", "Wikimedia A", "affiliate")],
          [("wm-a", f"Unknown Institution {i}", "partner") for i in range(n)])


def long_unknown(n, out):
    letters = "abcdefghijklmnopqrstuvwxyz"
    names = [letters[i % 26] * n + str(i) for i in range(100)]
    _base(out, [("wm-a", "Wikimedia A", "affiliate"), ("some-museum", "Some Museum", "museum")],
          [("wm-a", name, "partner") for name in names])


def long_name(n, out):
    _base(out, [("wm-a", "Wikimedia A", "affiliate"), ("big", "B" * n, "museum")],
          [("wm-a", "big", "partner")])


def front_matter(n, out):
    _small_base(out)
    _note(out, "iv.md", "affiliate: wm-a\ndate: " + "[" * n + "\n", "## ongoing partners\n[[Some Museum]]\n")


def mentions_line(n, out):
    _small_base(out)
    _note(out, "iv.md", "affiliate: wm-a\n", "## ongoing partners\n" + "[[Some Museum]] " * n + "\n")


def headings(n, out):
    _small_base(out)
    k = max(1, n // 25)
    with open(out / "partnernet.toml", "w", encoding="utf-8") as f:
        f.write("[notes]\nheadings = { " +
                ", ".join(f'"keyword number {i}" = "partner"' for i in range(k)) + " }\n")
    _note(out, "iv.md", "affiliate: wm-a\n",
          "".join(f"## heading {i} with keyword number {i % k}\n[[Some Museum]]\n" for i in range(n)))


def many_notes(n, out):
    _small_base(out)
    for i in range(n):
        _note(out, f"iv-{i}.md", f"affiliate: wm-a\nid: iv-{i}\n", "## ongoing partners\n[[Some Museum]]\n")


def wide(n, out):
    extra = [f"c{k}" for k in range(100)]
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "organisations.csv", "w", encoding="utf-8") as f:
        f.write(ORGS_HEADER.rstrip("\n") + "," + ",".join(extra) + "\n")
        cells = "," + ",".join("x" for _ in extra) + "\n"
        f.writelines(f"o{i},Organisation {i},museum,SE,,,,{cells}" for i in range(n))
    with open(out / "relations.csv", "w", encoding="utf-8") as f:
        f.write(RELATIONS_HEADER)
        f.writelines(f"o{i},o{i + 1},partner,,,,\n" for i in range(0, n - 1, 2))


def interviews(n, out):
    _small_base(out)
    with open(out / "interviews.csv", "w", encoding="utf-8") as f:
        f.write("id,date,affiliate,needs,offers,notes\n")
        f.writelines(f"iv-{i},,wm-a,,,\n" for i in range(n))


def limits(n, out):
    import random
    rng = random.Random(1)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "organisations.csv", "w", encoding="utf-8") as f:
        f.write(ORGS_HEADER.rstrip("\n") + ",catalogue,c1,c2,c3,c4,c5\n")
        f.writelines(
            f"o{i},Organisation number {i} of the dataset at the limits,"
            f"{'affiliate' if i % 2 == 0 else 'museum'},SE,,,,,cat-{i},a,b,c,d,e\n" for i in range(n))
    with open(out / "relations.csv", "w", encoding="utf-8") as f:
        f.write(RELATIONS_HEADER.rstrip("\n") + ",ticket\n")
        f.writelines(f"o{i},o{i + 1},partner,,,,met at the conference {i},"
                     f"{f't{i}' if i < n // 3 else ''}\n" for i in range(n - 1))
        for k in range(8 * n // 3 - (n - 1)):
            a, b = rng.randrange(n), rng.randrange(n)
            if a != b:
                f.write(f"o{a},o{b},contact,,,,introduced by a partner {k},\n")
    with open(out / "interviews.csv", "w", encoding="utf-8") as f:
        f.write("id,date,affiliate,needs,offers,notes\n")
        f.writelines(f"iv-{i},2026-01-01,o{2 * (i % (n // 2))},mass-upload,training,first call\n"
                     for i in range(2 * n // 15))


SHAPES = {
    "path": path, "star": star, "referral-star": referral_star, "bipartite": bipartite,
    "near-bipartite": near_bipartite, "duplicate-rows": duplicate_rows,
    "unknown-names": unknown_names, "long-unknown": long_unknown, "long-name": long_name,
    "front-matter": front_matter, "mentions-line": mentions_line, "headings": headings,
    "many-notes": many_notes, "wide": wide, "interviews": interviews,
    "limits": limits,
}


def make(shape, n, out):
    """Write the dataset `shape` of size `n` into the folder `out`."""
    SHAPES[shape](n, Path(out))


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in SHAPES:
        sys.exit(__doc__ + "\nshapes: " + ", ".join(SHAPES))
    make(sys.argv[1], int(sys.argv[2]), sys.argv[3])
