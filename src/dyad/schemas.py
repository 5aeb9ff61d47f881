"""The shape of every data file under ``dyad/data/`` (and of the user's codebook and actor files).

One model per file; every mapping forbids keys it does not know, so a misspelt key is an error naming the
file, the entry and the key (see `dyad.datafiles`). Read this module to learn what a file may hold.
"""
from __future__ import annotations

from typing import Annotated, Literal, Optional, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    RootModel,
    StringConstraints,
    model_validator,
)

Words = list[str]
Code = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9+.-]*$")]
Sector = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3,6}$")]
IsoDate = Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")]
OneOrMany = Union[str, list[str]]


def _plover_type(value: str) -> str:
    from .plover import TYPES  # the list itself is data (plover.yaml)

    if value not in TYPES:
        raise ValueError(f"{value!r} is not a PLOVER type ({', '.join(TYPES)})")
    return value


PloverType = Annotated[str, AfterValidator(_plover_type)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- plover.yaml ----------------------------------------------------------------------------------------------
class TypeSpec(Strict):
    score: float
    family: Literal["verbal-coop", "material-coop", "verbal-conflict", "material-conflict"]


class ModeSpec(Strict):
    """One PLOVER mode of a type: the words that show it and the other names it goes by."""
    cues: Words = []
    also: Words = []


class PloverFile(Strict):
    types: dict[Code, TypeSpec]
    modes: dict[Code, dict[str, ModeSpec]] = {}

    @model_validator(mode="after")
    def _modes_of_known_types(self):
        unknown = sorted(set(self.modes) - set(self.types))
        if unknown:
            raise ValueError(f"modes are given for types that are not in `types`: {', '.join(unknown)}")
        return self


# --- codebook.yaml (and DYAD_CODEBOOK) ------------------------------------------------------------------------
class EntrySpec(Strict):
    """One codebook entry: a verb or noun lemma (or several) that means a PLOVER type."""
    id: str
    lemma: OneOrMany
    type: PloverType
    mode: Optional[str] = None
    context: OneOrMany = []
    recipient: OneOrMany = []
    objects: OneOrMany = []
    objects_actor: bool = False
    objects_none: bool = False
    objects_kind: Optional[Literal["state", "organization", "group", "person"]] = None
    particle: Optional[str] = None
    symmetric: bool = False
    symmetric_if_plural: bool = False
    modal: bool = False
    needs_recipient: bool = False
    needs_complement: bool = False
    needs_partner: bool = False
    no_result: bool = False
    requires_word: OneOrMany = []
    unless_word: OneOrMany = []
    alone_type: Optional[PloverType] = None
    subjects: list[Sector] = []
    subject_nouns: OneOrMany = []
    only_with_between: bool = False
    only_with_actor: bool = False
    doers: list[str] = []


class ModalitySpec(Strict):
    """Words that put an act in the future, make it possible, negate, question or claim it."""
    future_aux: Words
    hypothetical_aux: Words
    would: Literal["future_in_reported", "future", "hypothetical"]
    intent_heads: Words
    future_adverbs: Words
    conditional_threat: Words
    obligation_aux: Words
    negators: Words
    denial_heads: Words
    force_nouns: Words
    joint_adjectives: Words
    partner_nouns: Words
    undergo_verbs: Words
    awaiting_verbs: Words
    retaliation_markers: Words
    intent_nouns: Words
    no_event_complements: Words
    light_prep_verbs: Words
    claim_nouns: Words
    likeness_words: Words
    proposal_nouns: Words
    question_marks: Words
    open_question_marks: Words = []
    joint_markers: Words


Side = Literal["cooperative", "hostile"]


class FigurativeSpec(Strict):
    """A figure of speech made of an event verb that reports no act ("stabbed Turkey in the back"): when it
    fits, the verb's literal entries are not tried."""
    id: str
    lemma: OneOrMany
    objects: OneOrMany = []
    requires_word: OneOrMany = []


class CodebookFile(Strict):
    irrealis: dict[Side, PloverType] = {}
    negated_intent: dict[Side, PloverType] = {}
    cooperative_types: list[PloverType] = []
    hostile_types: list[PloverType] = []
    verbs: list[EntrySpec] = []
    nouns: list[EntrySpec] = []
    idioms: list[EntrySpec] = []
    figurative: list[FigurativeSpec] = []
    light_verbs: Words = []
    modality: Optional[ModalitySpec] = None
    contexts: dict[str, Words] = {}
    actor_nouns: dict[Sector, Words] = {}
    nominalisations: dict[str, str] = {}
    judgement_words: Words = []


class UserCodebookFile(CodebookFile):
    """A user's codebook: entries are added to the packaged ones; any other section given replaces ours."""
    modality: Optional[dict[str, Union[Words, str]]] = None


# --- lexicon.yaml: words more than one stage reads ------------------------------------------------------------
class ReportingVerbs(Strict):
    saying: Words
    quote_only: Words
    content: Words


class PlacePrepositions(Strict):
    event_location: Words
    place_not_actor: Words
    target_place: Words


class LexiconFile(Strict):
    reporting_verbs: ReportingVerbs
    place_prepositions: PlacePrepositions
    news_agencies: dict[str, Words]
    photo_credits: Words
    words: dict[str, Words]


# --- actors/*.yaml (and DYAD_ACTORS) --------------------------------------------------------------------------
class StateSpec(Strict):
    name: str
    aliases: Words = []
    demonyms: Words = []
    seats: dict[str, Optional[Sector]] = {}


class OrganizationSpec(Strict):
    name: str
    kind: Literal["igo", "ngo"] = "igo"
    aliases: Words = []
    adjectives: Words = []
    seats: dict[str, Optional[Sector]] = {}


class GroupSpec(Strict):
    name: str
    aliases: Words = []
    adjectives: Words = []
    country: Optional[Code] = None
    sector: Optional[Sector] = None


class OfficeSpec(Strict):
    title: str
    sector: Optional[Sector] = None
    start: Optional[IsoDate] = None
    end: Optional[IsoDate] = None
    code: Optional[Code] = None  # the body the office belongs to, when not the person's state
    source: Optional[str] = None  # where the dates come from


class PersonSpec(Strict):
    name: str = Field(min_length=1)
    aliases: Words = []
    country: Optional[Code] = None
    gender: Optional[Literal["m", "f"]] = None
    offices: list[OfficeSpec] = []


class TitleSpec(Strict):
    sector: Optional[Sector] = None
    office: Optional[str] = None
    country: Optional[Code] = None


class TitlesFile(Strict):
    offices: dict[str, Optional[TitleSpec]] = {}
    bodies: dict[str, Optional[TitleSpec]] = {}


class PartyAdjective(Strict):
    """references.yaml `party_adjectives`: the actor an adjective names, or per state for a stateless people."""
    code: Optional[Code] = None
    by_state: dict[Code, Code] = {}

    @model_validator(mode="after")
    def _one_way(self):
        if (self.code is None) == (not self.by_state):
            raise ValueError("give either code or by_state")
        return self


class ReferencesFile(Strict):
    person_pronouns: dict[str, Literal["m", "f"]] = {}
    thing_pronouns: Words = []
    plural_pronouns: Words = []
    plural_phrases: dict[str, Literal["any", "state", "person"]] = {}
    organization_anaphors: Words = []
    state_anaphors: Words = []
    military_anaphors: Words = []
    counterpart_words: Words = []
    descriptor_fillers: Words = []
    not_actors: Words = []
    place_nouns: Words = []
    not_places: Words = []
    same_side_suffixes: Words = []
    title_modifiers: dict[str, Optional[Sector]] = {}  # null: the modifier says no sector
    bare_bodies: dict[str, Code] = {}
    party_adjectives: dict[str, PartyAdjective] = {}  # keys in lower case
    party_heads: Words = []


class ActorsFile(Strict):
    """The packaged actor files together, or a user's DYAD_ACTORS file (any subset of the sections)."""
    states: dict[Code, StateSpec] = {}
    organizations: dict[Code, OrganizationSpec] = {}
    groups: dict[Code, GroupSpec] = {}
    people: list[PersonSpec] = []
    titles: TitlesFile = TitlesFile()
    references: ReferencesFile = ReferencesFile()


class StatesFile(RootModel[dict[Code, StateSpec]]):
    """states.yaml: ISO alpha-3 code -> the state's names, demonyms and seats."""


class OrganizationsFile(RootModel[dict[Code, OrganizationSpec]]):
    """organizations.yaml: acronym -> the body's names and seats."""


class GroupsFile(RootModel[dict[Code, GroupSpec]]):
    """groups.yaml: code -> the group's names, state and sector."""


class PeopleFile(RootModel[list[PersonSpec]]):
    """people.yaml, officeholders.yaml: a list of people with dated offices."""


class PlacesFile(RootModel[dict[str, Optional[Code]]]):
    """places.yaml: a place name -> the state it lies in; null: the name is no place that stands for a state."""


# --- quotes.yaml, facts.yaml, dates.yaml, boilerplate.yaml, stories.yaml, eval_codes.yaml ----------------------
class QuotesFile(Strict):
    attribution_verbs: Words
    indirect_verbs: Words
    document_nouns: Words
    person_pronouns: Words
    group_pronouns: Words
    title_case_small_words: Words


class FactsFile(Strict):
    qualifiers: Words
    vague_scales: dict[str, int]
    scale_abbreviations: dict[str, int]
    currency_symbols: dict[str, str]
    currency_words: dict[str, str]
    percent_words: Words
    fraction_words: dict[str, int]
    duration_units: dict[str, str]
    relative_time_words: Words
    measure_units: dict[str, str]
    min_spelled_count: int
    designation_heads: Words


class RelativeUnit(Strict):
    shift: int
    part: str


class DatesFile(Strict):
    months: dict[str, int]
    weekdays: dict[str, int]
    seasons: dict[str, list[int]]
    relative_days: dict[str, int]
    relative_units: dict[str, RelativeUnit]
    period_parts: dict[str, list[float]]
    prepositions: Words
    duration_openers: Words
    bound_words: Words
    range_connectors: Words
    not_points: Words
    day_parts: Words
    number_words: dict[str, int]


class BoilerplateFile(Strict):
    drop_lines: Words
    drop_patterns: Words
    credit_patterns: Words
    caption_prefixes: Words
    caption_date_tail: str
    caption_markers: Words
    bullets: Words
    section_label_max_words: int


class StandingSpec(Strict):
    types: list[PloverType]
    window_months: int
    min_shared_words: int
    passing_rules: Words
    passing_aux: list[Optional[str]]
    background_words: Words


class QuoteLinkSpec(Strict):
    min_overlap: float
    min_words: int
    window_months: int


class FigureSpec(Strict):
    level_tolerance: float
    change_tolerance: float
    rise_words: Words
    fall_words: Words
    measures: Words


class StoriesFile(Strict):
    families: dict[str, list[PloverType]]
    mode_groups: dict[str, Words]
    aux_compatible: list[Optional[str]]
    promise_types: list[PloverType]
    generic_words: Words
    standing: StandingSpec
    link: dict[str, Union[float, dict[str, float]]]
    quotes: QuoteLinkSpec
    facts: FigureSpec


class CodeClass(Strict):
    kinds: Words
    codes: list[Code]


class EvalCodesFile(Strict):
    aliases: dict[Code, Code]
    classes: dict[Code, CodeClass]


# --- actors/bodies.yaml, sector_words.yaml, name_rules.yaml, phoenix/sector_map.yaml ---------------------------
class BodySpec(Strict):
    name: str
    aliases: Words = []
    country: Optional[Code] = None
    sector: Optional[Sector] = None
    kind: Literal["body", "party", "group", "organization"] = "body"


class BodiesFile(RootModel[list[BodySpec]]):
    """bodies.yaml: named agencies, services, units, parties, cartels and gangs."""


class SectorWordsFile(Strict):
    nouns: dict[Sector, Words]
    generic_heads: Words
    name_heads: Words
    institutions: Words
    modifiers: dict[Sector, Words]
    collectives: Words
    place_suffixes: Words
    skip: Words


class NameRulesFile(Strict):
    particles: Words
    variants: list[Words]
    min_loose_length: int


class ActorPart(Strict):
    kind: str
    code: Optional[str] = None
    sector: Optional[Sector] = None


class SectorMapFile(Strict):
    roles: dict[str, Sector]
    identity_roles: Words
    pairs: dict[str, str]
    actor_parts: dict[str, ActorPart]
    regions: Words
    igo_parts: dict[str, str]
    state_aliases: dict[str, Optional[Code]]  # null: a former state with no successor code
    igo_officer_sector: Sector
    two_digit_year_pivot: int


# --- promises.yaml -------------------------------------------------------------------------------------------
class DeadlineSpec(Strict):
    kind: str
    pattern: str


class PromisesFile(Strict):
    promise_types: list[PloverType]
    promise_aux: Words
    any_type_aux: Words
    promise_rules: Words
    intent_words: Words
    likeness_words: Words
    not_acts: Words
    skip_entries: Words
    irregular: dict[str, str]
    clause_break_chars: str
    clause_break_words: Words
    comma_break_words: Words
    subject_break_words: Words
    subjects: Words
    max_object_words: int
    generic_words: Words
    same_act_similarity: float
    deadlines: list[DeadlineSpec]
    deadline_rewrites: dict[str, str]
    number_words: dict[str, int]
    months: Words
    broken_phrases: Words
    negators: Words
    negator_reach: int
