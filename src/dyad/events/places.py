"""Where an event happened, how it was carried out (its PLOVER mode), and who the text says reported it."""
from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Span, Token

from ..lexicon import place_prepositions, words
from ..nlp import ents_within
from ..plover import modes
from .arguments import MentionIndex, codes

_PLACE_LABELS = {"GPE", "LOC", "FAC"}
_PLACE_PREPS = place_prepositions("event_location")
_PHONE = words("phone_words")
_MULTILATERAL = words("multilateral_words")
_REPORT_LEMMAS = words("report_lemmas")
_MEDIA_WORDS = words("media_words")


def location_of(head: Token, sent: Span) -> str | None:
    """The place an "in/at X" phrase on the predicate (or the verb governing a nominal one) names."""
    objects = [c for c in head.children if c.dep_ in ("dobj", "nsubjpass")]
    for tok in (head, *objects, head.head):
        for prep in tok.children:
            if prep.dep_ != "prep" or prep.lower_ not in _PLACE_PREPS:
                continue
            place = _place_in(prep)
            if place:
                return place
    return None


def _place_in(prep: Token) -> str | None:
    doc = prep.doc
    lo, hi = prep.i, prep.right_edge.i + 1
    for ent in ents_within(doc, lo, hi):
        if ent.label_ in _PLACE_LABELS:
            text = ent.text
            # "Kazan, Russia": the place with its country
            nxt = doc[ent.end:ent.end + 3]
            if len(nxt) >= 2 and nxt[0].text == "," and nxt[1].ent_type_ == "GPE" and nxt[1].i < hi:
                text = doc[ent.start:ent.end + 2].text
            return text
    # a proper noun the tagger left unlabelled ("in Lima"): a place unless it is tagged as something else
    for obj in prep.children:
        if obj.dep_ == "pobj" and obj.pos_ == "PROPN" and obj.ent_type_ in ("", "GPE", "LOC", "FAC"):
            words = [t for t in obj.subtree if t.pos_ == "PROPN" or t.text == ","]
            return doc[words[0].i:words[-1].i + 1].text.strip(" ,")
    return None


def place_refs(head: Token, index: MentionIndex) -> list:
    """The states of the places an "in/at/near X" phrase on the predicate (or its object) names."""
    objects = [c for c in head.children if c.dep_ in ("dobj", "nsubjpass")]
    found = []
    for tok in (head, *objects):
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ in _PLACE_PREPS:
                for sub in prep.subtree:
                    found += [m.actor for m in index.on_token(sub) if m.actor.code and m.actor.kind == "state"]
    return found


def consult_mode(frame, sent: Span, index: MentionIndex) -> str | None:
    """PLOVER CONSULT modes: a meeting on the sidelines of a summit is multilateral; one held in a state
    that is neither party's is at a third location."""
    words = {t.lower_ for t in sent}
    if words & _PHONE:
        return "phone"
    if words & _MULTILATERAL:
        return "multilateral"
    place_codes = set()
    for prep in frame.head.children:
        if prep.dep_ == "prep" and prep.lower_ in _PLACE_PREPS:
            for tok in prep.subtree:
                place_codes |= {m.actor.code for m in index.on_token(tok) if m.actor.code}
    parties = codes(frame.actors) | codes(frame.recipients)
    if place_codes and parties and not place_codes & parties:
        return "third-party"
    return None


def cue_mode(plover_type: str, sent: Span) -> str | None:
    """The first of the type's PLOVER modes (`modes` in plover.yaml, in precedence order) whose cue the
    sentence holds ("the jets that struck Idlib" is an air strike wherever the aircraft are named)."""
    text = _words_text(sent)
    return next((mode for mode, cues in _cues(plover_type) if any(cue in text for cue in cues)), None)


@lru_cache(maxsize=None)
def _cues(plover_type: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each mode with its cues as padded word sequences (spaCy splits "booby-trapped" at the hyphen)."""
    return tuple((mode, tuple(f" {' '.join(cue.replace('-', ' - ').split())} " for cue in cues))
                 for mode, cues in modes(plover_type).items() if cues)


def _words_text(span: Span) -> str:
    """The span's lemmas and its lower-case words as padded text, so a cue matches either form."""
    lemmas = " ".join(t.lemma_.lower() for t in span)
    lower = " ".join(t.lower_ for t in span)
    return f" {lemmas} | {lower} "


def attribution_of(sent: Span, index: MentionIndex) -> str | None:
    """"the state-owned RIA news agency reported", "told CNBC", "according to the Kremlin"."""
    for tok in sent:
        lemma = tok.lemma_.lower()
        if lemma == "accord" and tok.i + 1 < len(tok.doc) and tok.nbor().lower_ == "to":
            objs = [c for c in tok.nbor().children if c.dep_ == "pobj"]
            if objs:
                return _name(objs[0])
        if lemma == "tell":
            for c in tok.children:
                if c.dep_ in ("dobj", "dative") and c.ent_type_ == "ORG":
                    return _name(c)
        if lemma in _REPORT_LEMMAS and tok.pos_ == "VERB":
            for c in tok.children:
                if c.dep_ == "nsubj" and _is_media(c, index):
                    return _name(c)
    return None


def _is_media(tok: Token, index: MentionIndex) -> bool:
    """A subject that is an outlet: media words ("the RIA news agency"), or a name tagged ORG that is not a
    seat of power standing for a state ("the Kremlin reported" is the state speaking)."""
    words = {t.lower_ for t in tok.subtree}
    seat = any(m.how == "capital" for m in index.on_token(tok))
    return bool(words & _MEDIA_WORDS) or (tok.ent_type_ == "ORG" and not seat)


def _name(tok: Token) -> str:
    """The proper name inside a noun phrase: "the official TASS news agency" -> "TASS"."""
    ents = [e for e in ents_within(tok.doc, tok.left_edge.i, tok.right_edge.i + 1)
            if e.label_ in ("ORG", "PERSON", "GPE", "NORP")]
    if ents:
        return " and ".join(e.text for e in ents[:2])
    words = [t.text for t in tok.subtree if t.pos_ == "PROPN"]
    return " ".join(words) if words else tok.text
