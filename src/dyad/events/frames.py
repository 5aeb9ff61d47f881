"""Frames: a predicate in a sentence that the codebook recognises, with its participants and modality.

A frame comes from a verb ("Russia supplied Iran with ..."), a light verb and its object noun ("held talks"),
or a nominal event ("a telephone conversation between the two ministers"). Verbs that carry an attitude
towards a complement ("pledged to", "demanded that", "refused to") are coded once, with the complement's
recipient and context; reporting verbs ("said", "told CNBC") are transparent and give the attribution.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from spacy.tokens import Span, Token

from ..codebook import Codebook, Entry
from ..records import ActorRef
from .arguments import QUANTITY_NOUNS, MentionIndex, actors_of, codes, distinct, uncoded, without

_SUBJECTS = {"nsubj", "nsubjpass", "csubj"}
_OBJECTS = {"dobj", "obj"}
_COMPLEMENTS = {"xcomp", "ccomp"}
_RELATIVE_PRONOUNS = {"who", "which", "that", "whom"}
_LEAVING = {"leave", "depart", "quit", "exit"}
_COMPLETING_PREPS = {"on", "as", "to", "into", "onto", "under"}
_STATIVE_PASSIVES = {"oppose", "commit", "dedicate", "determine", "prepare", "involve", "engage", "resolve",
                     "poise", "set"}
# parsed as prepositions at times, or standing apart from the verb: "handed 29 suspects over", "called ... for"
_PARTICLES = {"out", "off", "back", "down", "up", "away", "over", "for", "with", "against", "into", "onto",
              "behind", "alongside"}
# Objects that are feelings or statements, not parties: "expressed gratitude to X for ..."
_ABSTRACT_OBJECTS = {"gratitude", "thanks", "appreciation", "support", "concern", "hope", "regret", "condolences"}
# Verbs whose object, not subject, does what the complement says ("urged Iraq to cooperate").
_OBJECT_CONTROL = {"urge", "ask", "call", "press", "force", "order", "tell", "invite", "encourage", "persuade",
                   "allow", "help", "remind", "require", "compel", "pressure", "demand", "request", "implore"}


@dataclass
class Frame:
    head: Token
    entry: Entry
    type: str
    actors: list[ActorRef]
    recipients: list[ActorRef]
    aux: str | None = None  # future | hypothetical | negation
    negated: bool = False
    irrealis: str | None = None  # future | hypothetical
    in_reported: bool = False
    context: set[str] = field(default_factory=set)
    consumed: set[int] = field(default_factory=set)  # token ids this frame has coded (complements, objects)
    symmetric: bool = False
    alleged: bool = False
    rule: str = ""
    confidence: float = 0.8
    reporter: Token | None = None
    has_subject: bool = False  # an active verb: somebody did it, whether or not we could resolve who


# ------------------------------------------------------------------------------------------ syntax helpers

def children(tok: Token, deps: set[str] | str) -> list[Token]:
    deps = {deps} if isinstance(deps, str) else deps
    return [c for c in tok.children if c.dep_ in deps]


def is_passive(tok: Token) -> bool:
    if tok.lemma_.lower() in _STATIVE_PASSIVES and not any(c.dep_ == "agent" for c in tok.children):
        return False
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children)


def direct_object(tok: Token) -> Token | None:
    if is_passive(tok):
        found = children(tok, "nsubjpass")
    else:
        found = children(tok, _OBJECTS)
    if not found and tok.lemma_.lower() in _STATIVE_PASSIVES:  # "opposed to French mediation"
        found = prep_objects(tok, "to")
    if not found:
        found = _misread_object(tok)
    if not found:  # "supplied Russia with drones": the thing is behind "with"
        return None
    return found[0]


def _misread_object(tok: Token) -> list[Token]:
    """ "imposed asset freezes": a plural noun right after its compound, which the tagger read as a clause
    ("asset" its subject, "freezes" its verb)."""
    return [c for c in children(tok, "ccomp") if c.tag_ == "VBZ" and c.i == tok.i + 2
            and any(s.dep_ == "nsubj" and s.i == tok.i + 1 and s.tag_ == "NN" for s in c.children)
            and not children(c, {"aux", "dobj", "neg", "advmod"})]


def objects_with_conjuncts(obj: Token | None) -> list[Token]:
    if obj is None:
        return []
    return [obj] + [c for c in obj.conjuncts]


def prep_objects(tok: Token, prep: str) -> list[Token]:
    """Objects of a preposition attached to `tok`: "with Iran", "against Israel"."""
    out = []
    for p in tok.children:
        if p.dep_ in ("prep", "dative", "agent") and p.lower_ == prep:
            out.extend(c for c in p.children if c.dep_ in ("pobj", "pcomp"))
        if p.dep_ in ("dative", "iobj") and prep == "iobj" and p.pos_ != "ADP":
            out.append(p)
    return out


def subject_of(tok: Token) -> Token | None:
    """The doer of `tok`, following conjoined verbs, control verbs and relative clauses."""
    for child in tok.children:
        if child.dep_ in ("nsubj", "csubj"):
            if child.lower_ in _RELATIVE_PRONOUNS and tok.dep_ == "relcl":
                return tok.head
            return child
    if is_passive(tok):
        for agent in children(tok, "agent"):
            objs = children(agent, "pobj")
            if objs:
                return objs[0]
        return None
    if children(tok, "nsubjpass"):  # "Israel is opposed to ...": a state of mind, not a deed done to it
        return children(tok, "nsubjpass")[0]
    if tok.dep_ == "conj" and tok.head.pos_ in ("VERB", "AUX"):
        return subject_of(tok.head)
    if tok.dep_ == "xcomp" and is_passive(tok.head):  # "was scheduled to meet": raise the passive subject
        raised = children(tok.head, "nsubjpass")
        if raised:
            return raised[0]
    if tok.dep_ == "advcl" and tok.tag_ == "VBN" and not any(c.dep_ == "aux" for c in tok.children):
        return None  # "when asked by CNBC": a participle whose subject is not the doer
    if tok.dep_ in ("xcomp", "advcl") and tok.head.pos_ in ("VERB", "AUX", "ADJ"):
        head = tok.head
        if head.pos_ == "ADJ" and head.dep_ == "acomp":
            head = head.head
        obj = direct_object(head)
        if tok.dep_ == "xcomp" and head.lemma_.lower() in _OBJECT_CONTROL and obj is not None:
            return obj
        return subject_of(head)
    if tok.dep_ == "pcomp" and tok.head.dep_ == "prep" and tok.head.head.pos_ in ("VERB", "AUX"):
        verb = tok.head.head
        obj = direct_object(verb)
        if obj is not None and tok.head.lower_ in ("of", "for") and not is_passive(verb):
            if obj.pos_ == "PROPN" or obj.lemma_.lower() not in _ABSTRACT_OBJECTS:
                return obj  # "accused Tehran of supplying", "blamed Israel for bombing"
            thanked = prep_objects(obj, "to") + prep_objects(verb, "to")
            if thanked:  # "expressed gratitude to Russia for supporting ..."
                return thanked[0]
        return subject_of(verb)
    noun = tok.head.head if tok.dep_ == "pcomp" and tok.head.dep_ == "prep" else tok.head
    if tok.dep_ in ("pcomp", "acl") and noun.pos_ == "NOUN":
        owner = children(noun, "poss") + prep_objects(noun, "by")  # "its readiness", "the decision by X"
        if owner:
            return owner[0]
        if noun.dep_ in _OBJECTS and noun.head.pos_ in ("VERB", "AUX"):  # "has no intention of abandoning"
            return subject_of(noun.head)
    return None


def lemma_candidates(tok: Token) -> list[str]:
    """The tagger's lemma, then forms undone by rule where it erred ("staged" -> "stag")."""
    word, lemma = tok.lower_, tok.lemma_.lower()
    out = [lemma]
    if tok.i >= 2 and tok.nbor(-1).text == "-" and not tok.nbor(-1).whitespace_ and not tok.nbor(-2).whitespace_:
        out.insert(0, f"{tok.nbor(-2).lower_}-{lemma}")  # "test-fired", "co-produced": split by the tokenizer
    if word.endswith("ed"):
        out += [word[:-1], word[:-2]] + ([word[:-3]] if len(word) > 4 and word[-3] == word[-4] else [])
    elif word.endswith("ing"):
        out += [word[:-3], word[:-3] + "e"]
    elif word.endswith("s"):
        out += [word[:-1]]
    return list(dict.fromkeys(out))


