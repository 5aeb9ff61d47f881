"""Compile the Phoenix (TABARI/PETRARCH) actor dictionaries into dyad's actor index.

In: a folder with ``Phoenix.Countries.actors.txt``, ``Phoenix.International.actors.txt``,
``Phoenix.MilNonState.actors.txt`` and ``Phoenix.agents.txt`` (MIT licence, ``LICENSE`` beside them).
Out: ``actors.json`` (entries with dated roles as state/organisation code + PLOVER sector, keys normalised by
`dyad.actors.index.normalise_name`, agent nouns -> sector) and the LICENSE copied beside it.

    python -m dyad.actors.phoenix /work/shared/reference/phoenix -o src/dyad/data/actors/phoenix

Codes are read through ``phoenix/sector_map.yaml`` (CAMEO role -> PLOVER sector, IGO parts -> dyad codes).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..datafiles import read_data
from ..schemas import SectorMapFile, StatesFile
from .index import FORMAT, normalise_name, read_yaml, rules_fingerprint
from .knowledge import plural_word

ACTOR_FILES = ("Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt", "Phoenix.MilNonState.actors.txt")
AGENT_FILE = "Phoenix.agents.txt"
CODE_RE = re.compile(r"\[([^\]]*)\]")


@dataclass
class RawActor:
    names: list[str]
    codes: list[str] = field(default_factory=list)  # "EGYGOV 120812-140326", as written


# --------------------------------------------------------------------------- reading the actor files
def read_actor_file(text: str) -> list[RawActor]:
    """Blocks of `NAME [CODE]`, `+ALIAS` and indented `[CODE DATES]` lines; comments after '#'."""
    actors: list[RawActor] = []
    current: RawActor | None = None
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        codes = CODE_RE.findall(line)
        words = CODE_RE.sub("", line).strip()
        if line[0] in " \t" and not words:  # an indented code line belongs to the open block
            if current is not None:
                current.codes.extend(codes)
            continue
        if words.startswith("+"):
            if current is not None and _display(words[1:]):
                current.names.append(_display(words[1:]))
            current.codes.extend(codes) if current is not None else None
            continue
        if not _display(words):
            continue
        current = RawActor([_display(words)], list(codes))
        actors.append(current)
    return [a for a in actors if a.codes]


def _display(token: str) -> str:
    """PHOENIX_NAME_ -> 'PHOENIX NAME' (the underscore joins words; a trailing one ends the phrase)."""
    return " ".join(token.replace("_", " ").split())


# --------------------------------------------------------------------------- codes
class CodeReader:
    def __init__(self, sector_map: dict[str, Any], states: set[str]):
        self.map = sector_map
        self.states = states
        self.roles: dict[str, str] = sector_map["roles"]
        self.pivot = int(sector_map.get("two_digit_year_pivot", 30))

    def read(self, written: str, previous: str | None) -> tuple[str, list] | None:
        """(kind, [code, sector, start, end]) of one code as written; `previous` is the entry's last actor code
        (a bare "[ELI]" continues it). None for codes that say nothing ("---")."""
        parts = written.replace("~", " ").split()
        if not parts or not re.fullmatch(r"[A-Z]+", parts[0]) or len(parts[0]) % 3:
            return None
        chunks = [parts[0][i:i + 3] for i in range(0, len(parts[0]), 3)]
        start, end = self.dates(parts[1] if len(parts) > 1 else "")
        kind, code, sector, rest = self.actor_part(chunks, previous)
        if sector is not None:  # the actor part has a sector of its own: an identity part does not replace it
            rest = [c for c in rest if c not in (self.map.get("identity_roles") or [])]
        sector = self.sector(rest) or sector
        if kind == "organization" and code not in (None, "NGO") and not rest:
            sector = self.map.get("igo_officer_sector", sector) if start or end else sector
        return kind, [code, sector, start, end]

    def actor_part(self, chunks: list[str], previous: str | None) -> tuple[str, str | None, str | None, list[str]]:
        head, rest = chunks[0], chunks[1:]
        aliases = self.map.get("state_aliases") or {}
        if head in self.roles and head not in (self.map.get("actor_parts") or {}):
            return "person", previous, None, chunks  # role only: the entry's previous actor
        if head in aliases or head in self.states:
            code = aliases.get(head, head)
            if rest and rest[0] in self.states and rest[0] not in self.roles:  # USAASM: a territory
                code, rest = rest[0], rest[1:]
            return "state", code, None, rest
        if head in (self.map.get("regions") or []):
            return "group", None, None, rest
        part = (self.map.get("actor_parts") or {}).get(head)
        if part is None:
            return "group", None, None, rest
        code = part["code"]
        if head == "IGO":
            code = self.igo_code(rest) or code
        elif rest and rest[0] in self.states:  # MNCUSA, NGOGBR, IMGSOM: a state's company, NGO or group
            code = code if head == "NGO" else rest[0]
            rest = rest[1:]
        return part["kind"], code, part["sector"], [c for c in rest if c in self.roles]

    def igo_code(self, rest: list[str]) -> str | None:
        igo = self.map.get("igo_parts") or {}
        named = [igo[c] for c in rest if c in igo]
        return named[-1] if named else None

    def sector(self, rest: list[str]) -> str | None:
        roles = [c for c in rest if c in self.roles]
        if not roles:
            return None
        pair = "".join(roles[:2])
        return (self.map.get("pairs") or {}).get(pair) or self.roles[roles[0]]

    def dates(self, written: str) -> tuple[str | None, str | None]:
        """'000507-080507' -> ('2000-05-07', '2008-05-07'); '>DATE' from, '<DATE' until; bad dates -> None."""
        if written.startswith(">"):
            return self.date(written[1:]), None
        if written.startswith("<"):
            return None, self.date(written[1:])
        if "-" in written:
            first, second = written.split("-", 1)
            return self.date(first), self.date(second)
        return None, None

    def date(self, digits: str) -> str | None:
        if not digits.isdigit() or len(digits) not in (6, 8):
            return None
        if len(digits) == 6:
            century = "20" if int(digits[:2]) <= self.pivot else "19"
            digits = century + digits
        year, month, day = digits[:4], digits[4:6], digits[6:]
        if not ("01" <= month <= "12" and "01" <= day <= "31"):
            return None
        return f"{year}-{month}-{day}"


# --------------------------------------------------------------------------- agents
def read_agents(text: str, reader: CodeReader) -> dict[str, list]:
    """Agent nouns -> [sector, code]: 'RIOT_POLICE {} [~COP]', with !SETS! expanded and regular plurals added."""
    sets: dict[str, list[str]] = {}
    agents: dict[str, list] = {}
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("!") and "=" in line:
            name, values = line.split("=", 1)
            sets[name.strip()] = [v.strip() for v in values.split(",") if v.strip()]
            continue
        codes = CODE_RE.findall(line)
        if not codes:
            continue
        read = reader.read(codes[0].replace("~", ""), None) if codes[0].strip("~") else None
        sector = read[1][1] if read else None
        if codes[0].strip().endswith("~"):  # "[IGO~]": an agent of an IGO
            sector = reader.roles.get(codes[0].strip("~ "), sector)
        if sector is None:
            continue
        head = CODE_RE.sub("", line)
        plurals = re.findall(r"\{([^}]*)\}", head)
        head = re.sub(r"\{[^}]*\}", "", head).strip()
        for phrase in _expand(head, sets):
            forms = [phrase] + ([_plural(phrase)] if not plurals or not plurals[0].strip() else [])
            forms += [p for p in (plurals[0].split() if plurals else [])]
            for form in forms:
                key = normalise_name(_display(form))
                if key and key not in agents:
                    agents[key] = [sector, None]
    return agents


def _expand(phrase: str, sets: dict[str, list[str]], depth: int = 0) -> list[str]:
    """Every spelling of a phrase with its !SETS! filled in (a set naming itself stops after a few rounds)."""
    found = re.search(r"!([A-Z]+)!", phrase)
    if not found or depth > 4:
        return [phrase] if not found else []
    values = sets.get(found.group(0), [])
    return [x for v in values for x in _expand(phrase.replace(found.group(0), v, 1), sets, depth + 1)]


def _plural(phrase: str) -> str:
    """An agent noun's plural in the dictionaries' upper case, by the knowledge base's own rule."""
    return plural_word(phrase.rstrip("_ ").lower()).upper()


