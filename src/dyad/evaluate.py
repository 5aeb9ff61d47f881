"""Sentence-level evaluation of the event coder against gold PLOVER records.

Each gold row is one sentence with one coded event (the PLOVER GSR format): ``id, text, type, mode, context,
actors[{text, code, sector}], recipients[...]``. The coder's prediction for a sentence is ONE of the events it
returned: the event with most gold codes on the right side (actor / recipient), then on either side,
ties broken by confidence (a sentence often holds several events; the gold codes one of them). A sentence with no event
counts as wrong and as "NONE" in the confusion table.

Measures:
- type accuracy, and per-type precision / recall / F1 with their macro average over the PLOVER types present
  in the gold or the predictions;
- actor-code accuracy: over gold records with at least one actor code, the share whose chosen prediction has
  ANY gold actor code among its actors ("all" variant: every gold actor code found);
- recipient-code accuracy: the same for recipients, over records with gold recipients only;
- mode accuracy: over records whose gold names a mode and whose type is right, the share whose chosen
  prediction has that mode, both read as PLOVER names (``plover_mode``: the gold standard's "demo-org" is
  PLOVER's demo).
For a symmetric predicted event ("Russia and Iran signed ...") actors and recipients count together.
Codes are compared after the equivalences in ``data/eval_codes.yaml`` (CAMEO-era aliases, class codes).
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from .datafiles import read_data
from .plover import TYPES as PLOVER_TYPES
from .plover import plover_mode
from .records import ActorRef, Document, Event
from .schemas import EvalCodesFile

NONE = "NONE"

Predict = Callable[[str], list[Event]]


# ---------------------------------------------------------------- gold input

class GoldError(ValueError):
    """A gold file or row that cannot be scored."""


def load_gold(path: str | Path) -> list[dict[str, Any]]:
    """Reads a gold JSONL file; a malformed line is an error naming the file and line."""
    rows = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldError(f"{path}:{number}: not JSON ({exc.msg})") from None
        problem = _row_problem(row)
        if problem:
            raise GoldError(f"{path}:{number}: {problem}")
        rows.append(row)
    return rows


def _row_problem(row: Any) -> str | None:
    if not isinstance(row, dict):
        return "a gold row must be a JSON object"
    if not isinstance(row.get("text"), str) or not row["text"].strip():
        return "missing 'text'"
    if str(row.get("type", "")).upper() not in PLOVER_TYPES:
        return f"'type' {row.get('type')!r} is not a PLOVER type"
    for side in ("actors", "recipients"):
        if not isinstance(row.get(side) or [], list):
            return f"'{side}' must be a list"
    return None


# ---------------------------------------------------------------- code equivalence

@dataclass(frozen=True)
class CodeTable:
    aliases: dict[str, str]
    class_kinds: dict[str, frozenset[str]]
    class_codes: dict[str, frozenset[str]]

    def canonical(self, code: str | None) -> str:
        code = (code or "").strip().upper()
        return self.aliases.get(code, code)

    def matches(self, gold_code: str, actor: ActorRef) -> bool:
        """Whether a predicted actor counts as the gold code (a state, a body, or a class such as IGO)."""
        gold = self.canonical(gold_code)
        predicted = self.canonical(actor.code)
        if gold in self.class_kinds:
            return (actor.kind or "").lower() in self.class_kinds[gold] or predicted in self.class_codes[gold]
        return bool(predicted) and predicted == gold


@lru_cache(maxsize=1)
def load_code_table() -> CodeTable:
    return code_table_from(read_data("eval_codes.yaml", EvalCodesFile))


def code_table_from(data: dict[str, Any]) -> CodeTable:
    classes = data.get("classes") or {}
    return CodeTable(
        aliases={k.upper(): v.upper() for k, v in (data.get("aliases") or {}).items()},
        class_kinds={k.upper(): frozenset(s.lower() for s in c.get("kinds", [])) for k, c in classes.items()},
        class_codes={k.upper(): frozenset(s.upper() for s in c.get("codes", [])) for k, c in classes.items()},
    )


def gold_codes(side: list[dict[str, Any]] | None) -> list[str]:
    return [a["code"] for a in side or [] if isinstance(a, dict) and a.get("code")]


def found_codes(gold: list[str], predicted: list[ActorRef], table: CodeTable) -> list[str]:
    """The gold codes that some predicted actor matches."""
    return [code for code in gold if any(table.matches(code, actor) for actor in predicted)]


# ---------------------------------------------------------------- choosing the prediction

def predicted_sides(event: Event) -> tuple[list[ActorRef], list[ActorRef]]:
    """Actors and recipients; a symmetric event has no direction, so all its participants are on both sides."""
    if event.symmetric:
        everyone = event.actors + event.recipients
        return everyone, everyone
    return event.actors, event.recipients


def choose_event(events: list[Event], row: dict[str, Any], table: CodeTable) -> Event | None:
    """The event the gold row most likely describes: most gold codes found on the right side, then found on
    either side, then highest confidence."""
    if not events:
        return None
    gold_actors, gold_recipients = gold_codes(row.get("actors")), gold_codes(row.get("recipients"))

    def rank(event: Event) -> tuple[int, int, float]:
        actors, recipients = predicted_sides(event)
        directed = len(found_codes(gold_actors, actors, table)) + len(found_codes(gold_recipients, recipients, table))
        anyway = len(found_codes(gold_actors + gold_recipients, event.actors + event.recipients, table))
        return directed, anyway, event.confidence or 0.0

    return max(events, key=rank)


# ---------------------------------------------------------------- per-record results

@dataclass
class RecordResult:
    id: str
    text: str
    gold_type: str
    predicted_type: str  # NONE when the coder returned no event
    gold_actors: list[str]
    gold_recipients: list[str]
    predicted_actors: list[str | None] = field(default_factory=list)
    predicted_recipients: list[str | None] = field(default_factory=list)
    rule: str | None = None
    events_found: int = 0
    actor_any: bool | None = None  # None: the gold has no actor code to check
    actor_all: bool | None = None
    recipient_any: bool | None = None
    recipient_all: bool | None = None
    gold_mode: str | None = None  # PLOVER names
    predicted_mode: str | None = None
    error: str | None = None  # the predict function failed on this sentence

    @property
    def type_correct(self) -> bool:
        return self.predicted_type == self.gold_type

    @property
    def mode_correct(self) -> bool | None:
        """None when there is no mode to check: the gold names none, or the type is wrong."""
        if not self.gold_mode or not self.type_correct:
            return None
        return self.predicted_mode == self.gold_mode

    @property
    def wrong(self) -> bool:
        return not self.type_correct or self.actor_any is False or self.recipient_any is False


def score_record(row: dict[str, Any], events: list[Event], table: CodeTable, error: str | None = None) -> RecordResult:
    event = choose_event(events, row, table)
    result = RecordResult(
        id=str(row.get("id", "")), text=row["text"], gold_type=str(row["type"]).upper(),
        predicted_type=event.type.upper() if event else NONE,
        gold_actors=gold_codes(row.get("actors")), gold_recipients=gold_codes(row.get("recipients")),
        events_found=len(events), error=error, gold_mode=plover_mode(str(row["type"]).upper(), row.get("mode")),
    )
    if event:
        result.predicted_actors = [a.code for a in event.actors]
        result.predicted_recipients = [a.code for a in event.recipients]
        result.rule = event.rule
        result.predicted_mode = plover_mode(event.type, event.mode)
    actors, recipients = predicted_sides(event) if event else ([], [])
    result.actor_any, result.actor_all = _side_match(result.gold_actors, actors, table)
    result.recipient_any, result.recipient_all = _side_match(result.gold_recipients, recipients, table)
    return result


def _side_match(gold: list[str], predicted: list[ActorRef], table: CodeTable) -> tuple[bool | None, bool | None]:
    if not gold:
        return None, None
    found = found_codes(gold, predicted, table)
    return bool(found), len(found) == len(gold)


# ---------------------------------------------------------------- the report

@dataclass
class TypeScore:
    type: str
    gold: int  # support
    predicted: int
    correct: int
    precision: float
    recall: float
    f1: float


# a RecordResult flag -> the name its accuracy goes by in the summary
SCORED_FLAGS = {"actor_any": "actor_any", "actor_all": "actor_all", "recipient_any": "recipient_any",
                "recipient_all": "recipient_all", "mode_correct": "mode"}


@dataclass
class Report:
    records: list[RecordResult]
    per_type: list[TypeScore]
    confusion: dict[str, dict[str, int]]  # gold type -> predicted type (or NONE) -> count

    @property
    def n(self) -> int:
        return len(self.records)

    @property
    def type_accuracy(self) -> float:
        return _share([r.type_correct for r in self.records])

    @property
    def macro_f1(self) -> float:
        scored = [t.f1 for t in self.per_type if t.gold or t.predicted]
        return sum(scored) / len(scored) if scored else 0.0

    def side_accuracy(self, flag: str) -> tuple[float | None, int]:
        """Share of records (with gold codes on that side) whose flag is true, and how many were scored."""
        values = [getattr(r, flag) for r in self.records if getattr(r, flag) is not None]
        return (_share(values) if values else None), len(values)

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "sentences": self.n,
            "with_prediction": sum(r.predicted_type != NONE for r in self.records),
            "events_per_sentence": _mean([r.events_found for r in self.records]),
            "predict_errors": sum(r.error is not None for r in self.records),
            "type_accuracy": round(self.type_accuracy, 3),
            "macro_f1": round(self.macro_f1, 3),
        }
        for flag, name in SCORED_FLAGS.items():
            value, scored = self.side_accuracy(flag)
            out[f"{name}_accuracy"] = None if value is None else round(value, 3)
            out[f"{name}_scored"] = scored
        return out

    def to_dict(self, with_records: bool = False) -> dict[str, Any]:
        out = {"summary": self.summary(),
               "per_type": [asdict(t) for t in self.per_type],
               "confusion": self.confusion}
        if with_records:
            out["records"] = [asdict(r) for r in self.records]
        return out

    def errors(self) -> list[RecordResult]:
        return [r for r in self.records if r.wrong]


def _share(flags: list[bool]) -> float:
    return sum(flags) / len(flags) if flags else 0.0


def _mean(values: list[int]) -> float:
    return round(sum(values) / len(values), 3) if values else 0.0


def per_type_scores(records: list[RecordResult]) -> list[TypeScore]:
    gold = Counter(r.gold_type for r in records)
    predicted = Counter(r.predicted_type for r in records)
    correct = Counter(r.gold_type for r in records if r.type_correct)
    scores = []
    for name in PLOVER_TYPES:
        precision = correct[name] / predicted[name] if predicted[name] else 0.0
        recall = correct[name] / gold[name] if gold[name] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores.append(TypeScore(name, gold[name], predicted[name], correct[name],
                                round(precision, 3), round(recall, 3), round(f1, 3)))
    return scores


def confusion_table(records: list[RecordResult]) -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = defaultdict(dict)
    for r in records:
        row = table[r.gold_type]
        row[r.predicted_type] = row.get(r.predicted_type, 0) + 1
    return dict(table)


def evaluate(gold_rows: list[dict[str, Any]], predict: Predict, codes: CodeTable | None = None) -> Report:
    """Scores `predict` (a sentence in, Event records out) on gold rows; a failing sentence scores as NONE."""
    table = codes or load_code_table()
    records = []
    for row in gold_rows:
        problem = _row_problem(row)
        if problem:
            raise GoldError(f"gold row {row.get('id', '?') if isinstance(row, dict) else '?'}: {problem}")
        events, error = _safe_predict(predict, row["text"])
        records.append(score_record(row, events, table, error))
    return Report(records=records, per_type=per_type_scores(records), confusion=confusion_table(records))


def _safe_predict(predict: Predict, text: str) -> tuple[list[Event], str | None]:
    try:
        return list(predict(text) or []), None
    except Exception as exc:  # one bad sentence must not stop the run; it is reported per record
        return [], f"{type(exc).__name__}: {exc}"


def pipeline_predictor(pipeline: Any) -> Predict:
    """A predict function over a dyad.Pipeline: each sentence is a one-sentence Document with no date."""
    def predict(text: str) -> list[Event]:
        return pipeline.extract(Document(id="eval-sentence", text=text)).events
    return predict
