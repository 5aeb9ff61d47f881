"""Actor mentions: every name, title, demonym, capital and pronoun in a document resolved to an actor.

Context first, knowledge base second: "Russian Defense Minister X" makes X a Russian military official even
when the KB has never heard of X; the KB fills in who "the Iranian president" was at the document's date.

One sentence at a time, the finder turns tokens into candidate phrases (a title with the states and names
around it, a KB name, a pronoun, a plural phrase); the resolver then walks them in reading order, keeping a
small discourse memory (people, states and organisations seen, which of them were subjects, lists joined by
"and") for back-references: surnames, "his counterpart", "he", "it", "the two countries", "the bloc".

``Mention.how`` says what resolved it: name | demonym | capital (a KB name, adjective or seat of power),
kb (a person's name found in the KB), surname (a short name for someone named earlier), title (a name or
description with an office around it), office (a description resolved through the KB's dated offices),
counterpart, pronoun, plural (with ``members``), anaphor ("the bloc").
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from .gazetteer import load_gazetteer
from .kb import Entry, KnowledgeBase, Title, slugify
from .records import ActorRef, Document, Mention

SUBJECT_DEPS = {"nsubj", "nsubjpass"}
NAME_SLOT_LABELS = {"", "PERSON", "ORG", "NORP", "GPE", "FAC", "LOC"}
JOINERS = {"and", ",", "&", "as well as"}
QUOTE_CHARS = '"“”'
PLACE_LABELS = {"GPE", "LOC", "FAC"}
PLACE_PREPS = {"in", "at", "near", "from", "outside", "into", "around"}


@dataclass
class Candidate:
    """A stretch of tokens (sentence-local indices, end exclusive) waiting to be resolved."""
    start: int
    end: int
    kind: str  # entity | person | title | pronoun | plural | anaphor
    entry: Entry | None = None
    title: Title | None = None
    plural: bool = False
    role: str | None = None
    places: list[Entry] = field(default_factory=list)  # states/orgs named around a title
    place_how: str = "title"
    names: list[tuple[int, int]] = field(default_factory=list)  # person-name spans attached to a title
    counterpart: bool = False
    group_of: str | None = None  # for plural phrases: state | person | any
    from_discourse: bool = False  # "of the two countries": the places come from earlier text


# --------------------------------------------------------------------------- finding candidates
class SentenceReader:
    def __init__(self, sent, kb: KnowledgeBase, known_surnames=frozenset()):
        self.sent, self.kb = sent, kb
        self.known_surnames = known_surnames  # people named earlier: "Pezeshkian" alone is one of them
        self.tokens = list(sent)
        self.words = [t.lower_ for t in self.tokens]
        self.refs = kb.references
        self.fillers = set(self.refs.get("descriptor_fillers", []))
        self.same_side = set(self.refs.get("same_side_suffixes", []))
        self.bare_bodies = {k.lower(): v for k, v in (self.refs.get("bare_bodies") or {}).items()}
        self.modifiers = self.refs.get("title_modifiers", {})
        self.taken = [False] * len(self.tokens)
        self.entity_at: dict[int, tuple[int, Entry | None]] = {}  # start -> (end, entry; None = unknown person)
        self.gazetteer = load_gazetteer()
        self.place_stopwords = set(self.refs.get("not_places", []))
        self._index_entities()
        self._index_surnames()
        self._join_peoples()
        self.end_at = {end: start for start, (end, _) in self.entity_at.items()}

    def _index_entities(self) -> None:
        base = self.sent.start
        unknown = []
        for ent in self.sent.ents:
            entry = self.kb.lookup(ent.text)
            if entry is None:
                unknown.append(ent)
            else:
                self.entity_at[ent.start - base] = (ent.end - base, entry)
        self.context = frozenset(e.code for _, e in self.entity_at.values() if e and e.kind == "state")
        self._recontext_seats()
        for ent in unknown:
            self._index_unknown(ent)
        self._index_untagged_places()
    def _index_unknown(self, ent) -> None:
        """A name the KB does not know: a place in a state, a surname seen before, or a new person."""
        base = self.sent.start
        start, end = ent.start - base, ent.end - base
        place = self._place_entry(start, end, ent.label_) or self._bare_body(start, end)
        if place is not None:
            self.entity_at[start] = (end, place)
            return
        surname = len(ent) == 1 and _surname_key(ent.text) in self.known_surnames
        if not surname and (ent.label_ != "PERSON" or ent.text in self.kb.not_actors):
            return
        if _looks_like_name(ent):
            self.entity_at[start] = (end, None)

    def _bare_body(self, start: int, end: int) -> Entry | None:
        """ "The Security Council" with no state before it is the UN's; "Russia's Security Council" and
        "secretary of the Security Council" are left to the title reader."""
        words = self.words[start:end]
        words = words[1:] if words[:1] == ["the"] else words
        code = self.bare_bodies.get(" ".join(words))
        before = [w for w in self.words[max(start - 2, 0):start] if w != "the"]
        if code is None or before[-1:] and (before[-1] in ("of", "'s", "’s") or self.end_at_any(start)):
            return None
        return Entry("organization", code, "name")

    def end_at_any(self, i: int) -> bool:
        """Whether a known name ends right before token i (skipping "the")."""
        j = i - 1 if self.words[i - 1:i] == ["the"] else i
        return any(end == j and e is not None for end, e in self.entity_at.values())

    def _place_entry(self, start: int, end: int, label: str) -> Entry | None:
        """A city or region standing for its state: tagged as a place, or any capitalised name after "in",
        "at", "near", "from" or "the town of" (the tagger often takes a small town for a person)."""
        if label not in PLACE_LABELS and not (label in NAME_SLOT_LABELS and self._after_place_word(start)):
            return None
        text = self.sent[start:end].text
        if not text[:1].isupper() or text.lower() in self.place_stopwords:
            return None
        place = self.gazetteer.resolve(text[4:] if text.startswith(("the ", "The ")) else text, self.context)
        return Entry("state", place.country, "place") if place else None

    def _after_place_word(self, i: int) -> bool:
        before = self.words[max(i - 2, 0):i]
        return bool(before) and (before[-1] in PLACE_PREPS or before[-1] == "of" and before[:1] and
                                 before[0] in self.refs.get("place_nouns", []))

    def _recontext_seats(self) -> None:
        """ "Tripoli, the north Lebanese port": a seat of power whose name a place in a state named beside it
        shares stands for that place."""
        for start, (end, entry) in list(self.entity_at.items()):
            if entry is None or entry.how != "capital" or entry.kind != "state":
                continue
            around = {e.code for s, (_, e) in self.entity_at.items() if s != start and e and e.kind == "state"}
            if entry.code in around:
                continue
            others = [p for p in self.gazetteer.candidates(self.sent[start:end].text) if p.country in around]
            if others:
                self.entity_at[start] = (end, Entry("state", others[0].country, "place"))

    def _index_untagged_places(self) -> None:
        i = 0
        while i < len(self.tokens):
            j = i
            while j < len(self.tokens) and not self.tokens[j].ent_type_ and self.tokens[j].pos_ == "PROPN" \
                    and self.tokens[j].text[:1].isupper():
                j += 1
            if j > i and self.entity_at.get(i) is None and self._after_place_word(i):
                place = self._place_entry(i, j, "")
                if place is not None:
                    self.entity_at[i] = (j, place)
            i = max(j, i + 1)

    def _join_peoples(self) -> None:
        """ "Bosnian Serbs", "Iraqi Kurds": a state's adjective before a people's plural name is that state."""
        for start, (end, entry) in sorted(self.entity_at.items()):
            if entry is None or entry.how != "demonym" or entry.kind != "state" or end >= len(self.tokens):
                continue
            nxt = self.tokens[end]
            if nxt.tag_ in ("NNPS", "NNS") and nxt.text[:1].isupper() and nxt.ent_type_ in ("NORP", "") \
                    and self.tokens[end - 1].tag_ == "JJ":
                following = self.entity_at.pop(end, None)
                self.entity_at[start] = ((following[0] if following else end + 1), entry)

    def _index_surnames(self) -> None:
        base = self.sent.start
        for token in self.sent:  # a surname the tagger missed altogether
            i = token.i - base
            if token.pos_ == "PROPN" and not token.ent_type_ and _surname_key(token.text) in self.known_surnames:
                self.entity_at[i] = (i + 1, None)

    def place_at(self, i: int) -> tuple[int, Entry] | None:
        found = self.entity_at.get(i)
        if found and found[1] is not None and found[1].kind != "person":
            return found[0], found[1]
        return None

    def sole_state(self) -> str | None:
        """The state named in this sentence, when exactly one is."""
        codes = {e.code for _, e in self.entity_at.values() if e is not None and e.kind == "state"}
        return codes.pop() if len(codes) == 1 else None

    def person_at(self, i: int) -> int | None:
        found = self.entity_at.get(i)
        if found and (found[1] is None or found[1].kind == "person"):
            return found[0]
        return None

    def candidates(self) -> list[Candidate]:
        found = self._titles()
        for start, (end, entry) in sorted(self.entity_at.items()):
            if not any(self.taken[start:end]):
                kind = "person" if entry is None or entry.kind == "person" else "entity"
                found.append(Candidate(start, end, kind, entry))
                self._take(start, end)
        found += self._references()
        return sorted(found, key=lambda c: c.start)

    def _take(self, start: int, end: int) -> None:
        for i in range(start, end):
            self.taken[i] = True

    # --- titles, with the places and names around them
    def _masked_words(self) -> list[str]:
        masked = list(self.words)
        for start, (end, _) in self.entity_at.items():
            for i in range(start, end):
                masked[i] = "\0"
        return masked

    def _titles(self) -> list[Candidate]:
        words, found, i = self._masked_words(), [], 0
        counterpart = set(self.refs.get("counterpart_words", []))
        while i < len(words):
            if words[i] in counterpart:
                match = (i + 1, None, words[i].endswith("s"))
            else:
                match = self.kb.match_title(words, i)
            if match is None or any(self.taken[i:match[0]]):
                i += 1
                continue
            end, title, plural = match
            cand = Candidate(i, end, "title", title=title, plural=plural, counterpart=title is None)
            self._extend_title(cand)
            if cand.title is None and not cand.counterpart:
                i = end
                continue
            found.append(cand)
            self._take(cand.start, cand.end)
            i = cand.end
        return found

    def _extend_title(self, cand: Candidate) -> None:
        title_start, title_end = cand.start, cand.end
        cand.start = self._places_left(cand)
        cand.end = self._places_right(cand)
        cand.role = self._role_text(title_start, title_end, cand)
        if cand.title is not None and cand.title.kind == "body":
            return
        self._attach_names(cand)

    def _places_left(self, cand: Candidate) -> int:
        """Walk left over "Iran's", "the Iranian and Russian", "his", "Kremlin" before a title."""
        i, start = cand.start - 1, cand.start
        while i >= 0:
            word = self.words[i]
            place_start = self.end_at.get(i + 1)
            place = self.place_at(place_start) if place_start is not None else None
            if place is not None:
                cand.places.insert(0, place[1])
                cand.place_how = place[1].how
                i, start = place_start - 1, place_start
            elif word in self.same_side and i > 1 and self.words[i - 1] == "-" and self.end_at.get(i - 1) is not None:
                i -= 2  # "Vietnamese-led forces" are Vietnam's
            elif word in self.modifiers and not cand.places and not self.taken[i] and cand.title is not None \
                    and self.tokens[i].dep_ in ("compound", "amod"):
                if cand.title.kind == "office":  # "rebel leaders" lead rebels
                    cand.title = replace(cand.title, sector=self.modifiers[word])
                start, i = i, i - 1
            elif (word in self.fillers or word in ("both", "two")) and not self.taken[i]:
                if word in ("his", "her", "their", "both", "two"):
                    start = i
                i -= 1
            elif word in JOINERS and cand.places and i > 0 and self.end_at.get(i) is not None \
                    and self.place_at(self.end_at[i]):
                i -= 1
            else:
                break
        return start

    def _places_right(self, cand: Candidate) -> int:
        """Take "of Russia (and Iran)", "of Iran's Supreme National Security Council", "of the two countries"."""
        end = cand.end
        if end >= len(self.words) or self.words[end] != "of":
            return end
        i = end + 1
        plural_phrase = self._plural_phrase_at(i)
        if plural_phrase and plural_phrase[1] == "state":
            cand.from_discourse = True
            return plural_phrase[0]
        while i < len(self.words):
            place = self.place_at(i)
            if self.words[i] in self.fillers or (self.words[i] in JOINERS and cand.places):
                i += 1
            elif place is not None:
                cand.places.append(place[1])
                i = end = place[0]
            else:
                break
        tail = self._proper_tail(i)
        if tail > i:
            self._retitle(cand, i, tail)
            end = tail
        return end

    def _proper_tail(self, i: int) -> int:
        """Capitalised words naming a body after "of": "Supreme National Security Council"."""
        j = i
        while j < len(self.tokens) and self.tokens[j].is_title and self.entity_at.get(j) is None \
                and self.tokens[j].pos_ in ("PROPN", "NOUN", "ADJ"):
            j += 1
        return j

    def _retitle(self, cand: Candidate, tail_start: int, tail_end: int) -> None:
        if cand.title is None:
            return
        key = cand.title.words.split() + ["of"] + self.words[tail_start:tail_end]
        for words in (key, key[:-len(self.words[tail_start:tail_end])] + ["the"] + self.words[tail_start:tail_end]):
            match = self.kb.match_title(words, 0)
            if match and match[0] == len(words):
                cand.title = match[1]
                if match[1].country and not cand.places:
                    cand.places.append(Entry("state", match[1].country, "title"))
                return

    def _role_text(self, start: int, end: int, cand: Candidate) -> str:
        span_end = max(end, cand.end) if cand.end > end and self.words[end:end + 1] == ["of"] else end
        return self.sent[start:span_end].text

    def name_at(self, i: int) -> int | None:
        """End of a name starting at i: a PERSON entity, or, in the slot after a title, capitalised proper
        nouns the tagger labelled otherwise ("counterpart, Marios Loizou," tagged ORG)."""
        end = self.person_at(i)
        if end is not None:
            return end
        j = i
        while j < len(self.tokens) and j - i < 5 and self.tokens[j].pos_ == "PROPN" and self.tokens[j].text[:1].isupper() \
                and self.tokens[j].ent_type_ in NAME_SLOT_LABELS and self.place_at(j) is None and not self.taken[j]:
            j += 1
        if j == i:
            return None
        self.entity_at[i] = (j, None)
        self.end_at[j] = i
        return j

    def _attach_names(self, cand: Candidate) -> None:
        i = cand.end + (1 if self.words[cand.end:cand.end + 1] == [","] else 0)
        while i < len(self.tokens) and (name_end := self.name_at(i)) and not any(self.taken[i:name_end]):
            cand.names.append((i, name_end))
            cand.end = name_end
            if not cand.plural or self.words[name_end:name_end + 1] not in (["and"], [","]):
                break
            i = name_end + 1
        if not cand.names and not cand.plural:
            self._attach_name_before(cand)
        if cand.names and not cand.plural and self.words[cand.end:cand.end + 1] == [","] \
                and self.words[cand.start - 1:cand.start] == [","]:
            pass  # a name between commas keeps its commas outside the mention

    def _attach_name_before(self, cand: Candidate) -> None:
        """ "Ali Akbar Ahmadian, secretary of ..." : a name, a comma, then the title (a few modifiers allowed)."""
        i = cand.start - 1
        steps = 0
        while i >= 0 and steps < 3 and self.words[i] != "," and not self.taken[i] \
                and self.tokens[i].pos_ in ("ADJ", "NOUN", "DET") and self.entity_at.get(i) is None:
            i, steps = i - 1, steps + 1
        if i < 1 or self.words[i] != ",":
            return
        name_start = self.end_at.get(i)
        if name_start is not None and self.person_at(name_start) == i and not any(self.taken[name_start:i]):
            cand.names.append((name_start, i))
            cand.start = name_start

    # --- pronouns, plural phrases, "the bloc"
    def _plural_phrase_at(self, i: int) -> tuple[int, str] | None:
        phrases = self.refs.get("plural_phrases", {})
        for length in (3, 2, 1):
            key = " ".join(self.words[i:i + length])
            if len(self.words[i:i + length]) == length and key in phrases:
                return i + length, phrases[key]
        return None

    def _references(self) -> list[Candidate]:
        found = []
        anaphors = {tuple(a.split()) for a in self.refs.get("organization_anaphors", [])}
        state_anaphors = {tuple(a.split()) for a in self.refs.get("state_anaphors", [])}
        military_anaphors = {tuple(a.split()) for a in self.refs.get("military_anaphors", [])}
        state_or_military = state_anaphors | military_anaphors
        pronouns = set(self.refs.get("person_pronouns", {})) | set(self.refs.get("thing_pronouns", [])) \
            | set(self.refs.get("plural_pronouns", []))
        i = 0
        while i < len(self.tokens):
            if self.taken[i]:
                i += 1
                continue
            plural = self._plural_phrase_at(i)
            two = tuple(self.words[i:i + 2])
            if plural and not any(self.taken[i:plural[0]]) and self._refers(i, plural[0]):
                found.append(Candidate(i, plural[0], "plural", group_of=plural[1]))
                i = plural[0]
            elif two in anaphors and self.tokens[i + 1].pos_ != "PROPN":
                found.append(Candidate(i, i + 2, "anaphor"))
                i += 2
            elif two in state_or_military and self.tokens[i + 1].pos_ != "PROPN" \
                    and not self._of_what(i + 2):
                found.append(Candidate(i, i + 2, "anaphor", group_of="state" if two in state_anaphors else "MIL"))
                i += 2
            elif self.words[i] in pronouns and self.tokens[i].pos_ == "PRON" or self.words[i] in ("his", "its", "their"):
                found.append(Candidate(i, i + 1, "pronoun"))
                i += 1
            else:
                i += 1
        return found

    def _of_what(self, i: int) -> bool:
        """ "the state of emergency", "the army of Chad": an "of" that says what is meant; not "of using"."""
        return i + 1 < len(self.tokens) and self.words[i] == "of" and self.tokens[i + 1].tag_ != "VBG"

    def _refers(self, start: int, end: int) -> bool:
        """ "both" and "the two" refer to actors only when they stand for them, not in "both X and Y"."""
        head = self.tokens[end - 1]
        if head.dep_ in ("preconj", "cc") or self.words[start] == "both" and end - start == 1 \
                and head.head.pos_ in ("NOUN",) and head.dep_ == "det":
            return False
        if end - start == 1 and "and" in self.words[end:end + 6] and self.words[start] == "both":
            return False
        if self.words[end - 1] == "two" and end < len(self.tokens) and self.tokens[end].pos_ in ("NOUN", "PROPN"):
            return False  # "the two nations" is a plural phrase of its own; "the two words" is not an actor
        return True


def _looks_like_name(ent) -> bool:
    words = [t for t in ent if t.is_alpha]
    return bool(words) and all(t.is_title or t.text[:1].isupper() or t.lower_ in ("al", "bin", "von", "der", "de")
                               for t in words) and not any(t.like_num for t in ent)


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
            seen = self.by_surname.get(_surname_key(text))
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
        surname = slugify(_surname_key(text))
        actor_id = f"person:{hint.lower()}:{surname}" if hint else f"person:{slugify(text)}"
        ref = ActorRef(text, text, hint, _sector(title), actor_id, "person")
        self._remember_name(ref, [text])
        return ref

    def _remember_name(self, ref: ActorRef, names: list[str]) -> None:
        for name in names:
            key = _surname_key(name)
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


def _surname_key(name: str) -> str:
    words = [w for w in name.replace("’", "'").split() if w]
    if not words:
        return ""
    last = words[-1].lower().strip(".,'")
    for prefix in ("al-", "el-"):
        if last.startswith(prefix):
            last = last[len(prefix):]
    return last


# --------------------------------------------------------------------------- the document walk
def resolve_mentions(parsed, document: Document, kb: KnowledgeBase | None) -> list[Mention]:
    """Every actor mention in the document, in reading order, with offsets into document.text."""
    if kb is None:
        return []
    resolver = Resolver(document, kb)
    found: list[Mention] = []
    for part in parsed:
        for sent in part.doc.sents:
            resolver.sentence += 1
            found += _resolve_sentence(part, sent, resolver)
    return found


def _resolve_sentence(part, sent, resolver: Resolver) -> list[Mention]:
    reader = SentenceReader(sent, resolver.kb, frozenset(resolver.by_surname))
    out: list[Mention] = []
    previous: tuple[Candidate, Mention] | None = None
    for cand in reader.candidates():
        mention = _resolve(cand, reader, part, resolver)
        if mention is None:
            continue
        _note_group(previous, cand, mention, reader, resolver)
        out.append(mention)
        previous = (cand, mention)
    return out


def _note_group(previous, cand: Candidate, mention: Mention, reader: SentenceReader, resolver: Resolver) -> None:
    """Mentions joined by "and" or commas make a group that "the two" and "they" can refer to."""
    if mention.members:
        resolver.groups.append((resolver.sentence, list(mention.members)))
        return
    if previous is None or mention.how in ("pronoun", "anaphor"):
        return
    between = reader.words[previous[0].end:cand.start]
    if between and all(w in JOINERS for w in between):
        last_sentence, members = resolver.groups[-1] if resolver.groups else (None, [])
        if last_sentence == resolver.sentence and members and members[-1] is previous[1].actor:
            members.append(mention.actor)
        else:
            resolver.groups.append((resolver.sentence, [previous[1].actor, mention.actor]))


def _is_modifier(reader: SentenceReader, cand: Candidate) -> bool:
    return cand.kind == "entity" and reader.tokens[cand.end - 1].dep_ in ("compound", "amod")


def _is_subject(reader: SentenceReader, cand: Candidate) -> bool:
    """A subject, or the owner of one ("Iran's focus will be ..."): the actor the sentence is about."""
    tokens = reader.tokens[cand.start:cand.end]
    return any(t.dep_ in SUBJECT_DEPS or (t.dep_ == "poss" and t.head.dep_ in SUBJECT_DEPS) for t in tokens)


def _make(part, reader: SentenceReader, cand: Candidate, actor: ActorRef, how: str, role=None, members=None) -> Mention:
    span = reader.sent[cand.start:cand.end]
    start, end = part.span_offsets(span)
    return Mention(start, end, span.text, actor, how, role, members or [])


def _resolve(cand: Candidate, reader: SentenceReader, part, resolver: Resolver) -> Mention | None:
    handler = {"entity": _resolve_entity, "person": _resolve_person, "title": _resolve_title,
               "pronoun": _resolve_pronoun, "plural": _resolve_plural, "anaphor": _resolve_anaphor}[cand.kind]
    mention = handler(cand, reader, part, resolver)
    if mention is not None and cand.kind not in ("pronoun", "plural", "anaphor"):
        office = resolver.kb.canonical_office(cand.title.office) if cand.title else None
        if mention.members:
            for member in mention.members:
                resolver.note(member, _is_subject(reader, cand), office)
        else:
            modifier = _is_modifier(reader, cand) or mention.how == "place"  # a town is not a party
            plural = cand.plural or reader.tokens[cand.end - 1].tag_ in ("NNS", "NNPS")
            resolver.note(mention.actor, _is_subject(reader, cand), office, modifier, plural)
    return mention


def _resolve_entity(cand, reader, part, resolver) -> Mention:
    text = reader.sent[cand.start:cand.end].text
    return _make(part, reader, cand, resolver.place_ref(cand.entry, text), cand.entry.how)


def _resolve_person(cand, reader, part, resolver) -> Mention:
    text = reader.sent[cand.start:cand.end].text
    ref, how = resolver.person_ref(text, None, None)
    return _make(part, reader, cand, ref, how)


def _resolve_title(cand: Candidate, reader, part, resolver: Resolver) -> Mention | None:
    if cand.counterpart:
        return _resolve_counterpart(cand, reader, part, resolver)
    title = cand.title
    places = cand.places or ([Entry("state", title.country, "title")] if title.country else [])
    if cand.from_discourse:
        places = [Entry("state", m.code, "title") for m in resolver.recent_group("state", two=True)]
    if title.kind == "body":
        text = reader.sent[cand.start:cand.end].text
        if len(places) > 1:  # "French and Egyptian warships"
            refs = [resolver.place_ref(p, text, title.sector) for p in places]
            return _make(part, reader, cand, _plural_actor(reader, cand, refs), "plural", cand.role, refs)
        if not places:
            return None
        return _make(part, reader, cand, resolver.place_ref(places[0], text, title.sector), _place_how(cand), cand.role)
    if cand.names:
        return _named_official(cand, reader, part, resolver, places)
    return _described_official(cand, reader, part, resolver, places)


def _place_how(cand: Candidate) -> str:
    return cand.place_how if cand.place_how in ("demonym", "capital") else "title"


def _named_official(cand, reader, part, resolver: Resolver, places: list[Entry]) -> Mention:
    refs = []
    for k, (start, end) in enumerate(cand.names):
        place = places[k] if cand.plural and k < len(places) else places[0] if places else None
        hint = place.code if place else reader.sole_state()  # "President X" with one state in the sentence
        ref, how = resolver.person_ref(reader.sent[start:end].text, hint, cand.title)
        if ref.sector is None and place is not None:
            ref.sector = place.sector
        refs.append(ref)
    if len(refs) == 1:
        return _make(part, reader, cand, refs[0], "title", cand.role)
    return _make(part, reader, cand, _plural_actor(reader, cand, refs), "plural", cand.role, refs)


def _described_official(cand, reader, part, resolver: Resolver, places: list[Entry]) -> Mention | None:
    text = reader.sent[cand.start:cand.end].text
    if cand.plural:
        if not places and not _definite(reader, cand):
            return None  # "analysts", "leaders of nations": nobody in particular
        if not places:
            two = any(w in ("both", "two") for w in reader.words[max(cand.start - 1, 0):cand.start + 1])
            people = resolver.recent_group("person", two=two)
            if len(people) >= 2:
                return _make(part, reader, cand, _plural_actor(reader, cand, people), "plural", cand.role, people)
            places = [Entry("state", m.code, "title") for m in resolver.recent_group("state", two=True)]
        if len(places) == 1:  # "Swiss doctors", "Iranian diplomats": the state's people of that sector
            return _make(part, reader, cand, resolver.place_ref(places[0], text, cand.title.sector),
                         _place_how(cand), cand.role)
        refs = [resolver.office_ref(text, p, cand.title)[0] for p in places if p.code]
        if len(refs) < 2:
            return None
        return _make(part, reader, cand, _plural_actor(reader, cand, refs), "plural", cand.role, refs)
    if places:
        ref, how = resolver.office_ref(text, places[0], cand.title)
        return _make(part, reader, cand, ref, how, cand.role)
    office = resolver.kb.canonical_office(cand.title.office)
    for seen in reversed(resolver.people):  # "the central bank chief": the holder named earlier
        if seen.office == office and seen.actor.actor_id:
            ref = ActorRef(text, seen.actor.name, seen.actor.code, seen.actor.sector, seen.actor.actor_id, "person")
            return _make(part, reader, cand, ref, "title", cand.role)
    return None


def _resolve_counterpart(cand, reader, part, resolver: Resolver) -> Mention | None:
    """ "his Iranian counterpart(, Name)": the same office as the person "his" refers to, in another state."""
    other = resolver.last_person(None)
    office = resolver.office_of(other) if other else None
    title = resolver.kb.title_for_office(office) if office else None
    place = cand.places[0] if cand.places else None
    text = reader.sent[cand.start:cand.end].text
    if cand.names:
        start, end = cand.names[0]
        ref, _ = resolver.person_ref(reader.sent[start:end].text, place.code if place else None, title)
        return _make(part, reader, cand, ref, "counterpart", office)
    if place is None or title is None:
        return None
    ref, _ = resolver.office_ref(text, place, title)
    return _make(part, reader, cand, ref, "counterpart", office)


def _definite(reader: SentenceReader, cand: Candidate) -> bool:
    return any(w in ("the", "both", "their", "two") for w in reader.words[max(cand.start - 1, 0):cand.start + 1])


def _plural_actor(reader, cand, refs: list[ActorRef]) -> ActorRef:
    kinds = {r.kind for r in refs}
    sectors = {r.sector for r in refs}
    return ActorRef(reader.sent[cand.start:cand.end].text, " and ".join(r.name for r in refs), None,
                    sectors.pop() if len(sectors) == 1 else None, None, kinds.pop() if len(kinds) == 1 else "group")


def _resolve_pronoun(cand, reader: SentenceReader, part, resolver: Resolver) -> Mention | None:
    word = reader.words[cand.start]
    if _inside_quote(reader, cand.start):
        return None
    refs = resolver.kb.references
    if word in refs.get("person_pronouns", {}):
        ref = resolver.last_person(refs["person_pronouns"][word])
        if ref is None:
            return None
        return _make(part, reader, cand, _retext(ref, reader, cand), "pronoun")
    if word in refs.get("thing_pronouns", []):
        if _pleonastic(reader, cand.start):
            return None
        # a possessive "its" mostly owns what is closest ("Iran's support for Russia in its invasion");
        # a subject "it" continues the sentence's topic ("Russia says it will ...")
        ref = (resolver.nearest_place_here() if word == "its" else None) or resolver.last_place_subject()
        return _make(part, reader, cand, _retext(ref, reader, cand), "pronoun") if ref else None
    subject = resolver.last_plural_subject()
    if subject is not None:
        return _make(part, reader, cand, _retext(subject, reader, cand), "pronoun")
    members = resolver.recent_group("any")
    if len(members) < 2:
        return None
    return _make(part, reader, cand, _plural_actor(reader, cand, members), "pronoun", members=members)


def _resolve_plural(cand, reader, part, resolver: Resolver) -> Mention | None:
    two = any(w in ("two", "both") for w in reader.words[cand.start:cand.end])
    members = resolver.recent_group(cand.group_of or "any", two)
    if len(members) < 2:
        return None
    return _make(part, reader, cand, _plural_actor(reader, cand, members), "plural", members=members)


def _resolve_anaphor(cand, reader, part, resolver: Resolver) -> Mention | None:
    if cand.group_of == "MIL":  # "the army": the forces of the state whose military was named last, or most talked of
        ref = resolver.last_of_kind(("state",), named=True, sector="MIL") or resolver.most_talked_state()
        ref = replace(ref, sector="MIL") if ref else None
    elif cand.group_of == "state":  # "the country" is a state the text has named as a party
        ref = resolver.last_of_kind(("state",), named=True)
    else:
        ref = resolver.last_of_kind(("organization", "group"))
    return _make(part, reader, cand, _retext(ref, reader, cand), "anaphor") if ref else None


def _retext(ref: ActorRef, reader, cand) -> ActorRef:
    return ActorRef(reader.sent[cand.start:cand.end].text, ref.name, ref.code, ref.sector, ref.actor_id, ref.kind)


def _inside_quote(reader: SentenceReader, i: int) -> bool:
    before = reader.sent.doc.text[:reader.tokens[i].idx]
    return sum(before.count(q) for q in '"') % 2 == 1 or before.count("“") > before.count("”")


def _pleonastic(reader: SentenceReader, i: int) -> bool:
    """ "It is widely expected that ..." refers to nothing."""
    following = reader.words[i + 1:i + 6]
    return bool(following) and following[0] in ("is", "was", "'s", "has", "seems", "appears") \
        and any(w in ("that", "to", "whether") for w in following[1:])
