"""The sentence reader: where in a parsed sentence an actor may be named.

In: a spaCy sentence and the knowledge base. Out: `Candidate` spans (names, titles, demonyms, capitals,
pronouns, plural phrases) with the syntactic facts resolution needs (subject? modifier? inside a quote?).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from .. import lexicon
from ..nlp import ents_within
from .gazetteer import load_gazetteer
from .knowledge import Entry, KnowledgeBase, Title
from .resolve import resolve_name
from .sectors import phrase_sector

SUBJECT_DEPS = {"nsubj", "nsubjpass"}


NAME_SLOT_LABELS = {"", "PERSON", "ORG", "NORP", "GPE", "FAC", "LOC"}


JOINERS = lexicon.words("joiners")


PLACE_LABELS = {"GPE", "LOC", "FAC"}


PARTY_SECTORS = {"GOV", "MIL", "REB", "SPY"}  # the people a party adjective can name ("western diplomats")


PLACE_PREPS = lexicon.place_prepositions("place_not_actor")


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
    def __init__(self, sent, kb: KnowledgeBase, known_surnames=frozenset(), date: str | None = None,
                 states_so_far: Callable[[], Counter] = Counter):
        self.date = date  # the document's date: offices and bodies are looked up as they were then
        self.states_so_far = states_so_far  # how often the document has named each state before this sentence
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
        for ent in ents_within(self.sent.doc, self.sent.start, self.sent.end):
            entry = self.kb.lookup(ent.text)
            given = self._given_name_before(ent) if entry is not None and entry.kind == "person" else None
            if given is not None:  # "Layla Haddad" is not the known Fernando Haddad: a new person
                self.entity_at[given.i - base] = (ent.end - base, None)
            elif entry is None:
                unknown.append(ent)
            else:
                self.entity_at[ent.start - base] = (ent.end - base, entry)
        self.context = frozenset(e.code for _, e in self.entity_at.values() if e and e.kind == "state")
        self._recontext_seats()
        for ent in unknown:
            self._index_unknown(ent)
        self._index_untagged_places()
        self._index_party_adjectives()

    def _given_name_before(self, ent):
        """The capitalised given name right before a known person's one-word name when, with it, the name is
        not one the knowledge base gives that person ("Layla Haddad" beside the known "Haddad")."""
        if len(ent) != 1 or ent.start == self.sent.start:
            return None
        before = ent.doc[ent.start - 1]
        if before.pos_ != "PROPN" or not before.text[:1].isupper() or before.ent_type_ not in ("", "PERSON"):
            return None
        if self.kb.match_title([before.lower_], 0) is not None:
            return None  # "President Haddad" is a title, not a given name
        full = self.kb.lookup(f"{before.text} {ent.text}")
        return None if full is not None else before

    def _index_unknown(self, ent) -> None:
        """A name the KB does not know: a place in a state, a surname seen before, or a new person."""
        base = self.sent.start
        start, end = ent.start - base, ent.end - base
        place = self._place_entry(start, end, ent.label_) or self._bare_body(start, end)
        if place is not None:
            self.entity_at[start] = (end, place)
            return
        surname = len(ent) == 1 and surname_key(ent.text) in self.known_surnames
        body = self._known_body(ent) if not surname and ent.label_ in ("ORG", "NORP") else None
        if body is not None:  # "Scotland Yard", "MI6": a state's body the wider dictionaries name
            self.entity_at[start] = (end, body)
            return
        if not surname and (ent.label_ != "PERSON" or ent.text in self.kb.not_actors):
            return
        if _looks_like_name(ent):
            self.entity_at[start] = (end, None)

    def _known_body(self, ent) -> Entry | None:
        """A body, party or group the knowledge base lacks but bodies.yaml or Phoenix names as a whole; one
        word only when it is an acronym ("MI6"), since a lone capitalised word is often generic ("Senate")."""
        text = ent.text
        if text in self.kb.not_actors or (len(ent) == 1 and not text.isupper()):
            return None
        found = resolve_name(text, self.date)
        if found is None or found.kind not in ("body", "party", "group", "organization", "state"):
            return None
        return self.kb.entry_for(found.code, "name", found.sector)

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

    def _index_party_adjectives(self) -> None:
        """ "western allies", "Kurdish fighters": an adjective of references.yaml's `party_adjectives` before a
        noun for people who act names a party, in any case; "western Mosul" or "Kurdish towns" do not."""
        adjectives = self.refs.get("party_adjectives") or {}
        for i, word in enumerate(self.words):
            row = adjectives.get(word)
            if row is None or self.entity_at.get(i, (0, None))[1] is not None:
                continue
            end = self._party_adjective_end(i)
            code = None if end is None else row.get("code") or self._people_code(row.get("by_state") or {})
            if code is None:
                continue
            sector = (self.kb.groups.get(code) or {}).get("sector")
            # a code the actor files lack is taken for a state's, as a user's own code for a place would be
            self.entity_at[i] = (end, self.kb.entry_for(code, "demonym", sector) or Entry("state", code, "demonym"))

    def _party_adjective_end(self, i: int) -> int | None:
        """Where the adjective at i ends ("Kurdish-led" takes its suffix) when a party noun follows it."""
        end = i + 1
        if self.words[end:end + 1] == ["-"] and self.words[end + 1:end + 2] and \
                self.words[end + 1] in self.same_side:
            end += 2
        head = end
        while head < len(self.tokens) - 1 and self.tokens[head].pos_ == "ADJ" and head - end < 2:
            head += 1  # "western special forces", "Kurdish armed groups"
        if head >= len(self.tokens) or self.tokens[head].pos_ != "NOUN":
            return None
        words = self.words[head:head + 2]
        for n in (2, 1):
            found = phrase_sector(" ".join(words[:n]))
            if found and found[0] in PARTY_SECTORS:
                return end
        return end if words[0] in set(self.refs.get("party_heads") or []) else None

    def _people_code(self, by_state: dict[str, str]) -> str | None:
        """The group standing for a stateless people where the sentence, else the document so far, is."""
        here = [state for state in by_state if state in self.context]
        if here:
            return by_state[here[0]]
        counts = self.states_so_far()
        best = max(by_state, key=lambda state: counts.get(state, 0), default=None)
        return by_state[best] if best is not None and counts.get(best, 0) else None

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
            if token.pos_ == "PROPN" and not token.ent_type_ and surname_key(token.text) in self.known_surnames:
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
        while j < len(self.tokens) and j - i < 5 and self.tokens[j].pos_ == "PROPN" \
                and self.tokens[j].text[:1].isupper() \
                and self.tokens[j].ent_type_ in NAME_SLOT_LABELS and self.place_at(j) is None and not self.taken[j]:
            j += 1
        if j == i:
            return None
        self.entity_at[i] = (j, None)
        self.end_at[j] = i
        return j

    def _attach_names(self, cand: Candidate) -> None:
        comma = self.words[cand.end:cand.end + 1] == [","]
        i = cand.end + (1 if comma else 0)
        if comma and self._opens_main_clause(cand, i):
            i = len(self.tokens)  # no name follows the title: the main clause does
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

    def _opens_main_clause(self, cand: Candidate, i: int) -> bool:
        """ "In a call to the Japanese prime minister, Albanese said ...": the title closes a fronted phrase and
        the word after the comma is the subject of the main clause, not the title's name."""
        if i >= len(self.tokens):  # the comma ends the sentence
            return False
        title_root, word = self.sent[cand.start:cand.end].root, self.tokens[i]
        while word.dep_ in ("compound", "flat") and word.head.i > word.i:  # "Abiy Ahmed": the name's head word
            word = word.head
        after = word.i - self.sent.start + 1  # "the defence secretary, Jim Mattis, Trump said": a name between commas
        closed = self.words[after:after + 1] == [","]
        return title_root.dep_ in ("pobj", "pcomp") and word.dep_ in ("nsubj", "nsubjpass") and not closed

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
            elif (self.words[i] in pronouns and self.tokens[i].pos_ == "PRON"
                  or self.words[i] in ("his", "its", "their")):
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


def surname_key(name: str) -> str:
    words = [w for w in name.replace("’", "'").split() if w]
    if not words:
        return ""
    last = words[-1].lower().strip(".,'")
    for prefix in ("al-", "el-"):
        if last.startswith(prefix):
            last = last[len(prefix):]
    return last

