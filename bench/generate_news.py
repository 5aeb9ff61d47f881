"""Generate varied short news stories for load and robustness runs (issue 9), then optionally ingest them.

    .venv/bin/python bench/generate_news.py OUT_DIR [--count 1000] [--seed 9] [--ingest DB]

Writes OUT_DIR with .txt files (and a manifest.jsonl for half of them), .json lists, .jsonl batches and .html
pages: headlines, datelines, two to eight paragraphs of diplomatic and military news, quotes, figures,
bylines, tag lines, lists and non-ASCII names. With --ingest DB it runs `dyad ingest OUT_DIR --db DB` and
prints the time and the stored / reported counts. The text is produced here from word lists; nothing is
copied from any corpus.
"""
from __future__ import annotations

import argparse
import html
import json
import random
import subprocess
import sys
import time
from pathlib import Path

STATES = ["Russia", "Iran", "China", "Japan", "South Korea", "India", "Pakistan", "Turkey", "Brazil", "Chile",
          "Peru", "Egypt", "Israel", "Ukraine", "Poland", "Germany", "France", "the United States", "Mexico",
          "Kenya", "Ethiopia", "Nigeria", "Saudi Arabia", "Qatar", "Vietnam", "Indonesia", "Côte d'Ivoire"]
CAPITALS = ["Moscow", "Tehran", "Beijing", "Tokyo", "Seoul", "New Delhi", "Islamabad", "Ankara", "Brasília",
            "Santiago", "Lima", "Cairo", "Kyiv", "Warsaw", "Berlin", "Paris", "Washington", "Nairobi", "Doha",
            "Hanoi", "Jakarta", "São Paulo", "Zürich", "Geneva"]
BODIES = ["NATO", "the European Union", "the United Nations", "the African Union", "ASEAN", "the IMF",
          "the World Bank", "OPEC", "BRICS"]
PEOPLE = ["the foreign minister", "the defence minister", "President Alvarez", "Prime Minister Okafor",
          "Chancellor Weber", "the envoy", "a government spokesperson", "General Tanaka", "Minister Çelik"]
ACTS = ["signed a trade agreement with", "held talks with", "accused", "imposed sanctions on",
        "pledged humanitarian aid to", "expelled two diplomats from", "threatened to cut gas supplies to",
        "agreed to resume negotiations with", "condemned the missile strike by", "refused to recognise",
        "deployed troops near the border with", "praised the ceasefire offer from", "sent a delegation to",
        "demanded the release of prisoners held by", "hosted a summit with", "launched joint exercises with"]
WHEN = ["on Monday", "on Tuesday", "late on Wednesday", "on Thursday", "on Friday", "over the weekend",
        "last week", "on March 3", "earlier this month", "in 2024", "two days ago", ""]
QUOTES = ["We will not accept pressure from anyone", "This is a step towards lasting peace",
          "Our door remains open to dialogue", "Any attack will be answered", "The talks were constructive",
          "We expect concrete results by the end of the year"]
FIGURES = ["Trade between the two countries reached ${n} billion last year.",
           "About {n},000 people have fled the fighting since January.",
           "The loan of ${n} million will be paid over ten years.",
           "Inflation rose to {n}.4 percent in the third quarter.",
           "Exports fell {n} percent compared with the previous year."]
OUTLETS = ["Harbor Wire", "The Daily Ledger", "Atlas News", "Meridian Post", "Northern Courier", "Agência Sul"]


def party(rng: random.Random) -> str:
    return rng.choice(STATES + STATES + BODIES + PEOPLE)


def sentence(rng: random.Random) -> str:
    a, b = party(rng), party(rng)
    when = rng.choice(WHEN)
    where = f" in {rng.choice(CAPITALS)}" if rng.random() < 0.4 else ""
    text = f"{a[0].upper()}{a[1:]} {rng.choice(ACTS)} {b}{where}{' ' + when if when else ''}"
    if rng.random() < 0.3:
        text += f", {rng.choice(['officials said', 'state media reported', 'according to diplomats'])}"
    return text + "."


def paragraph(rng: random.Random) -> str:
    parts = [sentence(rng) for _ in range(rng.randint(1, 4))]
    if rng.random() < 0.35:
        parts.append(f"\u201c{rng.choice(QUOTES)},\u201d {rng.choice(PEOPLE)} told reporters.")
    if rng.random() < 0.3:
        parts.append(rng.choice(FIGURES).format(n=rng.randint(2, 90)))
    return " ".join(parts)