def lemma_phrase(tok: Token, base: str | None = None) -> list[str]:
    """The keys to look a verb up by: with its particle or preposition first ("pull out", "call for")."""
    base = base or tok.lemma_.lower()
    # a particle anywhere ("pulled its troops out"); a preposition only right after the verb ("called on",
    # not "signed a treaty ... on Monday")
    keys = [f"{base} {c.lower_}" for c in tok.children
            if c.dep_ == "prt" or (c.dep_ in ("prep", "advmod") and (c.i == tok.i + 1 or c.lower_ in _PARTICLES))]
    return keys + [base]


def object_matches(entry: Entry, obj: Token | None, verb: Token | None = None) -> bool:
    if not entry.objects:
        return True
    candidates = objects_with_conjuncts(obj)
    if verb is not None:  # "remained on alert", "put its forces on alert", "called a halt to attacks"
        preps = [p for p in verb.children if p.dep_ in ("prep", "dative")]
        if obj is not None:  # beside an object only the prepositions that complete the verb's sense
            preps = [p for p in preps if p.lower_ in _COMPLETING_PREPS]
        candidates += [o for p in preps for o in p.children if o.dep_ == "pobj"]
        candidates += [o for o in verb.children if o.dep_ in ("oprd", "acomp", "attr")]
    for o in candidates:
        phrase = " ".join(t.lower_ for t in o.subtree)
        if o.lemma_.lower() in entry.objects or o.lower_ in entry.objects:
            return True
        if o.pos_ == "PROPN" and any(c.dep_ == "compound" and (c.lemma_.lower() in entry.objects or
                                                                c.lower_ in entry.objects)
                                     for c in o.children):  # a name after its kind: "the superyacht Amadea"
            return True
        written = o.doc[o.left_edge.i:o.right_edge.i + 1].text.lower()  # "sit-in", split by the tokenizer
        if any(" " in w and w in phrase or "-" in w and w in written for w in entry.objects):
            return True
        # "a memorandum of understanding", "a series of strikes": look one "of" deeper
        for of in prep_objects(o, "of"):
            if of.lemma_.lower() in entry.objects or of.lower_ in entry.objects:
                return True
    return False


def is_actorish(tok: Token | None, index: MentionIndex, cb: Codebook) -> bool:
    if tok is None:
        return False
    return bool(actors_of(tok, index)) or tok.lemma_.lower() in cb.actor_nouns or tok.pos_ == "PROPN"


def entry_fits(entry: Entry, tok: Token, index: MentionIndex, cb: Codebook) -> bool:
    obj = direct_object(tok)
    if entry.particle and not any(c.dep_ == "prt" and c.lower_ == entry.particle for c in tok.children):
        return False
    if entry.objects_none and obj is not None:
        return False
    if entry.objects_actor and not is_actorish(obj, index, cb):
        return False
    if entry.objects_kind and not any(m.actor.kind == entry.objects_kind for o in _object_or_pobjs(tok, obj)
                                      for m in index.on_token(o)):  # the object names it: not "their homes"
        return False  # "quit ECOWAS" leaves an organisation; "pulled out of Lebanon" is a retreat
    if entry.requires_word and not any(t.lower_ in entry.requires_word for t in tok.subtree):
        return False
    if entry.no_result and (children(tok, {"oprd", "acomp"})
                            or any(c.pos_ == "ADJ" for c in children(tok, {"ccomp", "xcomp"}))):
        return False  # "left three dead": a result, not a departure
    if not entry.modal and obj is None and any(a.lower_ == "to" for x in children(tok, "xcomp")
                                               for a in children(x, "aux")):
        return False  # "offered to host talks": a control verb, whose sense is its modal entry's
    if entry.needs_complement and not children(tok, "xcomp"):
        return False  # "ordered the mobilisation": not an order to someone to act
    if entry.subjects and not _subject_sector_in(tok, entry.subjects, index):
        return False
    if entry.subject_nouns:
        subject = subject_of(tok)
        if subject is None or subject.lemma_.lower() not in entry.subject_nouns:
            return False
    return object_matches(entry, obj, tok)


def _object_or_pobjs(tok: Token, obj: Token | None) -> list[Token]:
    return [obj] if obj is not None else [o for p in tok.children if p.dep_ == "prep" for o in p.children
                                          if o.dep_ == "pobj"]


def _subject_sector_in(tok: Token, sectors: frozenset[str], index: MentionIndex) -> bool:
    """Whether the doer is of one of `sectors` ("youths clashed" is a riot; "troops clashed" a battle)."""
    subject = subject_of(tok)
    if subject is None:
        return False
    refs = actors_of(subject, index)
    if subject.tag_ in ("NNS", "NNPS") and refs and all(r.kind == "state" and not r.sector for r in refs):
        return "CVL" in sectors  # "Kenyans", "thousands of Serbians": a state's people, not its government
    return any(r.sector in sectors for r in refs)


def match_verb(tok: Token, index: MentionIndex, cb: Codebook) -> Entry | None:
    for base in lemma_candidates(tok):
        for key in lemma_phrase(tok, base):
            for entry in cb.verb_entries(key):
                if entry_fits(entry, tok, index, cb):
                    return entry
        if any(cb.verb_entries(key) for key in lemma_phrase(tok, base)):
            return None  # the lemma is known: its entries did not fit, other spellings need not be tried
    return None


