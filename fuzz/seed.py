#!/usr/bin/env python3
"""Writes the fuzzers' starting corpus into fuzz/corpus/<target>/.

Seeds come from data/sample, data/wikidata-sample.csv and the example
datasets in ../shared/cases/ (each file cut to its first 4 KB at a line
end), plus a small partnernet.xlsx and .ods made here. The first byte of a
`tables` or `workbook` seed chooses the file the rest becomes (see
fuzz/bodies.rs: TABLES, WORKBOOKS). Run from the repository root:

    python3 fuzz/seed.py

The fuzzers add what they find; `fuzz/run.sh` minimises the corpus after a
run. Needs openpyxl (for the .xlsx seed).
"""
import io
import json
import pathlib
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus"
CASES = ROOT.parent / "shared" / "cases"
LIMIT = 4096


def cut(data: bytes) -> bytes:
    if len(data) <= LIMIT:
        return data
    end = data.rfind(b"\n", 0, LIMIT)
    return data[: end + 1 if end > 0 else LIMIT]


def put(target: str, name: str, data: bytes) -> None:
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    if any(f.read_bytes() == data for f in folder.iterdir()):
        return  # the same bytes under another name (the cases share files)
    (folder / name).write_bytes(data)


def datasets():
    yield "sample", ROOT / "data" / "sample"
    for readme in sorted(CASES.glob("*/*/README.md")):
        case = readme.parent
        for d in sorted(p for p in case.iterdir() if p.is_dir()):
            yield f"{case.parent.name}-{case.name}-{d.name}", d


TABLES = {"organisations": b"0", "relations": b"1", "interviews": b"2"}

for label, d in datasets():
    for f in sorted(d.iterdir()):
        if not f.is_file():
            continue
        stem = f.name.split(".")[0]
        data = f.read_bytes()
        if f.suffix == ".xlsx":
            put("workbook", f"{label}-{f.name}", b"\x00" + data)
        elif stem in TABLES:
            put("tables", f"{label}-{f.name}", TABLES[stem] + cut(data))
        elif f.name == "lead-status.csv":
            put("lead_status", f"{label}-{f.name}", cut(data))
        elif f.name == "partnernet.toml":
            put("settings", f"{label}-{f.name}", cut(data))
    notes = d / "notes"
    if notes.is_dir():
        for f in sorted(notes.iterdir())[:3]:
            put("note", f"{label}-{f.name}", cut(f.read_bytes()))

# Wikidata: the sample's first rows as CSV, TSV and JSON.
lines = (ROOT / "data" / "wikidata-sample.csv").read_bytes().splitlines(keepends=True)
put("wikidata", "sample.csv", b"".join(lines[:20]))
import csv

rows = list(csv.reader(io.StringIO(b"".join(lines[:8]).decode())))
put("wikidata", "sample.tsv", "".join("\t".join(r) + "\n" for r in rows).encode())
head, body = rows[0], rows[1:]
bindings = [
    {
        k: {"type": "uri" if v.startswith("http") else "literal", "value": v}
        for k, v in zip(head, r)
        if v
    }
    for r in body
]
put(
    "wikidata",
    "sample.json",
    json.dumps({"head": {"vars": head}, "results": {"bindings": bindings}}, indent=1).encode(),
)

# A whole dataset in one workbook: partnernet.xlsx (openpyxl) and .ods.
sample = ROOT / "data" / "sample"
sheets = {
    name: list(csv.reader(io.StringIO((sample / f"{name}.csv").read_text())))[:6]
    for name in ["organisations", "relations"]
}
try:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for r in rows:
            sheet.append(r)
    out = io.BytesIO()
    book.save(out)
    put("workbook", "sample-partnernet.xlsx", b"\x01" + out.getvalue())
except ImportError:
    print("openpyxl is missing: no partnernet.xlsx seed")


def ods(sheets) -> bytes:
    def esc(s):
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    tables = "".join(
        f'<table:table table:name="{name}">'
        + "".join(
            "<table:table-row>"
            + "".join(
                f'<table:table-cell office:value-type="string"><text:p>{esc(c)}</text:p></table:table-cell>'
                for c in r
            )
            + "</table:table-row>"
            for r in rows
        )
        + "</table:table>"
        for name, rows in sheets.items()
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


put("workbook", "sample-partnernet.ods", b"\x03" + ods(sheets))
put("workbook", "sample-organisations.ods", b"\x02" + ods({"organisations": sheets["organisations"]}))
