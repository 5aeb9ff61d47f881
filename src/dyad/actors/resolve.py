"""Resolve one actor phrase to a code and a PLOVER sector: `resolve_actor(text, date=None, context=None)`.

In: a phrase ("Kassym-Jomart Tokayev", "Kenyan police", "the Sinaloa Cartel", "relatives"), an optional ISO date
(offices are looked up as held then) and optional context text (a state named there stands in when the phrase
names none). Out: a `Resolution` (code, sector, name, actor_id, kind, why); code and sector are None when
unknown.

Sources, in order of trust: the knowledge base (`dyad.actors.knowledge.load_kb`: states, organisations, groups,
people with dated offices, including office holders since 2018 once ``officeholders.yaml`` is loaded there),
the hand-written ``bodies.yaml``, then the compiled Phoenix dictionaries (`dyad.actors.index`). A phrase no
source names as a whole is read as title + name, then as a generic phrase (`dyad.actors.sectors`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .index import Entry as IndexEntry
from .index import load_index, normalise_name
from .sectors import Place, name_head_sector, named_places, phrase_sector, words_of

DATE_RE = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")
STATUS_RANK = {"held": 3, "undated": 2, "latest": 1, "none": 0}
GROUP_ROLES = ("MIL", "GOV", "REB")  # sectors of a noun that a named group's own sector replaces


@dataclass
class Resolution:
    code: str | None
    sector: str | None
    name: str | None
    actor_id: str | None
    kind: str | None  # state | organization | group | person | body | party | generic
    why: str
    # How the role was chosen (held at the date | undated | latest | none); used to weigh it against a title.
    _status: str | None = field(default=None, repr=False, compare=False)

    def as_dict(self) -> dict:
        return {key: getattr(self, key) for key in ("code", "sector", "name", "actor_id", "kind", "why")}


def resolve_actor(text: str, date: str | None = None, context: str | None = None) -> Resolution:
    """The actor a phrase names at `date` (see the module docstring)."""
    phrase = re.sub(r"\s+", " ", text or "").strip()
    if not phrase:
        raise ValueError("resolve_actor: empty phrase")
    if date is not None and not DATE_RE.fullmatch(date):
        raise ValueError(f"resolve_actor: date {date!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    kb = _kb()
    for attempt in (_named, _titled, _shortened, _generic):
        found = attempt(phrase, date, kb)
        if found is not None:
            return _with_context(found, context, kb)
    return _with_context(Resolution(None, None, None, None, None, "no source knows this phrase"), context, kb)


def resolve_name(text: str, date: str | None = None) -> Resolution | None:
    """A proper name known as a whole (knowledge base, bodies.yaml, Phoenix), or None: what the pipeline asks
    for a name its context cannot place. No titles, no partial or generic readings."""
    phrase = re.sub(r"\s+", " ", text or "").strip()
    found = _named(phrase, date, _kb()) if phrase else None
    return found if found is not None and found.code else None


def _kb():
    from .knowledge import (
        load_kb,  # imported here: the knowledge module is loaded only when resolving
    )

    return load_kb()


# --------------------------------------------------------------------------- a name as a whole
_KB_KEYS: dict[int, tuple[dict, dict]] = {}


def _kb_person_by_key(phrase: str, kb):
    """A KB person whose name or alias has the phrase's normalised (else loose) key, when only one has."""
    if id(kb) not in _KB_KEYS:
        exact: dict[str, set] = {}
        loose: dict[str, set] = {}
        for person in kb.people.values():
            for alias in [person.name, *person.aliases]:
                exact.setdefault(normalise_name(alias), set()).add(person.slug)
                loose.setdefault(normalise_name(alias, loose=True), set()).add(person.slug)
        loose.pop("", None)
        _KB_KEYS.clear()
        _KB_KEYS[id(kb)] = (exact, loose)
    exact, loose = _KB_KEYS[id(kb)]
    slugs = exact.get(normalise_name(phrase)) or loose.get(normalise_name(phrase, loose=True)) or set()
    if len(slugs) != 1:
        return None
    from .knowledge import Entry  # the KB's own entry type, as kb.lookup returns it

    return Entry("person", next(iter(slugs)), "name")


def _named(phrase: str, date: str | None, kb) -> Resolution | None:
    bare = re.sub(r"^(the|The)\s+", "", phrase)
    return _from_kb(phrase, date, kb) or _from_kb(bare, date, kb) or _from_index(bare, date) \
        or _kb_person_without_office(bare, date, kb)


