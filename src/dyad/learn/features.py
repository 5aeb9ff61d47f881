"""Features for the learned coder, read off the pipeline's own parse, mentions and codebook.

In: a parsed segment (`dyad.nlp.Parsed`), one of its sentences, the document's resolved mentions and the
events the rules found. Out: `Sentence` views and lists of feature names (strings, each worth 1): one list per
sentence for the event-type model, one per (sentence, event type, mention) for the role model.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from spacy.tokens import Span, Token

from ..events.frames import keyword_contexts
from ..lexicon import QUOTE_CHARS
from ..records import ActorRef, Event, Mention

WORD_POS = {"VERB", "NOUN", "ADJ", "ADV", "ADP", "PART", "PROPN", "AUX"}
ARGUMENT_DEPS = ("dobj", "prt", "prep", "xcomp", "ccomp", "dative", "attr", "acomp")
MAX_PATH = 3  # dependency steps kept from a mention up to its clause
MAX_RANK = 3  # the document's most mentioned codes offered as parties of a sentence that names none


@dataclass
class Placed:
    """A mention and the token heading it in the sentence."""
    mention: Mention
    root: Token


@dataclass
class Sentence:
    """One sentence of a parsed segment, with what earlier stages found in it."""
    span: Span
    part: Any  # the dyad.nlp.Parsed segment it is in
    start: int  # document-level character offsets
    end: int
    kind: str  # segment kind: title, body, caption
    placed: list[Placed] = field(default_factory=list)
    rules: list[Event] = field(default_factory=list)

    def codes(self) -> list[str]:
        """Distinct actor codes of the mentions, in text order."""
        seen: list[str] = []
        for p in self.placed:
            for code in _mention_codes(p.mention):
                if code not in seen:
                    seen.append(code)
        return seen


def _mention_codes(mention: Mention) -> list[str]:
    members = [m.code for m in mention.members if m.code]
    return members or ([mention.actor.code] if mention.actor.code else [])


def sentences_of(parsed, mentions: list[Mention], events: list[Event]) -> list[Sentence]:
    """Every sentence of the parsed segments, with the mentions and rule events that fall in it."""
    out = []
    for part in parsed:
        lo = part.segment.start
        inside = [m for m in mentions if lo <= m.start < part.segment.end]
        for sent in part.doc.sents:
            start, end = part.span_offsets(sent)
            view = Sentence(span=sent, part=part, start=start, end=end, kind=part.segment.kind)
            for m in inside:
                if start <= m.start < end:
                    span = part.doc.char_span(m.start - lo, m.end - lo, alignment_mode="expand")
                    if span is not None and len(span):
                        view.placed.append(Placed(m, span.root))
            view.rules = [e for e in events if start <= e.evidence["start"] < end]
            out.append(view)
    return out


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def word_features(tok: Token, codebook) -> list[str]:
    """What one token contributes to the sentence's features (also used to pick a trigger)."""
    if not tok.is_alpha or tok.pos_ not in WORD_POS:
        return []
    lemma = _lemma(tok)
    feats = [f"w:{lemma}"]
    if tok.pos_ in ("VERB", "AUX"):
        feats.append(f"v:{lemma}")
        for child in tok.children:
            if child.dep_ in ARGUMENT_DEPS and child.is_alpha:
                feats.append(f"vd:{lemma}_{_lemma(child)}")
        feats += [f"cbv:{e.type}" for e in codebook.verb_entries(lemma)]
        if any(c.dep_ == "neg" for c in tok.children):
            feats.append(f"neg:{lemma}")
    elif tok.pos_ == "NOUN":
        feats += [f"cbn:{e.type}" for e in codebook.noun_entries(lemma)]
        if tok.head.i != tok.i and tok.head.pos_ == "VERB":
            feats.append(f"nv:{_lemma(tok.head)}_{lemma}")
    return feats


def sentence_features(view: Sentence, codebook) -> list[str]:
    """Features of a whole sentence for the event-type model."""
    sent = view.span
    feats = [f"seg:{view.kind}", f"root:{_lemma(sent.root)}"]
    for tok in sent:
        feats += word_features(tok, codebook)
        if tok.tag_ == "MD":
            feats.append(f"md:{_lemma(tok)}")
        if tok.dep_ == "neg":
            feats.append("neg")
    reported = any(_lemma(t) in codebook.reporting_verbs for t in sent)
    if reported:
        feats.append("reported")
    feats += _judgement_features(sent, codebook, reported)
    feats += [f"rule:{e.type}" for e in view.rules] or ["rule:none"]
    n = len(view.codes())
    feats.append(f"ncodes:{min(n, 3)}")
    feats += sorted({f"kind:{p.mention.actor.kind}" for p in view.placed})
    return sorted(set(feats))