def match_noun(tok: Token, cb: Codebook) -> Entry | None:
    keys = []
    for mod in (c for c in tok.children if c.dep_ in ("compound", "amod") and c.i == tok.i - 1):
        keys += [f"{mod.lower_} {tok.lemma_.lower()}", f"{mod.lower_} {tok.lower_}"]
    keys += [tok.lower_, tok.lemma_.lower()]
    for key in keys:
        for entry in cb.noun_entries(key):
            if object_matches(entry, None, tok):  # "a halt to the attacks": what the noun governs
                return entry
    return None


# ------------------------------------------------------------------------------------------ modality

def in_reported_speech(tok: Token, cb: Codebook) -> Token | None:
    """The reporting verb `tok` hangs from ("said that ...", "..., he said"), if any."""
    cur = tok
    while cur.dep_ in ("ccomp", "conj", "xcomp", "advcl", "acomp") and cur.head.i != cur.i:
        head = cur.head
        if head.lemma_.lower() in cb.reporting_verbs and cur.dep_ == "ccomp":
            return head
        cur = head
    # "X happened, the agency reported": the report verb is the root and we are its ccomp (handled above),
    # or the root is ours and the reporting verb is a parataxis child.
    for child in tok.children:
        if child.dep_ == "parataxis" and child.lemma_.lower() in cb.reporting_verbs:
            return child
    return None


def _intent_noun(tok: Token, cb: Codebook) -> Token | None:
    nouns = cb.modality.get("intent_nouns", frozenset())
    head = tok.head
    if tok.dep_ == "pcomp" and head.dep_ == "prep":
        head = head.head
    elif tok.dep_ not in ("acl", "xcomp"):
        return None
    return head if head.pos_ == "NOUN" and head.lemma_.lower() in nouns else None


def is_question(tok: Token, cb: Codebook) -> bool:
    """Inside "whether ...", "how ...", "if ...": the text asks or supposes rather than reports."""
    marks = cb.modality.get("question_marks", frozenset())
    for node in [tok, *tok.ancestors]:
        if node.dep_ in ("ccomp", "advcl", "xcomp", "pcomp", "csubj") or node.i == tok.i:
            if any(c.dep_ in ("mark", "advmod") and c.lower_ in marks and c.i < node.i for c in node.children):
                return True
        if node.dep_ == "ROOT":
            break
    return False


def modality(tok: Token, cb: Codebook) -> tuple[str | None, bool, bool]:
    """(irrealis, negated, negated_intent) of a predicate."""
    m = cb.modality
    irrealis = None
    negated = any(c.dep_ == "neg" or c.lower_ in m["negators"] and c.dep_ in ("neg", "advmod", "det")
                  for c in tok.children)
    reported = in_reported_speech(tok, cb) is not None
    for c in tok.children:
        word = c.lower_
        if c.dep_ in ("aux", "auxpass"):
            if word in m["future_aux"] or c.lemma_.lower() in m["future_aux"]:
                irrealis = "future"
            elif word == "would":
                irrealis = "future" if reported else "hypothetical"
            elif word in m["hypothetical_aux"]:
                irrealis = irrealis or "hypothetical"
        if c.dep_ == "advmod" and word in m["future_adverbs"] and tok.tag_ not in ("VBD", "VBN"):
            irrealis = irrealis or "future"
    if irrealis is None and tok.dep_ == "xcomp" and tok.head.pos_ in ("VERB", "AUX"):
        irrealis = modality(tok.head, cb)[0]  # "will help train", "could try to sign"
    negated_intent = False
    noun = _intent_noun(tok, cb)
    if noun is not None:  # "its readiness to sign", "no intention of abandoning"
        irrealis = irrealis or "future"
        if any(c.lower_ in ("no", "not", "never") for c in noun.children) or modality(noun.head, cb)[1]:
            negated_intent = True
    # "plans to meet", "is ready to sign", "is scheduled to meet", "refused to attend"
    cur = tok
    while cur.dep_ in ("xcomp", "acl") or (cur.dep_ == "ccomp" and cur.head.pos_ == "ADJ"):
        head = cur.head
        lemma = head.lemma_.lower()
        if lemma in m["intent_heads"]:
            irrealis = irrealis or "future"
            head_irrealis, head_neg, _ = modality(head, cb) if head.pos_ != "NOUN" else (None, False, False)
            if head_neg:
                negated_intent = True
            if head_irrealis == "hypothetical":
                irrealis = "hypothetical"
        if head.pos_ == "ADJ" and head.dep_ == "acomp":
            head = head.head
        cur = head
        if lemma in m["denial_heads"]:
            negated_intent = True
    if negated and irrealis:
        negated_intent = True
    return irrealis, negated, negated_intent


# ------------------------------------------------------------------------------------------ frames

def object_parties(obj: Token | None, index: MentionIndex) -> list[ActorRef]:
    """Who an object names: itself, or for a relation noun the party it relates to ("contact with the US",
    "aid to Kyiv", "disapproval for the United States' policies")."""
    if obj is None:
        return []
    while obj.lemma_.lower() in ("part", "most", "rest", "some", "all", "much") and prep_objects(obj, "of"):
        obj = prep_objects(obj, "of")[0]  # "part of a military aid program for Bosnia"
    found = actors_of(obj, index)
    if not found:
        found = [a for key in ("with", "to", "against", "on", "toward", "towards", "for", "into", "over")
                 for o in prep_objects(obj, key) for a in actors_of(o, index)]
    if not found and obj.pos_ == "NOUN":  # "hailed the transfer of power in Senegal": where it happened
        found = [a for o in prep_objects(obj, "in") for a in actors_of(o, index) if a.kind == "state"]
    return found


def recipients_for(entry: Entry, tok: Token, index: MentionIndex, actors: list[ActorRef]) -> list[ActorRef]:
    found = _recipients_on(entry, tok, index, actors)
    obj = direct_object(tok) if tok.pos_ in ("VERB", "AUX") else None
    if not found and obj is not None and entry.objects:  # "lifted sanctions on Eritrea", "fire against camps"
        for part in objects_with_conjuncts(obj):
            found = _recipients_on(entry, part, index, actors, skip_dobj=True)
            if found:
                break
    return found