def _shortened(phrase: str, date: str | None, kb) -> Resolution | None:
    """A long name known in a shorter form: "Sheikh Tamim bin Hamad Al Thani", "Felix Antoine Tshisekedi"."""
    for shorter in _shorter_names(phrase):
        found = _from_kb(shorter, date, kb) or _from_index(shorter, date, loose_ok=False)
        if found is not None and found.kind == "person":
            found.why += f" (as '{shorter}')"
            return found
    return None


def _kb_person_without_office(phrase: str, date: str | None, kb) -> Resolution | None:
    """A person the KB knows who held none of its offices at `date` and whom no other source knows: the state only."""
    entry = kb.lookup(phrase) or _kb_person_by_key(phrase, kb)
    person = kb.person(entry.code) if entry is not None and entry.kind == "person" else None
    if person is None:
        return None
    return Resolution(person.country, None, person.name, f"person:{person.slug}", "person",
                      f"knowledge base: {person.name}, no office held on {date}", "none")


def _shorter_names(name: str) -> list[str]:
    """A long personal name without its first word (an honorific) and as first + last word only."""
    words = name.split()
    if len(words) < 3 or not all(w[:1].isupper() or w.islower() and len(w) <= 3 for w in words):
        return []
    return [" ".join(words[1:]), f"{words[0]} {words[-1]}", f"{words[1]} {words[-1]}"]


def _from_kb(phrase: str, date: str | None, kb) -> Resolution | None:
    entry = kb.lookup(phrase) or _kb_person_by_key(phrase, kb)
    if entry is None:
        return None
    if entry.kind == "person":
        person = kb.person(entry.code)
        office = person.office_on(date) if person else None
        if office is None:
            return None  # the KB knows the name but not an office then: let the dictionaries try
        code = office.code or person.country
        return Resolution(code, office.sector, person.name, f"person:{person.slug}", "person",
                          f"knowledge base: {office.title} ({office.start or '?'} to {office.end or 'now'})", "held")
    prefix = {"state": "state", "organization": "org", "group": "group"}[entry.kind]
    return Resolution(entry.code, entry.sector, kb.name_of(entry.kind, entry.code), f"{prefix}:{entry.code}",
                      entry.kind, f"knowledge base: {entry.how} of {entry.code}")


def _from_index(phrase: str, date: str | None, loose_ok: bool = True) -> Resolution | None:
    index = load_index()
    found = _best(index.find(phrase), phrase, date, "name")
    if found is None and loose_ok and all(w[:1].isupper() for w in phrase.split()):  # names only, not "unions"
        found = _best(index.find_loose(phrase), phrase, date, "spelling")
    return found


def _best(entries: list[IndexEntry], phrase: str, date: str | None, how: str) -> Resolution | None:
    """The entry whose role at `date` is best attested; an entry named exactly by the phrase wins a tie."""
    if not entries:
        return None
    key = normalise_name(phrase)
    scored = []
    for order, entry in enumerate(entries):
        role, status = entry.role_on(date)
        scored.append((STATUS_RANK[status], normalise_name(entry.name) == key, entry.source == "bodies", -order,
                       entry, role, status))
    *_, entry, role, status = max(scored, key=lambda s: s[:4])
    if role is None:
        return None
    span = f" {role.start or '?'} to {role.end or 'now'}" if role.start or role.end else ""
    return Resolution(role.code, role.sector, entry.name, entry.actor_id, entry.kind,
                      f"{entry.source} {how} '{entry.name}': {role.code}/{role.sector or '-'} role{span} ({status})",
                      status)


# --------------------------------------------------------------------------- title + name
def _titled(phrase: str, date: str | None, kb) -> Resolution | None:
    """'Australian Defence Minister Richard Marles', 'President Tokayev': places, a title, then a name."""
    words = phrase.replace("-", " - ").split()  # titles are matched as titles.yaml splits them
    lowered = [w.lower().strip(",") for w in words]
    for i in range(len(words)):
        match = kb.match_title(lowered, i)
        if match is None:
            continue
        end, title, plural = match
        if title.kind != "office":
            continue  # a body ("people", "army") does not introduce a name
        places = named_places(" ".join(words[:i]).replace(" - ", "-"), kb)
        if end < len(words) and lowered[end] == "of" and not places:  # "the president of Kenya"
            places, end = named_places(" ".join(words[end + 1:]).replace(" - ", "-"), kb), len(words)
        places = [p for p in places if p.kind != "group" and p.code]
        if end >= len(words):  # "Canadian Prime Minister", "NATO Secretary-General": who held it then
            holder_of = [p for p in places if p.kind in ("state", "organization")]
            return _office_holder(holder_of[0], title, date, kb) if holder_of and not plural else None
        name = " ".join(words[end:]).replace(" - ", "-")
        if not words[end][:1].isupper() or phrase_sector(name, kb) is not None:
            continue  # "General Intelligence Directorate": the words after the title are not a name
        person = _named(name, date, kb) or _surname(name, date)
        if person is not None and person.kind == "person":
            held = person._status == "held" and person.sector not in (None, "ELI")
            sector = person.sector if held else title.sector  # the title says more than a stale or elite role
            code = person.code or (places[0].code if places else title.country)
            return Resolution(code, sector, person.name, person.actor_id, "person",
                              f"title '{title.words}' + {person.why}")
        if places or title.country:
            code = places[0].code if places else title.country
            return Resolution(code, title.sector, name, None, "person",
                              f"title '{title.words}' with state {code} named before it; name unknown")
        return Resolution(None, title.sector, name, None, "person", f"title '{title.words}'; name unknown")
    return None