# --------------------------------------------------------------------------- compiling
def compile_folder(folder: Path, sector_map: dict[str, Any], states: set[str]) -> dict[str, Any]:
    reader = CodeReader(sector_map, states)
    rows: list[list] = []
    for name in ACTOR_FILES:
        path = folder / name
        if not path.exists():
            raise ValueError(f"{path}: not found (expected the Phoenix dictionaries in {folder})")
        for raw in read_actor_file(path.read_text(encoding="utf-8", errors="replace")):
            row = _compile_actor(raw, reader)
            if row is not None:
                rows.append(row)
    agents_path = folder / AGENT_FILE
    agents = read_agents(agents_path.read_text(encoding="utf-8", errors="replace"), reader) \
        if agents_path.exists() else {}
    return {"format": FORMAT, "rules": rules_fingerprint(), "source": "Phoenix actor dictionaries (MIT, see LICENSE)",
            "actors": [json.dumps(row, ensure_ascii=False, separators=(",", ":")) for row in rows], **_keys(rows),
            "agents": agents}


def _compile_actor(raw: RawActor, reader: CodeReader) -> list | None:
    roles, kinds, previous = [], Counter(), None
    for written in raw.codes:
        read = reader.read(written, previous)
        if read is None:
            continue
        kind, role = read
        kinds[kind] += 1
        previous = role[0] or previous
        if role[0] is None and role[1] is None:
            continue
        if role not in roles:
            roles.append(role)
    if not roles:
        return None
    kind = _entry_kind(raw, roles, kinds)
    return [_title_case(raw.names[0], kind == "person"), kind, roles, sorted(set(raw.names))]