def _recipients_on(entry: Entry, tok: Token, index: MentionIndex, actors: list[ActorRef],
                   skip_dobj: bool = False) -> list[ActorRef]:
    for source in entry.recipient:
        if skip_dobj and source in ("dobj", "dobj_actor"):
            continue
        if source == "dobj":
            found = object_parties(direct_object(tok), index)
        elif source == "dobj_actor":  # "rushed interceptors to Israel": the object is a recipient only if coded
            found = [a for a in actors_of(direct_object(tok), index) if a.code]
        elif source == "iobj":
            found = [a for o in children(tok, {"dative", "iobj"}) for a in actors_of(o, index)]
        elif source == "between":
            found = [a for o in prep_objects(tok, "between") for a in actors_of(o, index)]
        elif source == "of_target":  # "the invasion of Ukraine", "a suspension of air links with Serbia"
            found = [a for o in prep_objects(tok, "of") for a in object_parties(o, index)]
        elif source == "poss":
            found = [a for o in children(tok, "poss") for a in actors_of(o, index)]
        else:  # a relation noun behind the preposition too: "along the boundary with Kosovo"
            found = [a for o in prep_objects(tok, source) for a in object_parties(o, index)]
        found = without(distinct(found), actors)
        if found:
            return found
    return []


def clause_context(tok: Token, entry: Entry, cb: Codebook) -> set[str]:
    words = {t.lemma_.lower() for t in tok.subtree} | {t.lower_ for t in tok.subtree}
    found = set(entry.context)
    for name, keys in cb.contexts.items():
        if words & keys:
            found.add(name)
    return found


def subjects_of(tok: Token) -> list[Token]:
    """The subject, and any further subject a headline strings on with a comma ("Iran, Russia agree ...")."""
    first = subject_of(tok)
    if first is None:
        return []
    extra = [c for c in tok.children if c.dep_ == "nsubj" and c.i != first.i and c.lower_ not in _RELATIVE_PRONOUNS]
    return [first] + extra


def verb_frame(tok: Token, entry: Entry, index: MentionIndex, cb: Codebook) -> Frame:
    subjects = subjects_of(tok)
    actors = distinct([a for subj in subjects for a in actors_of(_doer_behind(subj), index)])
    if not actors and is_passive(tok):  # "cut off ... due to Western sanctions": the cause names the doer
        actors = _doers_of_cause(tok, entry, index, cb)
    if subjects and subjects[0].pos_ == "PRON":  # "X said it would ...": it is X, when X can be "it"
        actors = _speaker_for_pronoun(tok, subjects[0], index, cb) or actors
    recipients = recipients_for(entry, tok, index, actors)
    patient = children(tok, "nsubjpass")
    if is_passive(tok) and patient and patient[0].pos_ == "PRON":  # "X said it had not been consulted"
        recipients = without(_speaker_for_pronoun(tok, patient[0], index, cb), actors) or recipients
    if not recipients:  # "would welcome Syria joining BRICS": the clause's subject is the one concerned
        for comp in children(tok, "ccomp"):
            recipients = without(actors_of(subject_of(comp), index), actors)
            if recipients:
                break
    if not recipients:  # "launch an attack to punish Tehran": the purpose names the target
        recipients = _purpose_recipients(tok, index, actors)
    if actors and all(a.code is None for a in actors):  # "X stepped down as Sri Lanka's president"
        role_states = [a for o in prep_objects(tok, "as") for a in actors_of(o, index) if a.code]
        if role_states:
            actors = [replace(a, code=role_states[0].code, sector=a.sector or "GOV") for a in actors]
    if not actors and (entry.subject_nouns or entry.type == "PROTEST" and _crowd(subject_of(tok), index)):
        # "protests erupted in Dhaka", "hundreds rallied in Yerevan": the people of the place
        from .places import place_refs
        actors = [ActorRef(text=subject_of(tok).text, name=f"people of {p.name}", code=p.code, sector="CVL",
                           actor_id=f"group:{p.code}-CVL", kind="group") for p in place_refs(tok, index)[:1]]
    if entry.type == "MOBILIZE" and _at_request(tok, index):  # troops sent at a government's request
        host = _at_request(tok, index)
        return Frame(head=tok, entry=entry, type="AID", actors=actors, recipients=without(host, actors),
                     context=clause_context(tok, entry, cb) | {"peacekeeping"}, rule=f"{entry.id}>aid(requested)",
                     has_subject=not is_passive(tok))
    if not actors and entry.type == "MOBILIZE":  # "45,000 police were deployed": the forces are the doer
        actors = actors_of(direct_object(tok), index)
        recipients = without(recipients, actors)
    plover_type = entry.type
    partners = [a for o in prep_objects(tok, "with") for a in actors_of(o, index)]
    if entry.alone_type and not partners and len(codes(actors)) < 2:
        plover_type = entry.alone_type  # one army's drills (around Taiwan) are a show of force, not cooperation
    if is_passive(tok) and not recipients and "dobj" not in entry.recipient:
        recipients = without(actors_of(direct_object(tok), index), actors)
    return Frame(head=tok, entry=entry, type=plover_type, actors=actors, recipients=recipients,
                 context=clause_context(tok, entry, cb), rule=entry.id, has_subject=not is_passive(tok))


def _crowd(subject: Token | None, index: MentionIndex) -> bool:
    """A subject that is people in number, not named: "hundreds", "crowds", "students", "nurses"."""
    return subject is not None and subject.pos_ in ("NOUN", "NUM") and (
        subject.lemma_.lower() in QUANTITY_NOUNS or subject.lemma_.lower() in index.actor_nouns
        or subject.tag_ == "NNS")


def _at_request(tok: Token, index: MentionIndex) -> list[ActorRef]:
    """Who asked for it: "at the request of the government in Maputo", "at Bamako's invitation"."""
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ in ("at", "on", "upon"):
            for noun in prep.children:
                if noun.lemma_.lower() in ("request", "invitation", "behest"):
                    found = [a for o in prep_objects(noun, "of") for a in actors_of(o, index)]
                    found += [a for c in children(noun, "poss") for a in actors_of(c, index)]
                    if found:
                        return distinct(found)
    return []


def _doer_behind(subject: Token) -> Token:
    """"A car bomb planted by the ELN tore through ...": a weapon's doer is who planted or claimed it."""
    for clause in subject.children:
        if clause.dep_ == "acl":
            agents = [o for a in children(clause, "agent") for o in children(a, "pobj")]
            if agents:
                return agents[0]
    return subject


def _speaker_for_pronoun(tok: Token, pronoun: Token, index: MentionIndex, cb: Codebook) -> list[ActorRef]:
    """"Hamas said it would ...", "the organisers said they would ...": the pronoun subject of reported
    speech is the reporter, when the reporter agrees with it in number and kind."""
    reporter = in_reported_speech(tok, cb)
    speaker = subject_of(reporter) if reporter is not None else None
    if speaker is None or speaker.pos_ == "PRON":
        return []
    plural = speaker.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in speaker.children)
    found = actors_of(speaker, index)
    people = bool(found) and all(a.kind == "person" for a in found)
    word = pronoun.lower_
    if (word == "they" and plural) or (word == "it" and not plural and not people) or \
            (word in ("he", "she") and people):
        return found or [uncoded(speaker)]
    return []