def _office_holder(place: Place, title, date: str | None, kb) -> Resolution:
    code, words = place.code, place.words
    person = kb.office_holder(code, title.office, date) if date else _current_holder(code, title.office, kb)
    office = next((o for o in person.offices if o.title == title.office and (o.code or person.country) == code
                   and (date is None or o.held_on(date))), None) if person else None
    if person is None or office is None:
        return Resolution(code, title.sector, None, None, "person",
                          f"title '{title.words}' of {code} from '{words}'; holder on {date or 'now'} unknown")
    return Resolution(code, office.sector or title.sector, person.name, f"person:{person.slug}", "person",
                      f"knowledge base: {title.office} of {code} on {date or 'now'} "
                      f"({office.start or '?'} to {office.end or 'now'})")


def _current_holder(code: str, office: str, kb):
    """The one person holding an office of a state or body now (an office without an end), or None."""
    holders = [p for p in kb.people.values() for o in p.offices
               if o.title == office and (o.code or p.country) == code and o.end is None]
    return holders[0] if len({p.slug for p in holders}) == 1 else None


def _surname(name: str, date: str | None) -> Resolution | None:
    words = words_of(name)
    if len(words) != 1:
        return _from_index(name, date) if len(words) > 1 else None
    return _best(load_index().find_surname(words[0]), name, date, "surname")


# --------------------------------------------------------------------------- generic phrases
def _generic(phrase: str, date: str | None, kb) -> Resolution | None:
    places = named_places(phrase, kb)
    if places and places[0].kind in ("state", "organization"):
        found = _named_after_place(phrase, places[0], date, kb)
        if found is not None:
            return found
    words = phrase.split()
    if not places and len(words) > 1 and all(w[:1].isupper() for w in words):
        head = name_head_sector(phrase)  # an unknown proper name ("Yi Gang"), not a generic phrase,
        return Resolution(None, head[0], phrase, None, "group", f"unknown name; sector {head[0]} from "
                          f"'{head[1]}'") if head else None  # unless it ends in "Party", "Brigade" ...
    sector = phrase_sector(phrase, kb)
    if not places and sector is None:
        return _surname(phrase, date) if len(words) == 1 else None
    place = places[0] if places else None
    code = place.code if place else None
    kind = place.kind if place and sector is None else "generic"
    # "a Hamas commander", "Sinaloa cartel gunmen": the group's own sector, unless the noun says more
    if place and place.kind in ("group", "body") and place.sector and (sector is None or sector[0] in GROUP_ROLES):
        sector = (place.sector, place.words)
    why = []
    if sector:
        why.append(f"sector {sector[0]} from '{sector[1]}'")
    if places:
        why.append(f"{place.kind} {code} from '{place.words}'")
    return Resolution(code, sector[0] if sector else None, None, None, kind, "; ".join(why))


def _named_after_place(phrase: str, place: Place, date: str | None, kb) -> Resolution | None:
    """'India's Narcotics Control Bureau': the words after the place, named on their own, of that state."""
    kind, code, words = place.kind, place.code, place.words
    at = phrase.find(words.split()[-1])
    rest = re.sub(r"^['’]s?\s*", "", phrase[at + len(words.split()[-1]):]).strip() if at >= 0 else ""
    if not rest or not rest[:1].isupper():
        return None
    found = _from_index(rest, date, loose_ok=False)
    if found is None or found.code not in (None, code):
        return None
    found.code = code
    found.why += f"; {kind} {code} from '{words}'"
    return found


def _with_context(found: Resolution, context: str | None, kb) -> Resolution:
    """A phrase that names no state borrows the state its context names most, first on a tie."""
    if found.code is not None or not context or found.kind not in ("generic", "person", None):
        return found
    states = [place.code for place in named_places(context, kb) if place.kind == "state"]
    if not states:
        return found
    code = max(states, key=lambda c: (states.count(c), -states.index(c)))  # most named, then first named
    found.code = code
    found.why += f"; state {code} from the context"
    return found