def _entry_kind(raw: RawActor, roles: list[list], kinds: Counter) -> str:
    """A person has dated roles or a sector under a state; a state entry has a bare code; else a body or group."""
    if any(r[2] or r[3] for r in roles) and any(r[1] for r in roles):
        return "person"
    if all(r[1] is None for r in roles):
        return "state" if kinds.get("state") else kinds.most_common(1)[0][0]
    top = kinds.most_common(1)[0][0]
    return "body" if top == "state" else top


FUNCTION_WORDS = {"OF", "THE", "AND", "FOR", "IN", "ON", "TO", "AT"}


def _title_case(name: str, person: bool) -> str:
    """A person's name in title case; other names keep short capitals (acronyms: "DGSE", "UN")."""
    words = []
    for i, word in enumerate(name.split()):
        if word in FUNCTION_WORDS and not person:
            words.append(word.capitalize() if i == 0 else word.lower())
        else:
            words.append(word.capitalize() if word.isupper() and (person or len(word) > 4) else word)
    return " ".join(words)


def _keys(rows: list[list]) -> dict[str, dict[str, list[int]]]:
    exact: dict[str, list[int]] = {}
    loose: dict[str, list[int]] = {}
    surnames: dict[str, list[int]] = {}
    for i, (_name, kind, _roles, aliases) in enumerate(rows):
        for alias in aliases:
            _add(exact, normalise_name(alias), i)
            _add(loose, normalise_name(alias, loose=True), i)
        if kind == "person":
            words = normalise_name(aliases[0] if len(aliases) == 1 else _name).split()
            if len(words) > 1:
                _add(surnames, words[-1], i)
    return {"exact": exact, "loose": loose, "surnames": surnames}


def _add(table: dict[str, list[int]], key: str, i: int) -> None:
    if key and i not in table.setdefault(key, []):
        table[key].append(i)


def known_states() -> set[str]:
    return set(read_data("actors/states.yaml", StatesFile))


def write(compiled: dict[str, Any], out: Path, licence: Path | None) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    target = out / "actors.json"
    tmp = target.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(compiled, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    tmp.replace(target)  # the old file stays whole until the new one is complete
    if licence is not None and licence.exists() and licence.resolve() != (out / "LICENSE").resolve():
        copy = out / "LICENSE.tmp"
        copy.write_bytes(licence.read_bytes())  # a fresh, writable copy (the source may be read-only)
        copy.replace(out / "LICENSE")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dyad.actors.phoenix", description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="folder with the Phoenix .actors.txt and agents files")
    parser.add_argument("-o", "--out", type=Path, required=True, help="output folder (src/dyad/data/actors/phoenix)")
    parser.add_argument("--map", type=Path, default=None, help="sector map (default: the packaged sector_map.yaml)")
    args = parser.parse_args(argv)
    try:
        if not args.folder.is_dir():
            raise ValueError(f"{args.folder}: not a folder")
        sector_map = (read_data(args.map, SectorMapFile, user=True) if args.map
                      else read_yaml("phoenix", "sector_map.yaml"))
        compiled = compile_folder(args.folder, sector_map, known_states())
        target = write(compiled, args.out, args.folder / "LICENSE")
    except (ValueError, OSError) as err:  # DataFileError is a ValueError
        print(f"error: {err}", file=sys.stderr)
        return 1
    kinds = Counter(json.loads(row)[1] for row in compiled["actors"])
    print(f"{target}: {len(compiled['actors'])} entries ({dict(kinds)}), {len(compiled['exact'])} names, "
          f"{len(compiled['agents'])} agent nouns, {target.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