def _sufferer(noun: Token, cb: Codebook) -> Token | None:
    """The verb whose subject undergoes the nominal event: "faces (the prospect of) an attack", "braces for
    a strike", "fears sanctions"."""
    verbs = cb.modality.get("undergo_verbs", frozenset())
    node = noun
    for _ in range(3):  # the noun, "the prospect of" the noun, "for" the noun
        head = node.head
        if head.pos_ in ("VERB", "AUX") and head.lemma_.lower() in verbs and node.dep_ in ("dobj", "pobj", "prep"):
            return head
        if head.i == node.i:
            break
        node = head
    return None


def _passive_subject(tok: Token) -> Token | None:
    found = children(tok, "nsubjpass")
    return found[0] if found else None


def _doers_of_cause(tok: Token, entry: Entry, index: MentionIndex, cb: Codebook) -> list[ActorRef]:
    for prep in tok.children:
        if prep.dep_ != "prep" or prep.lower_ not in ("due", "because", "through", "under", "after"):
            continue
        for noun in prep.subtree:
            noun_entry = match_noun(noun, cb) if noun.pos_ == "NOUN" else None
            if noun_entry is not None and noun_entry.type == entry.type:
                return noun_actors(noun, index, noun_entry.doers)
    return []


def _purpose_recipients(tok: Token, index: MentionIndex, actors: list[ActorRef]) -> list[ActorRef]:
    obj = direct_object(tok)
    for clause in list(tok.children) + (list(obj.children) if obj is not None else []):
        if clause.dep_ in ("advcl", "xcomp") and any(c.lower_ == "to" and c.dep_ == "aux" for c in clause.children):
            found = without(object_parties(direct_object(clause), index), actors)
            if found:
                return found
    return []


def noun_actors(tok: Token, index: MentionIndex, doers: tuple[str, ...] = Entry.doers) -> list[ActorRef]:
    """Doers of a nominal event, from where the codebook entry says they stand: "Iran's barrage", "an
    Israeli attack", "attack by Israel", "the dispatch of US carriers", "the extradition ... from Sweden"."""
    found = []
    for child in tok.children:
        if child.dep_ in ("poss", "amod", "nmod") and child.dep_ in doers:
            found.extend(actors_of(child, index))
        elif child.dep_ == "compound" and "compound" in doers:  # "a Hamas attack", not "the Gaza war"
            found.extend(a for m in index.on_token(child) if m.how not in ("name", "capital", "place")
                         or m.actor.kind != "state" for a in actors_of(child, index))
    for prep in ("by", "of", "from"):
        if prep in doers:
            found.extend(a for obj in prep_objects(tok, prep) for a in actors_of(obj, index))
    if "by" in doers:  # "the signing of a treaty by Tajikistan and Kyrgyzstan": "by" hung on the object
        found.extend(a for obj in prep_objects(tok, "of") for b in prep_objects(obj, "by") for a in actors_of(b, index))
    return distinct(found)


def noun_frame(tok: Token, entry: Entry, index: MentionIndex, cb: Codebook,
               doers: list[ActorRef] | None = None) -> Frame | None:
    between = [a for o in prep_objects(tok, "between") for a in actors_of(o, index)]
    if entry.only_with_between and not between:
        return None
    actors = distinct((doers or []) + noun_actors(tok, index, entry.doers) + between)
    if entry.only_with_actor and not actors:
        return None
    recipients = recipients_for(entry, tok, index, actors)
    symmetric = bool(entry.symmetric and (between or len(codes(actors)) > 1 or doers))
    return Frame(head=tok, entry=entry, type=entry.type, actors=actors, recipients=recipients,
                 context=clause_context(tok, entry, cb), rule=entry.id, symmetric=symmetric, confidence=0.6)


def sentence_frames(sent: Span, index: MentionIndex, cb: Codebook) -> list[Frame]:
    """Every coded predicate of the sentence, complements folded into the frames that govern them."""
    frames: dict[int, Frame] = {}
    for tok in sent:
        frame = None
        if (tok.pos_ in ("VERB", "AUX") and tok.dep_ != "amod") or (tok.dep_ == "ROOT" and tok.pos_ != "NOUN") \
                or _verb_read_as_noun(tok):
            frame = _verb_or_light_frame(tok, index, cb)
        elif tok.pos_ in ("NOUN", "PROPN") and tok.dep_ != "compound":
            entry = match_noun(tok, cb)
            if entry is not None and not _noun_is_verb_object(tok, cb):
                frame = _nominal(tok, entry, index, cb)
            elif entry is None and not _noun_is_verb_object(tok, cb):
                frame = _nominalised_verb(tok, index, cb)
        if frame is not None:
            frames[tok.i] = frame
    if not frames and sent[-1].text not in ".!?\"”":  # a headline: no closing stop
        frames.update(headline_frame(sent, index, cb))
    _retaliations(sent, frames, index, cb)
    _apply_modality(frames, cb)
    _mark_claims(frames, cb)
    _joint_actions(frames, cb, index)
    _shared_recipients(frames)
    frames = {i: f for i, f in frames.items() if _reports_event(f, cb)}  # before folding: a frame that
    _add_obligations(sent, frames, index, cb)                           # reports nothing consumes nothing
    _fold_complements(frames, cb, index)
    consumed = _consumed(frames)
    return [f for f in frames.values() if f.head.i not in consumed]


def _shared_recipients(frames: dict[int, Frame]) -> None:
    """ "X spoke with Y and urged restraint": a verb conjoined to another of the same doers, with no one
    of its own to address, addresses the other's partner."""
    for frame in frames.values():
        head = frame.head
        if frame.recipients or head.dep_ != "conj" or head.pos_ != "VERB" or children(head, {"nsubj", "nsubjpass"}):
            continue
        other = frames.get(head.head.i)
        if other is not None and other.recipients and codes(other.actors) == codes(frame.actors):
            frame.recipients = list(other.recipients)


def _verb_read_as_noun(tok: Token) -> bool:
    """ "Chile and Argentina share intelligence": a root the tagger called a noun, with a subject and an object."""
    return tok.dep_ == "ROOT" and tok.pos_ == "NOUN" and bool(children(tok, "nsubj")) and bool(children(tok, "dobj"))


def _reports_event(frame: Frame, cb: Codebook) -> bool:
    if is_question(frame.head, cb):
        return False
    if frame.entry.modal and frame.entry.kind == "verb":
        comps = [c for c in _complement_heads(frame.head) if c.pos_ in ("VERB", "AUX")]
        if frame.entry.needs_complement and not children(frame.head, "xcomp"):
            return False  # "trade declined", not "declined to attend"; "told AFP", not "told them to leave"
        if comps and all(c.lemma_.lower() in cb.modality.get("no_event_complements", ()) for c in comps):
            return False  # "refused to comment"
    return True