def story(rng: random.Random, number: int) -> dict:
    headline = sentence(rng).rstrip(".")
    paragraphs = [paragraph(rng) for _ in range(rng.randint(2, 8))]
    if rng.random() < 0.5:
        paragraphs[0] = f"{rng.choice(CAPITALS).upper()} \u2014 {paragraphs[0]}"
    if rng.random() < 0.2:
        paragraphs.append("Key points:\n- " + "\n- ".join(sentence(rng) for _ in range(3)))
    if rng.random() < 0.15:
        paragraphs.append("Tags: " + ", ".join(rng.sample(STATES + BODIES, 8)))
    if rng.random() < 0.1:
        paragraphs.append(f"Reporting by {rng.choice(['A. Moreau', 'K. Sato', 'L. Mbeki'])}; editing by staff")
    day = rng.randint(1, 28)
    return {"id": f"gen-{number:05d}", "title": headline, "text": headline + "\n\n" + "\n\n".join(paragraphs),
            "published": f"2025-{rng.randint(1, 12):02d}-{day:02d}" if rng.random() < 0.8 else None,
            "outlet": rng.choice(OUTLETS), "url": f"https://news.example/{number}"}


def write_corpus(out: Path, count: int, seed: int) -> None:
    rng = random.Random(seed)
    stories = [story(rng, i) for i in range(count)]
    txt, jsonl, json_list, pages = (stories[i::4] for i in range(4))
    (out / "txt").mkdir(parents=True)
    manifest = []
    for i, s in enumerate(txt):
        (out / "txt" / f"{s['id']}.txt").write_text(s["text"] + "\n", encoding="utf-8")
        if i % 2:
            manifest.append({"path": f"{s['id']}.txt", **{k: s[k] for k in ("id", "published", "outlet", "title")}})
    (out / "txt" / "manifest.jsonl").write_text("".join(json.dumps(m) + "\n" for m in manifest), encoding="utf-8")
    (out / "batch.jsonl").write_text("".join(json.dumps(s, ensure_ascii=False) + "\n" for s in jsonl),
                                     encoding="utf-8")
    (out / "list.json").write_text(json.dumps(json_list, ensure_ascii=False), encoding="utf-8")
    (out / "html").mkdir()
    for s in pages:
        body = "".join(f"<p>{html.escape(p)}</p>" for p in s["text"].split("\n\n")[1:])
        page = (f"<html><head><title>{html.escape(s['title'])}</title>"
                f"<meta property=\"article:published_time\" content=\"{s['published'] or ''}\"></head>"
                f"<body><nav>Home | World</nav><article><h1>{html.escape(s['title'])}</h1>{body}</article>"
                f"<footer>© {s['outlet']}</footer></body></html>")
        (out / "html" / f"{s['id']}.html").write_text(page, encoding="utf-8")


def ingest(out: Path, db: Path) -> None:
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-c", "from dyad.cli import main; main()", "ingest", str(out),
                          "--db", str(db)], capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    stored = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    failed = con.execute("SELECT count(*) FROM problems WHERE kind IS DISTINCT FROM 'notice'").fetchone()[0]
    notices = con.execute("SELECT count(*) FROM problems WHERE kind = 'notice'").fetchone()[0]
    reasons = con.execute("SELECT reason, count(*) FROM problems GROUP BY 1 ORDER BY 2 DESC LIMIT 5").fetchall()
    con.close()
    print(f"exit {run.returncode}; {elapsed:.1f} s; documents stored {stored}; inputs reported {failed}; "
          f"notices {notices}")
    for reason, n in reasons:
        print(f"  {n} x {reason[:150]}")
    if run.returncode not in (0, 1):
        print(run.stderr[-2000:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--ingest", type=Path, metavar="DB")
    args = parser.parse_args()
    if args.out.exists():
        sys.exit(f"{args.out} exists: choose a new folder")
    write_corpus(args.out, args.count, args.seed)
    print(f"{args.count} stories written to {args.out}")
    if args.ingest:
        ingest(args.out, args.ingest)


if __name__ == "__main__":
    main()