def _judgement_features(sent: Span, codebook, reported: bool) -> list[str]:
    """Criticism with no accusing verb ("called the strikes reckless"): whether the sentence holds a word of the
    codebook's `judgement_words`, and whether it reports speech or quotes someone."""
    if not any(_lemma(t) in codebook.judgement_words or t.lower_ in codebook.judgement_words for t in sent):
        return []
    feats = ["judge", "judge:reported" if reported else "judge:plain"]
    if any(t.text in QUOTE_CHARS for t in sent):
        feats.append("judge:quoted")
    return feats


def context_features(view: Sentence, plover_type: str, codebook) -> list[str]:
    """Features of an event of `plover_type` in this sentence for the context model: the sentence's features,
    its words and verbs crossed with the type, and the codebook `contexts` its words name."""
    sentence = sentence_features(view, codebook)
    crossed = [f"{plover_type}|{f}" for f in sentence if f.startswith(("w:", "v:"))]
    named = [f"cx:{name}" for name in sorted(keyword_contexts(list(view.span), codebook))]
    return sorted(set(sentence + crossed + named + [f"type:{plover_type}"]))


def _path(tok: Token) -> str:
    """Dependency labels from a mention up to its clause's verb: "nsubj", "pobj>prep:with>dobj"."""
    steps, cur = [], tok
    for _ in range(MAX_PATH):
        label = cur.dep_ if cur.dep_ != "prep" else f"prep:{_lemma(cur)}"
        steps.append(label)
        if cur.head.i == cur.i or cur.head.pos_ in ("VERB", "AUX"):
            break
        cur = cur.head
    return ">".join(steps)


def _clause_verb(tok: Token) -> Token | None:
    for anc in tok.ancestors:
        if anc.pos_ in ("VERB", "AUX"):
            return anc
    return None


@dataclass
class Discourse:
    """What the document says around a sentence: who it is about, who the sentence before named."""
    refs: dict[str, ActorRef]  # code -> the first mention's actor, marked as taken from the context when used
    ranks: dict[str, int]  # code -> 1 for the most mentioned code of the document, 2 for the next ...
    previous: list[str] = field(default_factory=list)  # codes the sentence before names

    @classmethod
    def of(cls, views: list[Sentence]) -> Discourse:
        counts: Counter[str] = Counter()
        refs: dict[str, ActorRef] = {}
        for view in views:
            for p in view.placed:
                for code in _mention_codes(p.mention):
                    counts[code] += 1
                    if code not in refs:
                        refs[code] = replace(_ref_with_code(p.mention, code), inferred=True)
        ranks = {code: n for n, (code, _) in enumerate(counts.most_common(MAX_RANK), 1)}
        return cls(refs, ranks)


def _ref_with_code(mention: Mention, code: str) -> ActorRef:
    if mention.actor.code == code:
        return mention.actor
    return next(m for m in mention.members if m.code == code)


@dataclass
class Candidate:
    """A code that may be a party of a sentence's event: named in it (`placed`), or from the discourse."""
    code: str
    ref: ActorRef
    placed: Placed | None


def candidates(view: Sentence, discourse: Discourse) -> list[Candidate]:
    """The sentence's coded mentions (one per code, the first), then the sentence before's codes and the
    document's most mentioned ones."""
    out: dict[str, Candidate] = {}
    for p in view.placed:
        for code in _mention_codes(p.mention):
            out.setdefault(code, Candidate(code, _ref_with_code(p.mention, code), p))
    for code in list(discourse.previous) + list(discourse.ranks):
        if code not in out and code in discourse.refs:
            out[code] = Candidate(code, discourse.refs[code], None)
    return list(out.values())


def _subject_status(view: Sentence, trigger: Token | None) -> str:
    """Whether the trigger's subject is a coded mention, one we could not code, a pronoun, or absent."""
    head = trigger if trigger is not None else view.span.root
    subjects = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subjects:
        return "none"
    placed = [p for p in view.placed if p.root.i == subjects[0].i]
    if placed:
        return "coded" if any(_mention_codes(p.mention) for p in placed) else "uncoded"
    return "pronoun" if subjects[0].tag_ == "PRP" else "noun"


