"""Score `resolve_actor` on the cases in eval/actors/: state (code) and sector accuracy.

Each case is {phrase, date, context?, code, sector, category, split}. In resolve_cases.jsonl `split` is fixed by
a hash of the phrase: "dev" cases were looked at while fixing the resolver, "held" cases were not (their
failures were never printed while tuning, though the data files were written knowing their phrases).
resolve_cases_fresh.jsonl ("fresh") was written after the resolver and its data files; its first score is the
one kept back, after which its misses were looked at. resolve_cases_final.jsonl ("final") was written at the
end and scored once, with nothing changed after.
A case counts for state accuracy when its expected code is not null; for sector accuracy when its expected
sector is not null.

    .venv/bin/python eval/actors/score_resolve.py [--misses] [--split dev|held|fresh|final]
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

from dyad.actors.resolve import resolve_actor

CASE_FILES = tuple(Path(__file__).with_name(f"resolve_cases{suffix}.jsonl") for suffix in ("", "_fresh", "_final"))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", action="store_true", help="print the cases got wrong")
    parser.add_argument("--split", choices=("dev", "held", "fresh", "final"), default=None,
                        help="print misses of this split only")
    args = parser.parse_args()
    cases = [json.loads(line) for path in CASE_FILES if path.exists()
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    tally = defaultdict(lambda: [0, 0, 0, 0])  # state right, state cases, sector right, sector cases
    for case in cases:
        got = resolve_actor(case["phrase"], case.get("date"), case.get("context"))
        state_ok = got.code == case["code"]
        sector_ok = got.sector == case["sector"]
        for key in ("all", case["split"], f"{case['split']}:{case['category']}"):
            row = tally[key]
            if case["code"] is not None:
                row[0] += state_ok
                row[1] += 1
            if case["sector"] is not None:
                row[2] += sector_ok
                row[3] += 1
        if args.misses and (args.split in (None, case["split"])) and not (state_ok and sector_ok):
            print(f"MISS [{case['split']}] {case['phrase']!r} {case['date']}: want {case['code']}/{case['sector']}"
                  f" got {got.code}/{got.sector}  ({got.why})")
    print(f"{'cases':<34} {'state':>14} {'sector':>14}")
    for key in sorted(tally, key=lambda k: (k != "all", k.split(":")[0], k)):
        s, n, t, m = tally[key]
        print(f"{key:<34} {_pct(s, n):>14} {_pct(t, m):>14}")
    return 0


def _pct(right: int, total: int) -> str:
    return f"{right}/{total} {100 * right / total:5.1f}%" if total else "-"


if __name__ == "__main__":
    sys.exit(main())