def _verb_or_light_frame(tok: Token, index: MentionIndex, cb: Codebook) -> Frame | None:
    entry = match_verb(tok, index, cb) or _joint_action(tok, cb)
    if entry is not None:
        frame = verb_frame(tok, entry, index, cb)
        obj = direct_object(tok)
        if obj is not None and entry.objects:
            frame.consumed.add(obj.i)
        return frame
    lemma = tok.lemma_.lower()
    if lemma in cb.light_verbs:
        obj = direct_object(tok)
        noun_entry = match_noun(obj, cb) if obj is not None else None
        if noun_entry is None and obj is not None and _verb_of_noun(obj, cb):  # "announced the expulsion of"
            frame = _nominalised_verb(obj, index, cb)
            if frame is not None:
                return frame
        if noun_entry is not None:
            doers = actors_of(subject_of(tok), index)
            frame = noun_frame(obj, noun_entry, index, cb, doers=doers)
            if frame is not None:
                more = recipients_for(noun_entry, tok, index, frame.actors)
                frame.recipients = distinct(frame.recipients + more)
                frame.head, frame.confidence = tok, 0.75
                frame.has_subject = not is_passive(tok)
                frame.rule = f"{noun_entry.id}+light:{lemma}"
                frame.consumed.add(obj.i)
                return frame
    return None


def _joint_action(tok: Token, cb: Codebook) -> Entry | None:
    """Any action done "jointly" or "together" by several parties is material cooperation."""
    markers = cb.modality.get("joint_markers", frozenset())
    if any(c.dep_ == "advmod" and c.lower_ in markers for c in tok.children):
        return cb.entries.get("cooperate.cooperate")
    return None


def _noun_is_verb_object(tok: Token, cb: Codebook) -> bool:
    """Nouns coded through their verb ("held talks", "imposed sanctions") are not coded twice."""
    return tok.dep_ in _OBJECTS | {"nsubjpass"} and tok.head.lemma_.lower() in cb.light_verbs


def _nominal(tok: Token, entry: Entry, index: MentionIndex, cb: Codebook) -> Frame | None:
    doers, light = None, None
    # "during a meeting", "at a meeting", "after meeting": the participants are those of the governing clause
    governor = tok.head.head if tok.dep_ in ("pobj", "pcomp") and tok.head.dep_ == "prep" else None
    if governor is not None and governor.pos_ in ("VERB", "AUX", "ADJ"):
        if entry.type == "MOBILIZE" and any(c.dep_ == "nsubj" for c in governor.children):
            doers = actors_of(subject_of(governor), index)
        elif entry.type == "CONSULT":  # only a clause with a stated doer: "signed ... at a meeting"
            if any(c.dep_ in ("nsubj", "nsubjpass") for c in governor.children):
                doers = actors_of(subject_of(governor), index) + actors_of(direct_object(governor), index)
        elif {governor.lemma_.lower(), f"{governor.lemma_.lower()} {tok.head.lower_}"} \
                & cb.modality.get("light_prep_verbs", frozenset()):  # "engaged in", "was behind"
            verb = governor.head if governor.pos_ == "ADJ" else governor
            doers = actors_of(subject_of(verb) or _passive_subject(verb), index)
            light = verb.lemma_.lower()
    frame = noun_frame(tok, entry, index, cb, doers=doers)
    if frame is not None and light:  # the clause states the doer: as strong as "carried out the attack"
        frame.rule = f"{frame.rule}+light:{light}"
    if frame is not None and tok.dep_ == "nsubj" and not frame.recipients and tok.head.pos_ in ("VERB", "AUX"):
        # "sanctions have taken a toll on the country's economy", "the strikes hit Gaza": what they fall on
        verb = tok.head
        frame.recipients = without(distinct([a for key in ("on", "against") for o in prep_objects(verb, key)
                                             for a in actors_of(o, index)]
                                            + object_parties(direct_object(verb), index)), frame.actors)
    sufferer = _sufferer(tok, cb) if frame is not None else None
    if sufferer is not None and not frame.recipients:  # "Iran braces for an Israeli attack": Iran is the target
        frame.recipients = without(actors_of(subject_of(sufferer), index), frame.actors)
    if frame is not None and tok.dep_ == "pobj" and tok.head.lower_ == "under" and not frame.recipients:
        governor = tok.head.head
        frame.recipients = without(actors_of(subject_of(governor), index), frame.actors) \
            if governor.pos_ in ("VERB", "AUX") else []
    return frame


def _apply_modality(frames: dict[int, Frame], cb: Codebook) -> None:
    for frame in frames.values():
        tok = frame.head
        if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ in ("pobj", "dobj", "nsubj", "nsubjpass", "attr"):
            governor = tok.head.head if tok.dep_ == "pobj" else tok.head
            irrealis, negated, negated_intent = modality(governor, cb) if governor.pos_ in ("VERB", "AUX") \
                else (None, False, False)
            if _promised_noun(tok) or _under_intent_noun(tok, cb) or _awaited(tok, cb):
                irrealis = irrealis or "future"
        else:
            irrealis, negated, negated_intent = modality(tok, cb)
        frame.irrealis, frame.negated = irrealis, negated
        frame.in_reported = in_reported_speech(tok, cb) is not None
        if frame.entry.modal:
            frame.aux = "negation" if negated and not irrealis else irrealis
            if frame.type == "REJECT" and frame.aux == "negation" and _hostile_object(tok, cb):
                # "did not rule out a military operation": keeping force on the table is a threat
                frame.type, frame.aux, frame.rule = "THREATEN", "hypothetical", f"{frame.rule}>threaten(not ruled out)"
            continue
        base = frame.type
        if irrealis == "future" and not negated_intent and _held_over(tok, cb):
            frame.type, frame.aux = "THREATEN", irrealis
        elif negated_intent or irrealis:
            frame.type, frame.aux = cb.commitment(base, negated_intent), irrealis
        elif negated:
            frame.aux = "negation"
        if frame.type != base:
            frame.rule = f"{frame.rule}>{frame.type.lower()}({frame.aux or 'negated'})"


def _hostile_object(tok: Token, cb: Codebook) -> bool:
    obj = direct_object(tok)
    entry = match_noun(obj, cb) if obj is not None else None
    return entry is not None and entry.type in cb.hostile_types | {"MOBILIZE", "THREATEN"}