def candidate_features(view: Sentence, cand: Candidate, discourse: Discourse, plover_type: str,
                       trigger: Token | None, codebook) -> list[str]:
    """Features of one candidate as the source or target of an event of `plover_type`."""
    base = [f"subject:{_subject_status(view, trigger)}", f"nlocal:{min(len(view.codes()), 3)}",
            f"rank:{discourse.ranks.get(cand.code, 0)}", f"in_previous:{cand.code in discourse.previous}"]
    if cand.placed is None:
        base.append("context")
        feats = base + [f"{plover_type}|{f}" for f in base]
        return sorted(set(feats))
    return sorted(set(base + [f"{plover_type}|{f}" for f in base]
                      + role_features(view, cand.placed, plover_type, trigger, codebook)))


def role_features(view: Sentence, placed: Placed, plover_type: str, trigger: Token | None,
                  codebook) -> list[str]:
    """Features of one mention as a candidate source or target of an event of `plover_type`."""
    root = placed.root
    base = [f"dep:{root.dep_}", f"path:{_path(root)}", f"how:{placed.mention.how}",
            f"kind:{placed.mention.actor.kind}"]
    if root.dep_ == "pobj":
        base.append(f"prep:{_lemma(root.head)}")
    verb = _clause_verb(root)
    if verb is not None:
        base.append(f"verb_reporting:{_lemma(verb) in codebook.reporting_verbs}")
        if root.dep_ in ("nsubj", "nsubjpass"):
            base.append(f"subj_of:{_lemma(verb)}")
    order = [p.root.i for p in view.placed]
    base.append("first" if root.i == min(order) else "last" if root.i == max(order) else "middle")
    if trigger is not None:
        base.append("left" if root.i < trigger.i else "right")
        base.append(f"under_trigger:{trigger.i in {a.i for a in root.ancestors}}")
        if root.head.i == trigger.i:
            base.append(f"arg_of_trigger:{root.dep_}")
    if placed.mention.actor.sector:
        base.append(f"sector:{placed.mention.actor.sector}")
    feats = base + [f"{plover_type}|{f}" for f in base]
    return sorted(set(feats))


PROBABILITY_STEPS = (0.1, 0.2, 0.3, 0.5, 0.7, 0.9)  # a probability becomes the steps it reaches (linear model)


def _steps(name: str, p: float) -> list[str]:
    return [f"{name}>={step}" for step in PROBABILITY_STEPS if p >= step]


def event_features(event: Event, view: Sentence, proba, classes: list[str],
                   scored: list[tuple[float, float, Candidate]], made_by_model: bool) -> list[str]:
    """Features of one coded event for the acceptance model: how sure the type and role models are of it and of
    its parties, where it comes from, what the sentence holds. `scored` is (p source, p target, candidate) for
    the sentence's candidate parties; `proba` the type model's probabilities."""
    origin = "model" if made_by_model else "rule"
    k = classes.index(event.type) if event.type in classes else None
    p = float(proba[k]) if k is not None else 1.0
    actors = {a.code for a in event.actors if a.code}
    recipients = {a.code for a in event.recipients if a.code}
    parties = actors | recipients
    source = max((ps for ps, _, c in scored if c.code in actors), default=0.0)
    target = max((pt for _, pt, c in scored if c.code in recipients), default=0.0)
    rival = max((ps for ps, _, c in scored if c.code not in parties), default=0.0)
    local = sum(1 for _, _, c in scored if c.code in parties and c.placed is not None)
    feats = [f"origin:{origin}", f"type:{event.type}", f"{origin}|type:{event.type}",
             f"rank:{min(int((proba > p).sum()), 3) if k is not None else 0}", f"local:{min(local, 2)}",
             f"candidates:{min(len(scored), 5)}", f"parties:{min(len(parties), 3)}", f"recipient:{bool(recipients)}",
             f"actor:{bool(actors)}", f"symmetric:{event.symmetric}", f"aux:{event.aux}", f"segment:{view.kind}",
             f"rules_here:{min(len(view.rules), 3)}"]
    return feats + _steps("p", p) + _steps("top", float(proba.max())) + _steps("source", source) \
        + _steps("target", target) + _steps("rival", rival) + _steps("confidence", event.confidence or 0.0)
