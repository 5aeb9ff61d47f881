"""Facts: the figures an article reports, with value, unit, what they measure and the period they cover.

Candidates are spaCy's CD tokens (and vague plurals such as "hundreds of"); dates, times, ordinals, figures
inside names or designations ("S-400", "Resolution 2231"), list numbers and phone numbers are not facts.
Spelled-out number words are read by the `text2num` library; the word lists (qualifiers, currencies, units)
live in data/facts.yaml.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pycountry
from spacy.tokens import Span, Token
from text_to_num import text2num

from .datafiles import read_data
from .dates import resolve_expression
from .nlp import ents_within
from .records import Document, Fact
from .schemas import FactsFile

NOT_FIGURE_ENTS = {"DATE", "TIME", "ORDINAL"}
NAME_ENTS = {"PRODUCT", "LAW", "WORK_OF_ART", "FAC", "EVENT", "PERSON"}
DIGITS = re.compile(r"^\d[\d,]*(\.\d+)?$")
DIGITS_WITH_SCALE = re.compile(r"^(\d[\d,]*(?:\.\d+)?)([a-zA-Z]+)$")
PHONE = re.compile(r"^\+?\d[\d\-\s().]{6,}$")
YEAR = re.compile(r"^(1[0-9]|20)\d\d$")
ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
ABOUT_MAX_TOKENS = 12
AMOUNT_VERBS = {"be", "amount", "reach", "exceed", "total", "stand", "top", "hit", "surpass"}
DURATIONS = {"years", "decades", "centuries", "months", "weeks", "days", "hours"}
PERIOD_KEEP_PREPOSITIONS = {"from", "by", "since", "until", "till", "through", "between", "before", "after"}


@lru_cache(maxsize=1)
def load_lexicon() -> dict:
    lex = dict(read_data("facts.yaml", FactsFile))
    lex["qualifiers"] = sorted((q.lower().split() for q in lex["qualifiers"]), key=len, reverse=True)
    lex["percent_words"] = sorted((p.lower().split() for p in lex["percent_words"]), key=len, reverse=True)
    lex["designation_heads"] = set(lex["designation_heads"])
    lex["relative_time_words"] = set(lex["relative_time_words"])
    return lex


@dataclass
class Figure:
    """One figure found in a sentence: its tokens, value and unit, before it becomes a Fact."""
    first: Token  # first token of the figure's words (qualifier and currency sign included)
    number_end: Token  # last token of the number itself
    last: Token  # last token of the figure's words (unit or counted noun included)
    anchor: Token  # the token whose syntactic head says what the figure measures
    value: float
    unit: str
    qualifier: str | None
    spelled: bool


def extract_facts(parsed, document: Document) -> list[Fact]:
    facts: list[Fact] = []
    for part in parsed:
        for sent in part.doc.sents:
            for figure, about, period in read_sentence(sent, document):
                start, end = part.offset(figure.first.idx), part.offset(figure.last.idx + len(figure.last))
                facts.append(Fact(
                    fact_id=f"{document.id}:f{len(facts)}", doc_id=document.id, value=figure.value,
                    unit=figure.unit, about=about, text=document.text[start:end], period=period,
                    evidence={"start": start, "end": end}, qualifier=figure.qualifier))
    return facts


def read_sentence(sent: Span, document: Document):
    lex = load_lexicon()
    figures: list[Figure] = []
    i = sent.start
    while i < sent.end:
        figure = figure_at(sent, i, lex)
        if figure is None:
            i += 1
            continue
        i = figure.last.i + 1
        if is_reference_not_measure(figure, lex):
            continue
        figures.append(figure)
    for n, figure in enumerate(figures):
        yield figure, describe(figure, figures[:n]), period_of(figure, sent, document)


# --- finding figures -------------------------------------------------------------------------------------

def figure_at(sent: Span, i: int, lex: dict) -> Figure | None:
    doc = sent.doc
    tok = doc[i]
    if tok.lower_ in lex["vague_scales"] and i + 1 < sent.end and doc[i + 1].lower_ == "of":
        return vague_figure(sent, tok, lex)
    if tok.lower_ in ("half",) and not is_excluded_token(tok):
        return finish(sent, tok, tok, 1.0, True, lex)
    if not is_number_token(tok) or is_excluded_token(tok):
        return None
    end = i
    while end + 1 < sent.end and continues_number(doc, end + 1):
        end += 1
    first = doc[i - 1] if i > sent.start and doc[i - 1].lower_ in ("a", "an") and is_scale_word(tok) else tok
    parsed = number_value([t.text for t in doc[first.i:end + 1]], lex)
    if parsed is None:
        return None
    value, spelled = parsed
    return finish(sent, first, doc[end], value, spelled, lex)


def is_number_token(tok: Token) -> bool:
    if tok.tag_ != "CD":  # "3bn" is tagged as a noun
        scaled = DIGITS_WITH_SCALE.match(tok.text)
        return bool(scaled) and scaled.group(2).lower() in load_lexicon()["scale_abbreviations"]
    return tok.ent_type_ not in ("ORDINAL",)


def continues_number(doc, j: int) -> bool:
    tok = doc[j]
    if is_number_token(tok) and not DIGITS.match(tok.text):
        return True  # "4 billion", "one hundred"
    # "one hundred and five": "and" only between spelled words
    return (tok.lower_ == "and" and j + 1 < len(doc) and is_number_token(doc[j + 1])
            and not DIGITS.match(doc[j + 1].text) and not DIGITS.match(doc[j - 1].text))


def is_scale_word(tok: Token) -> bool:
    return tok.lower_ in ("hundred", "thousand", "million", "billion", "trillion", "dozen")


def number_value(words: list[str], lex: dict) -> tuple[float, bool] | None:
    """(value, spelled?) of a run of number words such as ["4", "billion"], ["a", "thousand"], ["3,600"]."""
    head, rest = words[0], words[1:]
    scaled = DIGITS_WITH_SCALE.match(head)
    if DIGITS.match(head):
        value, spelled = float(head.replace(",", "")), False
    elif scaled and scaled.group(2).lower() in lex["scale_abbreviations"]:
        value = float(scaled.group(1).replace(",", "")) * lex["scale_abbreviations"][scaled.group(2).lower()]
        spelled = False
    else:
        phrase = " ".join("one" if w.lower() in ("a", "an") else w.lower() for w in words)
        try:
            return float(text2num(phrase.replace("-", " "), "en")), True
        except ValueError:
            return None
    for word in rest:
        multiplier = scale_of(word, lex)
        if multiplier is None:
            return None
        value *= multiplier
    return value, spelled


def scale_of(word: str, lex: dict) -> float | None:
    lower = word.lower()
    if lower in lex["scale_abbreviations"]:
        return lex["scale_abbreviations"][lower]
    try:
        return float(text2num(lower, "en"))
    except ValueError:
        return None


def is_excluded_token(tok: Token) -> bool:
    """Dates, times, ordinals and figures glued into designations ("Mi-26") are never facts."""
    doc = tok.doc
    if tok.ent_type_ in NOT_FIGURE_ENTS and not is_duration_in_date(tok):
        return True
    if tok.ent_type_ in NAME_ENTS:
        return True
    if PHONE.match(tok.text) and tok.text.count("-") + tok.text.count(" ") >= 2:
        return True
    glued_before = tok.i >= 2 and doc[tok.i - 1].text in "-/" and not doc[tok.i - 2].whitespace_ \
        and not doc[tok.i - 1].whitespace_ and (doc[tok.i - 2].is_alpha or doc[tok.i - 2].is_digit)
    glued_after = tok.i + 2 < len(doc) and doc[tok.i + 1].text in "-/" and not tok.whitespace_ \
        and not doc[tok.i + 1].whitespace_ and doc[tok.i + 2].is_digit
    return glued_before or glued_after  # "Mi-26", phone numbers, "10-12" ranges and "3/4" are not read


def is_duration_in_date(tok: Token) -> bool:
    """spaCy tags "more than 40 years" as DATE: a number followed by a duration noun is still a figure."""
    lex = load_lexicon()
    doc = tok.doc
    after = [t.lower_ for t in doc[tok.i + 1:tok.i + 3]]
    if after[:1] == ["-"]:  # "a 10-year lease"
        after = after[1:]
    return bool(after) and after[0] in lex["duration_units"] and tok.tag_ == "CD"


def finish(sent: Span, first: Token, number_end: Token, value: float, spelled: bool, lex: dict) -> Figure | None:
    """Reads the unit after (or the currency sign before) a number and the qualifier before it."""
    doc = sent.doc
    nxt = number_end.i + 1
    unit, last, anchor = "count", number_end, number_end
    sign_first, currency = currency_before(sent, first, lex)
    if currency:
        unit, first = currency, sign_first
        abbreviation = doc[nxt].lower_.rstrip(".") if nxt < sent.end else ""
        if abbreviation in lex["scale_abbreviations"]:  # "$2.5m"
            value, number_end, nxt = value * lex["scale_abbreviations"][abbreviation], doc[nxt], nxt + 1
            last = anchor = number_end
    words_after = [t.lower_ for t in doc[nxt:min(nxt + 3, sent.end)]]
    percent_len = match_phrase(words_after, lex["percent_words"])
    if unit == "count" and percent_len:
        unit, last = "percent", doc[nxt + percent_len - 1]
        anchor = last
    elif unit == "count" and (found := currency_after(sent, nxt, lex)):
        unit, last = found
        anchor = last
    elif unit == "count" and words_after and words_after[0] in lex["fraction_words"]:
        if number_end.lower_ == "half":
            return None
        value, unit, last = value / lex["fraction_words"][words_after[0]], "fraction", doc[nxt]
        anchor = last
    elif number_end.lower_ == "half":
        unit = "fraction"
        value = 0.5
    elif unit == "count" and words_after and words_after[0] in lex["duration_units"]:
        after = words_after[1] if len(words_after) > 1 else ""
        if after in lex["relative_time_words"]:
            return None
        unit, last, anchor = lex["duration_units"][words_after[0]], doc[nxt], doc[nxt]
    elif unit == "count" and words_after and words_after[0] in lex["measure_units"]:
        unit, last, anchor = lex["measure_units"][words_after[0]], doc[nxt], doc[nxt]
    elif unit == "count" and words_after and words_after[0] == "-" and nxt + 1 < sent.end:
        if len(words_after) > 1 and words_after[1] in lex["duration_units"]:  # "a 10-year lease"
            if any(t.lower_ == "old" for t in doc[nxt + 2:min(nxt + 4, sent.end)]):
                return None  # "a 34-year-old teacher": an age, not a figure the story reports
            unit, last, anchor = lex["duration_units"][words_after[1]], doc[nxt + 1], doc[nxt + 1]
        else:
            return None  # "one-way", "two-seat": a compound adjective, not a figure
    qualifier, first = qualifier_before(sent, first, lex)
    if unit == "count" and nxt < sent.end and number_end.dep_ == "nummod" and number_end.head.i == nxt:
        last = doc[nxt]  # include the counted noun in the text: "3,600 sanctions"
    return Figure(first, number_end, last, anchor, value, unit, qualifier, spelled)


def vague_figure(sent: Span, tok: Token, lex: dict) -> Figure:
    qualifier = f"{tok.text} of"
    of = tok.doc[tok.i + 1]
    objects = [c for c in of.children if c.dep_ == "pobj"]
    last = objects[0] if objects else of
    return Figure(tok, tok, last, tok, float(lex["vague_scales"][tok.lower_]), "count", qualifier, True)


def match_phrase(words: list[str], phrases: list[list[str]]) -> int:
    """Length of the longest phrase that `words` starts with, 0 if none."""
    for phrase in phrases:
        if words[:len(phrase)] == phrase:
            return len(phrase)
    return 0


def currency_before(sent: Span, first: Token, lex: dict) -> tuple[Token, str | None]:
    doc = sent.doc
    prev = doc[first.i - 1] if first.i > sent.start else None
    if prev is None:
        return first, None
    symbol = prev.text
    if symbol in lex["currency_symbols"]:
        if prev.i > sent.start and doc[prev.i - 1].text in ("US", "U.S.") and symbol == "$":
            return doc[prev.i - 1], "USD"
        return prev, lex["currency_symbols"][symbol]
    if prev.is_upper and len(symbol) == 3 and pycountry.currencies.get(alpha_3=symbol):
        return prev, symbol
    return first, None


def currency_after(sent: Span, nxt: int, lex: dict) -> tuple[str, Token] | None:
    """Currency named after the number: "dollars", "Tanzanian shillings", "USD"."""
    doc = sent.doc
    if nxt >= sent.end:
        return None
    word = doc[nxt]
    if word.is_upper and len(word.text) == 3 and pycountry.currencies.get(alpha_3=word.text):
        return word.text, word
    if word.lower_ in lex["currency_words"]:
        return lex["currency_words"][word.lower_], word
    if nxt + 1 < sent.end and doc[nxt + 1].lower_ in lex["currency_words"]:
        named = iso_currency(f"{word.text} {doc[nxt + 1].lemma_}")
        if named:
            return named, doc[nxt + 1]
    return None


def iso_currency(name: str) -> str | None:
    try:
        return pycountry.currencies.lookup(name).alpha_3
    except LookupError:
        return None


def qualifier_before(sent: Span, first: Token, lex: dict) -> tuple[str | None, Token]:
    doc = sent.doc
    window = doc[max(sent.start, first.i - 3):first.i]
    words = [t.lower_ for t in window]
    for phrase in lex["qualifiers"]:
        if len(phrase) <= len(words) and words[-len(phrase):] == phrase:
            start = doc[first.i - len(phrase)]
            return doc[start.i:first.i].text, start
    return None, first


# --- what is not a measurement ---------------------------------------------------------------------------

def is_reference_not_measure(figure: Figure, lex: dict) -> bool:
    tok = figure.number_end
    if figure.unit == "count" and figure.spelled and figure.value < lex["min_spelled_count"]:
        return True  # "one of the few", "the two sides"
    if figure.unit == "count" and not figure.qualifier and YEAR.match(tok.text):
        return True  # a bare year the tagger missed
    if is_designation(tok, lex):
        return True
    return is_list_number(tok)


def is_designation(tok: Token, lex: dict) -> bool:
    """A number after the name it belongs to: "Resolution 2231", "Boeing 737", "Flight 17"."""
    head = tok.head
    if head.i < tok.i and tok.dep_ in ("nummod", "compound", "appos", "npadvmod"):
        return head.lower_ in lex["designation_heads"] or head.pos_ == "PROPN"
    prev = tok.doc[tok.i - 1] if tok.i > 0 else None
    return prev is not None and prev.lower_ in lex["designation_heads"] and prev.is_title


def is_list_number(tok: Token) -> bool:
    doc = tok.doc
    at_start = tok.i == tok.sent.start or doc[tok.i - 1].text in ("•", "-", "*", "(")
    return at_start and tok.i + 1 < len(doc) and doc[tok.i + 1].text in (".", ")")


# --- what a figure measures ------------------------------------------------------------------------------

def describe(figure: Figure, earlier: list[Figure]) -> str | None:
    if figure.unit in ("percent", "fraction"):
        return share_about(figure)
    if figure.unit == "count":
        return counted_about(figure, earlier)
    anchor = figure.anchor
    noun = modified_noun(anchor)
    if noun is not None:
        return phrase_with_prep(noun)
    return predicate_about(anchor, subject_only_after=figure.unit not in DURATIONS)


def counted_about(figure: Figure, earlier: list[Figure]) -> str | None:
    tok = figure.number_end
    if figure.qualifier and figure.qualifier.endswith(" of") and figure.last is not figure.number_end:
        return phrase_with_prep(figure.last)
    if tok.dep_ == "nummod" and tok.head.pos_ in ("NOUN", "PROPN"):
        noun = tok.head
        if noun.dep_ in ("nsubj", "nsubjpass") and noun.head.pos_ in ("VERB", "AUX"):
            # "3,600 sanctions were imposed against Iran": the predicate says which sanctions
            return trim(f"{core_noun_text(noun)} {predicate_text(noun.head, exclude=noun)}")
        return phrase_with_prep(noun)
    # elliptical ("3,600 sanctions against Iran and almost 2,700 against Russia"): borrow the parallel noun
    counted = [f for f in earlier if f.unit == "count" and f.number_end.dep_ == "nummod"]
    own_preps = [c for c in tok.children if c.dep_ == "prep"]
    if counted:
        noun = counted[-1].number_end.head
        return trim(" ".join([core_noun_text(noun)] + [subtree_text(p) for p in own_preps]))
    of = [c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"]
    return trim(subtree_text(of[0])) if of else predicate_about(tok)


def share_about(figure: Figure) -> str | None:
    anchor = figure.anchor
    of = [c for c in anchor.children if c.dep_ == "prep" and c.lower_ == "of"]
    if of:
        whole = trim(subtree_text(of[0]).split(" ", 1)[-1])
        if anchor.dep_ in ("nsubj", "nsubjpass") and anchor.head.pos_ in ("VERB", "AUX"):
            return trim(f"{whole} {predicate_text(anchor.head, exclude=anchor)}")
        return whole
    noun = modified_noun(anchor)
    if noun is not None:
        return phrase_with_prep(noun)
    return predicate_about(anchor)


def modified_noun(tok: Token) -> Token | None:
    """The noun a figure stands before: "a 12.4% increase", "a $4 billion deal"."""
    if tok.dep_ in ("nummod", "compound", "amod", "nmod", "quantmod") and tok.head.i > tok.i \
            and tok.head.pos_ in ("NOUN", "PROPN"):
        return tok.head
    return None


def predicate_about(tok: Token, subject_only_after: bool = True) -> str | None:
    """What a figure that is an object or adverbial measures: the clause around it ("mutual trade exceeded")."""
    verb = tok
    while verb.dep_ not in ("ROOT",) and verb.pos_ not in ("VERB", "AUX"):
        verb = verb.head
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subjects:
        return trim(predicate_text(verb, exclude=tok))
    subject = subtree_text(subjects[0])
    if subjects[0].pos_ == "PRON":
        return trim(f"{subject} {predicate_text(verb, exclude=tok)}")
    if subject_only_after and verb.lemma_ in AMOUNT_VERBS:
        return trim(subject)
    return trim(f"{subject} {predicate_text(verb, exclude=tok)}")


def predicate_text(verb: Token, exclude: Token) -> str:
    """The verb (with its auxiliaries) and its first complement that does not hold the figure."""
    top = exclude.head if exclude.head.pos_ == "ADP" else exclude  # "for | more than 40 years"
    skip = set(t.i for t in top.subtree)
    words = [c.text for c in verb.children if c.dep_ in ("aux", "auxpass", "neg") and c.i < verb.i]
    words.append(verb.text)
    for child in verb.children:
        if child.i > verb.i and child.dep_ in ("dobj", "attr", "acomp", "prep", "oprd", "dative") \
                and not holds_date(child, skip) and child.i not in skip \
                and not any(t.ent_type_ in ("MONEY", "PERCENT", "QUANTITY") for t in child.subtree):
            words.append(subtree_text(child, skip))
            break
    return " ".join(words)


def phrase_with_prep(noun: Token) -> str:
    """The noun with its modifiers and its first prepositional phrase: "drop in trade with India"."""
    preps = [c for c in noun.children if c.dep_ == "prep" and c.i > noun.i and not holds_date(c)]
    return trim(" ".join([core_noun_text(noun)] + [subtree_text(p) for p in preps[:2]]))


def holds_date(tok: Token, skip: set[int] = frozenset()) -> bool:
    return any(t.ent_type_ == "DATE" and t.i not in skip for t in tok.subtree)


def core_noun_text(noun: Token) -> str:
    mods = [c for c in noun.children if c.i < noun.i and c.dep_ in ("compound", "amod") and c.tag_ != "CD"
            and not any(t.tag_ == "CD" or t.text in "%$€£" for t in c.subtree)]
    start = min([m.left_edge.i for m in mods] + [noun.i])
    return noun.doc[start:noun.i + 1].text


def subtree_text(tok: Token, skip: set[int] = frozenset()) -> str:
    """The phrase under `tok` without its coordinated or parenthetical parts (", a 17% decline ...")."""
    return " ".join(t.text for t in compact_subtree(tok) if t.i not in skip)


def compact_subtree(tok: Token) -> list[Token]:
    out = [tok]
    kept = [c for c in tok.children if c.dep_ not in ("cc", "punct", "appos", "relcl", "parataxis")
            and not (c.dep_ == "conj" and any(t.tag_ == "CD" for t in c.subtree))]
    if any(c.dep_ == "conj" for c in kept):
        kept += [c for c in tok.children if c.dep_ == "cc"]
    for child in kept:
        out.extend(compact_subtree(child))
    return sorted(out, key=lambda t: t.i)


def trim(text: str) -> str:
    words = text.strip(" ,.;:").split()
    return " ".join(words[:ABOUT_MAX_TOKENS])


# --- the period a figure covers --------------------------------------------------------------------------

def period_of(figure: Figure, sent: Span, document: Document) -> str | None:
    """The DATE phrase attached closest above the figure in the parse: "in 2023", "from January to August"."""
    own = set(range(figure.first.i, figure.last.i + 1))
    chain = [figure.anchor] + list(figure.anchor.ancestors)
    if figure.number_end is not figure.anchor:
        chain = [figure.number_end] + chain
    best = None
    for ent in ents_within(sent.doc, sent.start, sent.end):
        if ent.label_ != "DATE" or own & set(range(ent.start, ent.end)) or is_duration_span(ent):
            continue
        attach, prep = attachment(ent)
        if attach is None or attach not in chain:
            continue
        rank = chain.index(attach)
        if best is None or rank < best[0]:
            best = (rank, ent, prep)
    if best is None:
        return None
    _, ent, prep = best
    text = f"{prep.text} {ent.text}" if prep is not None and prep.lower_ in PERIOD_KEEP_PREPOSITIONS \
        and prep.i < ent.start else ent.text
    return resolve_period(text, document) if prep is None or prep.lower_ not in PERIOD_KEEP_PREPOSITIONS \
        else text


def attachment(ent: Span) -> tuple[Token | None, Token | None]:
    root = ent.root
    if root.dep_ == "ROOT":
        return None, None
    head = root.head
    if head.pos_ == "ADP" and head.i < ent.start:
        return head.head, head
    return head, None


def is_duration_span(ent: Span) -> bool:
    return any(is_duration_in_date(t) for t in ent if t.tag_ == "CD")


def resolve_period(text: str, document: Document) -> str:
    """"last year" -> "2023" (dyad.dates); the words themselves when they name no point in time."""
    try:
        resolved = resolve_expression(text, document.reference_date)
    except (ValueError, OverflowError):  # a phrase dateparser cannot place must not lose the fact
        return text
    value = resolved.value if resolved is not None else None
    return value if value and ISO_DATE.match(value) else text
