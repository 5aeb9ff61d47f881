"""Discourse memory: what the document has named so far, for titles, pronouns and anaphors.

In: mentions as they are resolved, in text order. Out: the `Resolver`'s answers to "who is 'he'",
"who is 'his Iranian counterpart'", "which state is 'the country'", by date and salience.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..records import ActorRef, Document
from .knowledge import Entry, KnowledgeBase, Title, slugify
from .reader import surname_key
from .resolve import resolve_name


# --------------------------------------------------------------------------- resolving
@dataclass
class Seen:
    actor: ActorRef
    sentence: int
    subject: bool
    office: str | None = None
    modifier: bool = False  # "US" in "the US dollar": named in passing, not a participant
    plural: bool = False  # "Libyan rebels", "the Nigerians": what "they" can stand for


class Resolver:
    def __init__(self, document: Document, kb: KnowledgeBase):
        self.document, self.kb = document, kb
        self.date = document.reference_date
        self.people: list[Seen] = []
        self.places: list[Seen] = []
        self.by_surname: dict[str, Seen] = {}
        self.groups: list[tuple[int, list[ActorRef]]] = []  # (sentence, members) of "X and Y"
        self.sentence = -1

    # --- actor references
    def place_ref(self, entry: Entry, text: str, sector: str | None = None) -> ActorRef:
        prefix = {"state": "state", "organization": "org", "group": "group"}[entry.kind]
        return ActorRef(text, self.kb.name_of(entry.kind, entry.code), entry.code, sector or entry.sector,
                        f"{prefix}:{entry.code}", entry.kind)

    def person_ref(self, text: str, hint: str | None, title: Title | None) -> tuple[ActorRef, str]:
        """(actor, how) for a name, given the country and title the context gives."""
        entry = self.kb.lookup(text)
        person = self.kb.person(entry.code) if entry and entry.kind == "person" else None
        if person is None:
            seen = self.by_surname.get(surname_key(text))
            if seen and (hint is None or seen.actor.code == hint):
                ref = seen.actor
                return ActorRef(text, ref.name, ref.code, _sector(title) or ref.sector, ref.actor_id, "person"), \
                    "surname" if len(text.split()) == 1 else "name"
            return self._unknown_person(text, hint, title), "name"
        office = person.office_on(self.date)
        code = (office.code if office and office.code else None) or person.country or hint
        sector = _sector(title) or (office.sector if office else None)
        ref = ActorRef(text, person.name, code, sector, f"person:{person.slug}", "person")
        self._remember_name(ref, [person.name, *person.aliases])
        return ref, "kb" if not title else "title"

    def _unknown_person(self, text: str, hint: str | None, title: Title | None) -> ActorRef:
        known = resolve_name(text, self.date) if hint is None and len(text.split()) > 1 else None
        if known is not None and known.kind == "person":  # a person the wider dictionaries date to an office
            ref = ActorRef(text, known.name or text, known.code, _sector(title) or known.sector, known.actor_id,
                           "person")
            self._remember_name(ref, [text])
            return ref
        surname = slugify(surname_key(text))
        actor_id = f"person:{hint.lower()}:{surname}" if hint else f"person:{slugify(text)}"
        ref = ActorRef(text, text, hint, _sector(title), actor_id, "person")
        self._remember_name(ref, [text])
        return ref

    def _remember_name(self, ref: ActorRef, names: list[str]) -> None:
        for name in names:
            key = surname_key(name)
            if key and key not in self.by_surname:
                self.by_surname[key] = Seen(ref, self.sentence, False)

    def office_ref(self, text: str, place: Entry, title: Title) -> tuple[ActorRef, str]:
        """ "the Russian president": who held the office at the document's date, else an anonymous official."""
        holder = self.kb.office_holder(place.code, title.office, self.date)
        if holder is not None:
            ref = ActorRef(text, holder.name, place.code, title.sector, f"person:{holder.slug}", "person")
            self._remember_name(ref, [holder.name, *holder.aliases])
            return ref, "office"
        name = f"{title.office} of {self.kb.name_of(place.kind, place.code)}"
        return ActorRef(text, name, place.code, title.sector, None, "person"), "title"

    # --- discourse memory
    def note(self, ref: ActorRef, subject: bool, office: str | None = None, modifier: bool = False,
             plural: bool = False) -> None:
        seen = Seen(ref, self.sentence, subject, office, modifier, plural)
        (self.people if ref.kind == "person" else self.places).append(seen)
        if ref.kind == "person" and ref.actor_id and ref.name:
            self._remember_name(ref, [ref.name])

    def last_person(self, gender: str | None) -> ActorRef | None:
        for window in (0, 1, 2, 3):
            pool = [s for s in self.people if s.sentence == self.sentence - window and self._gender_ok(s, gender)]
            if pool:
                subjects = [s for s in pool if s.subject]
                return (subjects or pool)[-1].actor
        return None

    def _gender_ok(self, seen: Seen, gender: str | None) -> bool:
        if not gender or not seen.actor.actor_id or not seen.actor.actor_id.startswith("person:"):
            return True
        person = self.kb.person(seen.actor.actor_id.split(":", 1)[1])
        return person is None or not person.gender or person.gender == gender

    def last_place_subject(self) -> ActorRef | None:
        for window in (0, 1):
            pool = [s for s in self.places if s.sentence == self.sentence - window and s.subject]
            if pool:
                return pool[-1].actor
        return None

    def nearest_place_here(self) -> ActorRef | None:
        """The closest state or body named before, in this sentence, not in passing."""
        pool = [s for s in self.places if s.sentence == self.sentence and not s.modifier]
        return pool[-1].actor if pool else None

    def last_plural_subject(self) -> ActorRef | None:
        """ "They": a plural subject ("Afghan rebels") of this sentence, unless actors joined by "and" came
        later; then one of the last sentence."""
        for window in (0, 1):
            sentence = self.sentence - window
            pool = [s for s in self.places + self.people if s.sentence == sentence and s.subject and s.plural]
            joined = any(when == sentence for when, _ in self.groups)
            if pool and not joined:
                return pool[-1].actor
            if joined:
                return None
        return None

    def last_of_kind(self, kinds: tuple[str, ...], named: bool = False, sector: str | None = None) -> ActorRef | None:
        """The latest actor of these kinds (and sector); with `named`, one named as a party, not a modifier
        ("Canadian sanctions")."""
        return next((s.actor for s in reversed(self.places) if s.actor.kind in kinds and not (named and s.modifier)
                     and (sector is None or s.actor.sector == sector)), None)

    def office_of(self, ref: ActorRef) -> str | None:
        for seen in reversed(self.people):
            if seen.actor.actor_id == ref.actor_id and seen.office:
                return seen.office
        person = self.kb.person(ref.actor_id.split(":", 1)[1]) if ref.actor_id else None
        office = person.office_on(self.date) if person else None
        return office.title if office else None

    def recent_group(self, of: str, two: bool = False) -> list[ActorRef]:
        """The actors a plural reference stands for: a list joined by "and" in this or the last sentence,
        else the two most talked-about actors of the last few sentences."""
        for sentence, members in reversed(self.groups):
            if self.sentence - sentence > 1:
                break
            members = _as_states(members, self.kb) if of == "state" else members
            if len({m.kind for m in members}) > 1 or of == "person" and members[0].kind != "person":
                continue
            if len(members) == 2 or len(members) > 2 and not two:
                return members
        return self.last_two(of)

    def last_two(self, of: str) -> list[ActorRef]:
        if of in ("person", "any"):
            recent = [s.actor for s in self.people if self.sentence - s.sentence <= 2]
            people = _distinct(reversed(recent))[:2]
            if len(people) == 2 or of == "person":
                return list(reversed(people)) if len(people) == 2 else []
        return self._salient_states()

    def most_talked_state(self) -> ActorRef | None:
        """The state talked about most so far (its people count too); recency breaks ties."""
        seen = [s for s in self._states_seen() if not s.modifier]
        counts = Counter(s.actor.code for s in seen)
        states = _as_states([s.actor for s in reversed(seen)], self.kb)
        return max(states, key=lambda ref: counts[ref.code], default=None)  # max keeps the first, most recent

    def state_counts(self) -> Counter:
        """How often each state has been named so far, not in passing (its people count too)."""
        return Counter(s.actor.code for s in self._states_seen() if not s.modifier)

    def _salient_states(self) -> list[ActorRef]:
        """The two states talked about most so far (their people count too) among those of the last sentences."""
        seen = sorted(self._states_seen(), key=lambda s: s.sentence)
        counts = Counter(s.actor.code for s in seen)
        recent = _as_states([s.actor for s in reversed(seen) if self.sentence - s.sentence <= 2 and not s.modifier],
                            self.kb)
        ranked = sorted(recent, key=lambda ref: -counts[ref.code])[:2]  # stable: recency breaks ties
        return ranked if len(ranked) == 2 else []

    def _states_seen(self) -> list[Seen]:
        """Every mention so far of a state or of a person of one."""
        return [s for s in self.places + self.people if s.actor.code in self.kb.states]


def _distinct(refs) -> list[ActorRef]:
    out, ids = [], set()
    for ref in refs:
        key = ref.actor_id or ref.name
        if key not in ids:
            ids.add(key)
            out.append(ref)
    return out


def _as_states(members: list[ActorRef], kb: KnowledgeBase) -> list[ActorRef]:
    out = []
    for m in members:
        if m.kind == "state":
            out.append(m)
        elif m.code in kb.states:
            out.append(ActorRef(m.text, kb.name_of("state", m.code), m.code, None, f"state:{m.code}", "state"))
    return _distinct(out)


def _sector(title: Title | None) -> str | None:
    return title.sector if title else None