def _nominalised_verb(noun: Token, index: MentionIndex, cb: Codebook) -> Frame | None:
    """"The expulsion of two diplomats by Bulgaria", "Hungary's veto of the aid package", "the detention of 27
    nationals by Philippine authorities": a noun made from a codebook verb, read like that verb, with the
    doer in "by"/the possessive and the object in "of" (for a verb with no object, "of" names the doer:
    "the resignation of the prime minister")."""
    verb = _verb_of_noun(noun, cb)
    if verb is None:
        return None
    of = prep_objects(noun, "of")
    doers = [a for dep in ("poss",) for c in children(noun, dep) for a in actors_of(c, index)]
    doers += [a for o in prep_objects(noun, "by") + [b for x in of for b in prep_objects(x, "by")]
              for a in actors_of(o, index)]  # "by" is often hung on the object: "of two diplomats by Bulgaria"
    for entry in cb.verb_entries(verb):
        transitive = bool(entry.objects) or entry.objects_actor or "dobj" in entry.recipient
        if entry.objects and not object_matches(entry, of[0] if of else None):
            continue
        if entry.objects_actor and not (of and is_actorish(of[0], index, cb)):
            continue
        actors = distinct(doers if transitive else doers + [a for o in of for a in actors_of(o, index)])
        recipients = [a for o in of for a in object_parties(o, index)] if transitive else []
        recipients += [a for key in entry.recipient if key not in ("dobj", "iobj", "poss")
                       for o in prep_objects(noun, key) for a in actors_of(o, index)]
        if entry.type == "MOBILIZE" and not actors:  # "a build-up of Azerbaijani forces"
            actors, recipients = distinct(recipients), []
        if not actors:
            return None
        return Frame(head=noun, entry=entry, type=entry.type, actors=actors,
                     recipients=without(distinct(recipients), actors), context=clause_context(noun, entry, cb),
                     rule=f"{entry.id}>nominal", confidence=0.6, has_subject=False)
    return None


def _verb_of_noun(noun: Token, cb: Codebook) -> str | None:
    """The codebook verb a noun is made from: listed nominalisations, then "-ing" forms ("the scrapping")."""
    word = noun.lower_
    listed = cb.modality.get("nominalisations", {})
    if word in listed:
        return listed[word]
    if word.endswith("ing") and len(word) > 5:
        for verb in (word[:-3], word[:-3] + "e", word[:-4]):
            if cb.verb_entries(verb):
                return verb
    return None


def headline_frame(sent: Span, index: MentionIndex, cb: Codebook) -> dict[int, Frame]:
    """Headlines drop articles and the tagger misreads their verbs ("Egypt, Greece stage joint drills"):
    in a sentence with no verb, a word the codebook knows as a verb, with the parties named before it as
    doers and those after it as recipients."""
    for tok in sent:
        if tok.pos_ not in ("NOUN", "PROPN", "ADJ", "ADV"):
            continue
        after = {t.lemma_.lower() for t in sent if t.i > tok.i} | {t.lower_ for t in sent if t.i > tok.i}
        for base in lemma_candidates(tok):
            entry = next((e for e in cb.verb_entries(base) if not e.objects or e.objects & after), None)
            if entry is None:
                continue
            before = distinct([a for t in sent if t.i < tok.i for m in index.on_token(t) for a in ([m.actor] + m.members)])
            later = distinct([a for t in sent if t.i > tok.i for m in index.on_token(t) for a in ([m.actor] + m.members)])
            if not before:
                continue
            return {tok.i: Frame(head=tok, entry=entry, type=entry.type, actors=before,
                                 recipients=without(later, before), context=set(entry.context),
                                 rule=f"{entry.id}>headline", confidence=0.5, has_subject=True,
                                 symmetric=len(codes(before)) > 1 and not later)}
    return {}


def _retaliations(sent: Span, frames: dict[int, Frame], index: MentionIndex, cb: Codebook) -> None:
    """"an attack by Israel in retaliation for a missile attack launched against its rival": the attack
    retaliated for ran the other way, from the one now threatened to the one who threatens."""
    markers = cb.modality.get("retaliation_markers", frozenset())
    for tok in sent:
        entry = match_noun(tok, cb) if tok.pos_ == "NOUN" and tok.i not in frames else None
        if entry is None or entry.type != "ASSAULT" or tok.dep_ != "pobj" or tok.head.lower_ not in ("for", "to"):
            continue
        marker = tok.head.head
        if marker.lemma_.lower() not in markers:
            continue
        later = frames.get(marker.head.head.i) if marker.head.dep_ == "prep" else None
        if later is not None and later.actors and later.recipients:
            frames[tok.i] = Frame(head=tok, entry=entry, type="ASSAULT", actors=list(later.recipients),
                                  recipients=list(later.actors), context=clause_context(tok, entry, cb),
                                  rule=f"{entry.id}>retaliated-for", confidence=0.55)


def _joint_actions(frames: dict[int, Frame], cb: Codebook, index: MentionIndex) -> None:
    """"Dutch and Belgian police rounded up 30 suspects in coordinated raids": what several parties do
    together against a third is their cooperation."""
    markers = cb.modality.get("joint_markers", frozenset()) | cb.modality.get("joint_adjectives", frozenset())
    for frame in frames.values():
        if frame.entry.kind != "verb" or len(codes(frame.actors)) < 2 or frame.type == "COOPERATE":
            continue
        clause = [t for t in frame.head.subtree if t.dep_ in ("amod", "advmod")]
        if any(t.lower_ in markers for t in clause) and frame.type in cb.hostile_types | {"AID"}:
            frame.type, frame.symmetric = "COOPERATE", True
            frame.rule = f"{frame.rule}>cooperate(joint)"
    partner_nouns = cb.modality.get("partner_nouns", frozenset())
    for frame in frames.values():  # "arrested the ring in cooperation with Spanish police"
        if frame.entry.kind != "verb" or frame.type not in cb.hostile_types | {"AID", "RETREAT"}:
            continue
        for prep in frame.head.children:
            partner_noun = [o for o in prep.children if o.dep_ == "pobj" and o.lemma_.lower() in partner_nouns]
            partners = [a for n in partner_noun for o in prep_objects(n, "with") for a in actors_of(o, index)]
            if prep.dep_ == "prep" and prep.lower_ == "in" and partners:
                frame.recipients = without(distinct(partners), frame.actors)
                frame.type, frame.symmetric = "COOPERATE", True
                frame.rule = f"{frame.rule}>cooperate(partner)"


def _mark_claims(frames: dict[int, Frame], cb: Codebook) -> None:
    """An act inside "an allegation that ...", "reports that ..." is claimed, not established."""
    nouns = cb.modality.get("claim_nouns", frozenset())
    for frame in frames.values():
        child = frame.head
        for node in frame.head.ancestors:
            if node.pos_ == "NOUN" and node.lemma_.lower() in nouns and child.dep_ in ("acl", "ccomp", "relcl", "appos"):
                frame.alleged = True
                break
            child = node


def _held_over(tok: Token, cb: Codebook) -> bool:
    """"will withdraw its troops unless ...": an action promised on a condition is a threat."""
    markers = cb.modality.get("conditional_threat", frozenset())
    return any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in markers for m in c.children)
               for c in tok.children)


def _awaited(noun: Token, cb: Codebook) -> bool:
    """"faces Israeli retaliation", "braces for an attack", "fears sanctions": expected, not yet done."""
    sufferer = _sufferer(noun, cb)
    return sufferer is not None and sufferer.lemma_.lower() in cb.modality.get("awaiting_verbs", frozenset())


