"""Who takes part: the actors inside a syntactic argument, read from the resolved mentions.

An argument is a token and the part of its subtree that still describes the same participant: conjuncts,
appositions, modifiers and "of" phrases ("the presidents of Russia and Iran"), but not relative clauses,
other clauses or other prepositional phrases.
"""
from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from ..lexicon import place_prepositions, words
from ..nlp import Parsed
from ..records import ActorRef, Mention

# Dependencies that leave the participant: clauses and most prepositional phrases.
_LEAVES = {"relcl", "acl", "advcl", "ccomp", "xcomp", "parataxis", "prep", "punct", "mark", "dative", "agent",
           "npadvmod", "advmod", "csubj"}
_KEEP_PREPS = {"of", "between"}
# Speech-act nouns whose "from" phrase names their author: "a proposal from the Foreign Ministry".
_AUTHORED_NOUNS = words("authored_nouns")
_PLACE_PREPS = place_prepositions("target_place")
# Roles whose "for"/"at" phrase names the body they speak for: "a spokesperson for India's foreign ministry".
_ROLE_NOUNS = words("role_nouns")
_NAMED_LABELS = {"PERSON", "ORG", "NORP", "GPE"}
_NOT_ACTORS = {"DATE", "TIME", "ORDINAL", "CARDINAL", "MONEY", "PERCENT", "QUANTITY", "LAW", "WORK_OF_ART",
               "LANGUAGE", "EVENT"}
# Things attacked, seized or restricted that stand for the people of the place they are in
# ("targets in Jericho", "settlements in the Gaza Strip").
_TARGET_NOUNS = words("target_nouns")
QUANTITY_NOUNS = words("quantity_nouns")
_FIRST_PERSON = words("first_person")
# A person is more specific than a body of the same state, which is more specific than the state.
_SPECIFICITY = {"person": 3, "organization": 2, "group": 2, "state": 1}


class MentionIndex:
    """Looks up the mentions that fall on tokens of one parsed segment."""

    def __init__(self, parsed: Parsed, mentions: list[Mention], quote_speakers=None,
                 actor_nouns: dict[str, str] | None = None):
        self.parsed = parsed
        self.actor_nouns = actor_nouns or {}  # noun -> PLOVER sector ("rebels" -> REB)
        lo, hi = parsed.segment.start, parsed.segment.end
        self.mentions = [m for m in mentions if m.start < hi and m.end > lo]
        self.quote_speakers = quote_speakers or []  # [(start, end, ActorRef)] of direct quotes
        self._by_token = self._token_map(parsed, self.mentions)

    @staticmethod
    def _token_map(parsed: Parsed, mentions: list[Mention]) -> dict[int, list[Mention]]:
        """Token index -> the mentions overlapping it, built once (a lookup per token must not scan them all)."""
        doc, lo = parsed.doc, parsed.segment.start
        length = parsed.segment.end - lo  # not len(doc.text): Doc.text joins every token on each access
        out: dict[int, list[Mention]] = {}
        for mention in mentions:
            span = doc.char_span(max(mention.start - lo, 0), min(mention.end - lo, length),
                                 alignment_mode="expand")
            for tok in span if span is not None else ():
                out.setdefault(tok.i, []).append(mention)
        return out

    def on_token(self, token: Token) -> list[Mention]:
        return list(self._by_token.get(token.i, ()))

    def speaker_at(self, token: Token) -> ActorRef | None:
        pos = self.parsed.offset(token.idx)
        for start, end, speaker in self.quote_speakers:
            if start <= pos < end and speaker is not None and speaker.code:
                return speaker
        return None


def argument_tokens(head: Token) -> list[Token]:
    """The tokens that describe the participant headed by `head`."""
    out, stack = [], [head]
    while stack:
        tok = stack.pop()
        out.append(tok)
        for child in tok.children:
            if child.dep_ == "prep" and (child.lower_ in _KEEP_PREPS or
                                         child.lower_ in ("from", "by") and tok.lower_ in _AUTHORED_NOUNS or
                                         child.lower_ in ("for", "at") and tok.lower_ in _ROLE_NOUNS):
                stack.append(child)
            elif child.dep_ not in _LEAVES:
                stack.append(child)
    return sorted(out, key=lambda t: t.i)


def actors_of(head: Token | None, index: MentionIndex) -> list[ActorRef]:
    """The distinct actors named in the argument headed by `head`, most specific per code.

    A group the text names only by what its members are ("demonstrators in Baghdad", "rebels in the Ivory
    Coast") is coded by the place it is in: the state of that place, in the sector the noun implies.
    """
    if head is None:
        return []
    if head.lemma_.lower() in QUANTITY_NOUNS:  # "thousands of demonstrators": the people counted
        counted = [o for p in head.children if p.dep_ == "prep" and p.lower_ == "of" for o in p.children]
        if counted:
            head = counted[0]
    found = _named_actors(head, index)
    sector = index.actor_nouns.get(head.lemma_.lower()) or index.actor_nouns.get(head.lower_)
    for mod in head.children:  # "opposition groups", "rebel leaders": the modifier says who they are
        if sector and mod.dep_ in ("compound", "amod") and index.actor_nouns.get(mod.lower_) and mod.i < head.i:
            sector = index.actor_nouns[mod.lower_] if sector == "CVL" else sector
    if sector and found:  # "Sudanese rebels", "Darfur rebels": the state's people of that sector
        found = [_as_group(ref, head, sector) for ref in found]
    if not found and (sector or head.lemma_.lower() in _TARGET_NOUNS):
        found = _placed_group(head, index, sector or "CVL")
    if not found and not sector and _agentive_plural(head):
        sector = "CVL"  # "dockworkers", "truckers", "leftists": people named by what they do
        found = _placed_group(head, index, sector)
    if not found and (sector or head.ent_type_ in _NAMED_LABELS or head.pos_ == "PROPN") \
            and head.ent_type_ not in _NOT_ACTORS:
        found = [_placed_anywhere(head, index, sector) or uncoded(head, sector)]
    return found


