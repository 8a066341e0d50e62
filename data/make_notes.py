#!/usr/bin/env python3
"""Writes interview notes for the sample movement (data/sample/notes/).

Every name is fictional, as in the rest of the sample. Each note takes one
interview of interviews.csv and writes what its relations in relations.csv
say under the questionnaire's headings, as an interviewer would: some names
as written in organisations.csv, some through their aliases. Half the notes
are Markdown, half wikitext; one is in Swedish (partnernet.toml in the
sample maps its headings). The relations from the notes repeat rows of
relations.csv (partnernet merges them into one relation with both sources)
and add a few that only the notes have.

Run from the repository's top folder: python3 data/make_notes.py
"""
import csv
import random
from pathlib import Path

SAMPLE = Path(__file__).parent / "sample"
rng = random.Random(7)

orgs = {r["id"]: r for r in csv.DictReader(open(SAMPLE / "organisations.csv", encoding="utf-8"))}
interviews = list(csv.DictReader(open(SAMPLE / "interviews.csv", encoding="utf-8")))
relations = list(csv.DictReader(open(SAMPLE / "relations.csv", encoding="utf-8")))

def by_name(name):
    key = name.strip().lower()
    for o in orgs.values():
        if key in (o["id"].lower(), o["name"].lower()) or key in [a.strip().lower() for a in o["aliases"].split(";") if a]:
            return o
    return None

HEADINGS_EN = {
    "partner": "Do you work with content partnerships today?",
    "past_partner": "Reflections and experiences from earlier collaborations",
    "desired": "What are your desired content partnerships in the future?",
    "referral": "Do you know of someone in your network who would be interested in this kind of collaboration too?",
    "collaborates": "Do you collaborate with other chapters and affiliates, regionally and globally?",
    "contact": "How do you communicate with your partners?",
}
HEADINGS_SV = {
    "partner": "Pågående partnerskap",
    "past_partner": "Tidigare samarbeten",
    "desired": "Önskade partnerskap",
    "referral": "Någon i ert nätverk som vore intresserad",
    "collaborates": "Samarbete med andra affilierade",
    "contact": "Kontaktvägar",
}
SENTENCES = {
    "partner": "We run upload days and share metadata with {}.",
    "past_partner": "Earlier we worked with {}; the project ended when funding ran out.",
    "desired": "We would like to start working with {}.",
    "referral": "They suggested {} as an institution that would be interested.",
    "collaborates": "We plan joint events with {}.",
    "contact": "We keep in touch with {} by e-mail.",
}

def link(o):
    """A wiki link: by name, sometimes by id with the name shown, sometimes by alias."""
    aliases = [a for a in o["aliases"].split(";") if a.strip()]
    roll = rng.random()
    if aliases and roll < 0.3:
        return f"[[{aliases[0].strip()}]]"
    if roll < 0.5:
        return f"[[{o['id']}|{o['name']}]]"
    return f"[[{o['name']}]]"

chosen = [iv for iv in interviews if any(r["interview"] == iv["id"] for r in relations)]
chosen = sorted(rng.sample(chosen, 10), key=lambda iv: iv["id"])
(SAMPLE / "notes").mkdir(exist_ok=True)
for n, iv in enumerate(chosen):
    affiliate = by_name(iv["affiliate"])
    rels = [r for r in relations if r["interview"] == iv["id"] and by_name(r["source"]) is affiliate]
    by_kind = {}
    for r in rels:
        target = by_name(r["target"])
        if target is not None and r["kind"] in SENTENCES:
            by_kind.setdefault(r["kind"], []).append(target)
    swedish = n == 0
    wiki = n % 2 == 1
    headings = HEADINGS_SV if swedish else HEADINGS_EN
    lines = ["---", f"affiliate: {affiliate['id']}", f"date: {iv['date']}", f"id: {iv['id']}", "interviewer: Astrid" if n % 3 else "interviewer: Jonas"]
    if iv["needs"]:
        lines.append("needs: [" + ", ".join(t for t in iv["needs"].split(";") if t) + "]")
    lines.append("---")
    lines.append(f"Interview with {affiliate['name']}; notes taken during the call.")
    for kind in ["partner", "past_partner", "desired", "referral", "collaborates", "contact"]:
        targets = by_kind.get(kind, [])
        if not targets and kind not in ("partner", "referral"):
            continue
        lines.append("")
        lines.append(f"== {headings[kind]} ==" if wiki else f"## {headings[kind]}")
        for t in targets:
            lines.append(SENTENCES[kind].format(link(t)))
            if kind == "partner" and t["digitisation"] and rng.random() < 0.3:
                lines.append(f"digitisation: {link(t)} {t['digitisation']}")
        if kind == "referral" and not targets:
            # A lead only this note knows of: an institution of the same region nobody partners with.
            region_peers = [o for o in orgs.values() if o["country"] == affiliate["country"] and o["kind"] not in ("affiliate", "hub")]
            partnered = {by_name(r["target"])["id"] for r in relations if r["kind"] == "partner" and by_name(r["target"])}
            free = [o for o in region_peers if o["id"] not in partnered]
            if free:
                lines.append(SENTENCES["referral"].format(link(rng.choice(free))))
    if iv["offers"]:
        lines.append("")
        lines.append("== What could a good and efficient support look like? ==" if wiki else "## What could a good and efficient support look like?")
        lines.append("offers: " + "; ".join(t for t in iv["offers"].split(";") if t))
    name = f"{iv['id']}-{affiliate['id']}.{'wiki' if wiki else 'md'}"
    (SAMPLE / "notes" / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("wrote", name)