def _under_intent_noun(tok: Token, cb: Codebook) -> bool:
    nouns = cb.modality.get("intent_nouns", frozenset())
    return tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lemma_.lower() in nouns


def _promised_noun(tok: Token) -> bool:
    """"a promised attack", "the planned visit", "an expected meeting"."""
    return any(c.dep_ == "amod" and c.lower_ in ("promised", "planned", "expected", "proposed", "upcoming",
                                                  "forthcoming", "threatened", "future", "possible")
               for c in tok.children)


def _fold_complements(frames: dict[int, Frame], cb: Codebook, index: MentionIndex) -> None:
    """A modal frame ("pledged to", "demanded that", "refused to") absorbs the frames of its complement."""
    for frame in frames.values():
        if frame.type == "THREATEN" and not frame.recipients:  # "... unless Baghdad accepts": the one pressed
            frame.recipients = without(_condition_subjects(frame.head, cb, index), frame.actors)
        if not frame.entry.modal:
            continue
        for tok in _complement_heads(frame.head):
            inner = frames.get(tok.i)
            for sub in tok.subtree:
                if sub.i in frames and sub.i != frame.head.i:
                    frame.consumed.add(sub.i)
            source = inner
            if source is not None:
                if not frame.recipients:  # a demand is made of the one who should act; a promise to the other
                    wanted = source.actors if frame.type == "REQUEST" else (source.recipients or source.actors)
                    frame.recipients = without(wanted, frame.actors)
                frame.context |= source.context
                if frame.type == "AGREE" and (cb.is_hostile(source.type) or source.type == "THREATEN"):
                    frame.type, frame.rule = "THREATEN", f"{frame.rule}>threaten(hostile-promise)"
                if frame.type == "REQUEST" and source.head.lemma_.lower() in _LEAVING and not frame.irrealis:
                    frame.type, frame.rule = "SANCTION", f"{frame.rule}>sanction(told-to-leave)"  # an expulsion
                if frame.type == "REJECT" and source.type == "REJECT" and _rules_out_force(source.head, cb):
                    frame.type, frame.rule = "THREATEN", f"{frame.rule}>threaten(not-ruled-out)"
                if frame.type == "ACCUSE":
                    source.alleged = True  # the alleged act is coded too, marked as alleged
                    if not source.actors:  # "accused Tehran of supplying ...": the accused is the doer
                        source.actors = list(frame.recipients)
                        source.recipients = without(source.recipients, source.actors)
                    frame.consumed.discard(tok.i)
            elif frame.type == "AGREE" and _hostile_verb(tok, index, cb):  # "vowed to seize the platforms"
                frame.type, frame.rule = "THREATEN", f"{frame.rule}>threaten(hostile-promise)"
            elif frame.type == "REQUEST" and tok.lemma_.lower() in _LEAVING and not frame.irrealis:
                frame.type, frame.rule = "SANCTION", f"{frame.rule}>sanction(told-to-leave)"  # an expulsion
            if source is None and not frame.recipients:
                # "demanded that Mugabe abandon ...": the one asked is the complement's subject
                found = actors_of(subject_of(tok), index) if tok.dep_ == "ccomp" else []
                found += [a for key in ("with", "to", "against", "on") for o in prep_objects(tok, key)
                          for a in actors_of(o, index)]
                frame.recipients = without(distinct(found), frame.actors)


def _add_obligations(sent: Span, frames: dict[int, Frame], index: MentionIndex, cb: Codebook) -> None:
    """"X said Libya must hand over the suspects": a demand by X on Libya (REQUEST)."""
    obligation = cb.modality["obligation_aux"]
    for tok in sent:
        if tok.lemma_.lower() not in cb.reporting_verbs or tok.i in frames:
            continue
        for comp in children(tok, "ccomp"):
            if not any(c.dep_ == "aux" and c.lower_ in obligation for c in comp.children):
                continue
            entry = cb.entries.get("request.demand")
            actors = actors_of(subject_of(tok), index)
            recipients = without(actors_of(subject_of(comp), index), actors)
            if entry is None or not (actors or recipients):
                continue
            frame = Frame(head=tok, entry=entry, type="REQUEST", actors=actors, recipients=recipients,
                          context=clause_context(comp, entry, cb), rule="request.obligation")
            frame.consumed |= {t.i for t in comp.subtree}
            frames[tok.i] = frame


def _hostile_verb(tok: Token, index: MentionIndex, cb: Codebook) -> bool:
    """A verb whose fitting codebook entries are all hostile, whatever actors it has ("seize", "bomb");
    not "continue" or "grow", whose entries need objects or subjects this use lacks."""
    if tok.pos_ != "VERB":
        return False
    known = [e for base in lemma_candidates(tok) for key in lemma_phrase(tok, base) for e in cb.verb_entries(key)]
    fitting = [e for e in known if entry_fits(e, tok, index, cb)]
    if not fitting and tok.lemma_.lower() not in cb.light_verbs:  # "seize the platforms": hostile whatever seized
        fitting = known
    return bool(fitting) and all(cb.is_hostile(e.type) for e in fitting)


def _rules_out_force(tok: Token, cb: Codebook) -> bool:
    obj = direct_object(tok)
    force = cb.modality.get("force_nouns", frozenset())
    return obj is not None and any(t.lemma_.lower() in force for t in obj.subtree)


def _condition_subjects(tok: Token, cb: Codebook, index: MentionIndex) -> list[ActorRef]:
    marks = cb.modality.get("conditional_threat", frozenset()) | {"if"}
    for node in [tok, *tok.subtree]:
        inverted = any(a.dep_ == "aux" and a.lower_ in ("should", "were", "had") and a.i < node.i and
                       any(c.dep_ == "nsubj" and c.i > a.i for c in node.children) for a in node.children)
        if node.dep_ == "advcl" and (inverted or any(m.dep_ == "mark" and m.lower_ in marks for m in node.children)):
            found = actors_of(subject_of(node), index)
            if found:
                return found
    return []


def _complement_heads(tok: Token) -> list[Token]:
    heads = [c for c in tok.children
             if c.dep_ in _COMPLEMENTS or (c.dep_ == "prep" and c.lower_ in ("of", "to", "for"))]
    out = []
    for h in heads:
        if h.dep_ == "prep":
            out.extend(c for c in h.children if c.dep_ in ("pcomp", "pobj"))
        else:
            out.append(h)
    for obj in children(tok, _OBJECTS):  # "accepted a proposal ... to sign the agreement with Iran"
        out.extend(c for c in obj.children if c.dep_ in ("acl", "relcl"))
        out.append(obj)  # "demanded the resignation of the president": the noun is the content
    return out


def _consumed(frames: dict[int, Frame]) -> set[int]:
    out: set[int] = set()
    for frame in frames.values():
        out |= frame.consumed
    return out