def _placed_anywhere(head: Token, index: MentionIndex, sector: str | None) -> ActorRef | None:
    """An uncoded group whose phrase places it ("parties to the conflict in Iraq"): coded by that state."""
    for tok in head.subtree:
        for mention in index.on_token(tok):
            if mention.actor.kind == "state" and mention.how in ("place", "capital", "name") and tok.i != head.i:
                text = head.doc[head.left_edge.i:head.right_edge.i + 1].text
                return ActorRef(text=text, name=f"{head.lemma_} ({mention.actor.name})", code=mention.actor.code,
                                sector=sector, actor_id=f"group:{mention.actor.code}-{sector or 'CVL'}", kind="group")
    return None


def _agentive_plural(tok: Token) -> bool:
    lemma = tok.lemma_.lower()
    return tok.tag_ == "NNS" and lemma.endswith(("er", "or", "ist", "ian", "ant")) and len(lemma) > 4


def uncoded(head: Token, sector: str | None = None) -> ActorRef:
    """An actor the text names but nobody can code yet ("the UNITA militarist wing"): kept with its words,
    so the event is not lost and an analyst can see what is missing from the knowledge base."""
    words = [t for t in argument_tokens(head) if t.dep_ not in ("det", "punct") or t.i > head.left_edge.i]
    text = head.doc[words[0].i:words[-1].i + 1].text if words else head.text
    kind = "person" if head.ent_type_ == "PERSON" else "group"
    if sector is None and head.ent_type_ == "NORP":  # "ethnic Albanians", "the Karen": a people
        sector = "CVL"
    return ActorRef(text=text, name=text, code=None, sector=sector, actor_id=None, kind=kind)


def _as_group(ref: ActorRef, head: Token, sector: str) -> ActorRef:
    if ref.kind != "state" or (ref.sector and ref.sector != sector and ref.sector != "GOV"):
        return ref
    return ActorRef(text=" ".join(t.text for t in argument_tokens(head)), name=f"{head.lemma_} ({ref.name})",
                    code=ref.code, sector=sector, actor_id=f"group:{ref.code}-{sector}", kind="group")


def _placed_group(head: Token, index: MentionIndex, sector: str) -> list[ActorRef]:
    found = []
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ in _PLACE_PREPS:
            for obj in prep.children:
                text = head.doc[head.left_edge.i:obj.right_edge.i + 1].text
                found += [ActorRef(text=text, name=f"{head.lemma_} in {ref.name}", code=ref.code, sector=sector,
                                   actor_id=f"group:{ref.code}-{sector}", kind="group")
                          for ref in _named_actors(obj, index) if ref.kind == "state"]
            if found:  # "negotiators from Armenia and Azerbaijan": each state's group
                return found
    return []


def _named_actors(head: Token, index: MentionIndex) -> list[ActorRef]:
    found: list[ActorRef] = []
    seen: set[int] = set()
    for tok in argument_tokens(head):
        mentions = index.on_token(tok)
        if any(c.lower_ == "ethnic" for c in tok.children) or (tok.i > 0 and tok.nbor(-1).lower_ == "ethnic"):
            continue  # "ethnic Albanians" are a people, not Albania
        for mention in mentions:
            if id(mention) in seen:
                continue
            seen.add(id(mention))
            found.extend(_refs(mention))
        if not mentions and tok.lower_ in _FIRST_PERSON:
            speaker = index.speaker_at(tok)
            if speaker is not None:
                found.append(_speaker_side(speaker, tok.text))
    return distinct(found)


def _refs(mention: Mention) -> list[ActorRef]:
    if mention.members:
        return [replace(m, text=m.text or mention.text) for m in mention.members]
    return [mention.actor]


def _speaker_side(speaker: ActorRef, text: str) -> ActorRef:
    """"We" in a quotation is the speaker's side: the speaker's state (or body)."""
    if speaker.kind == "person" and speaker.code:
        return ActorRef(text=text, name=speaker.code, code=speaker.code, sector=speaker.sector,
                        actor_id=f"state:{speaker.code}", kind="state")
    return replace(speaker, text=text)


def distinct(refs: list[ActorRef]) -> list[ActorRef]:
    """One actor per code (uncoded actors by name), keeping the most specific, in reading order."""
    best: dict[str, ActorRef] = {}
    order: list[str] = []
    for ref in refs:
        key = ref.code or f"?{ref.name}"
        if key not in best:
            order.append(key)
            best[key] = ref
        elif _SPECIFICITY.get(ref.kind, 0) > _SPECIFICITY.get(best[key].kind, 0):
            best[key] = ref
    return [best[k] for k in order]


def codes(refs: list[ActorRef]) -> set[str]:
    return {r.code for r in refs if r.code}


def without(refs: list[ActorRef], taken: list[ActorRef]) -> list[ActorRef]:
    """`refs` less the actors already in `taken`. Two parties of one state stay apart when they are in
    different sectors: "the Sudanese government accused Darfur rebels" is GOV against REB."""
    return [r for r in refs if not any(_same_actor(r, t) for t in taken)]


def _same_actor(a: ActorRef, b: ActorRef) -> bool:
    if a.actor_id and a.actor_id == b.actor_id:
        return True
    if not a.code or a.code != b.code:
        return False
    return not (a.sector and b.sector and a.sector != b.sector)
