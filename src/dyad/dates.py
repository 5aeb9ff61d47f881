"""Resolve date expressions ("on Wednesday", "In December", "the end of last year") against a publication date.

Every expression is first turned into the stretch of calendar days it can mean (an interval); the resolved
date is then the finest calendar unit holding the whole stretch: one day -> ``YYYY-MM-DD`` (day precision),
days inside one month -> ``YYYY-MM``, inside one year -> ``YYYY``, anything wider -> no date. So precision
always reflects the words: "In December" is a month, never an invented day.

Choices (documented, tested):
- A bare weekday under ``prefer='past'`` is the latest such day on or before the reference (a story published
  on a Friday that says "on Friday" means that day); under ``'future'`` the first on or after it.
  "last Friday" is strictly before, "next Friday" strictly after.
- A month or month-day without a year is the latest one not after the reference (``'past'``) or the first one
  not before it (``'future'``); "last July" is the latest July strictly before the reference month.
- "last week" is Monday-Sunday of the week before the reference's; it resolves to its month when the whole
  week lies in one month, else to its year, else (a week across New Year) to nothing.
- "the weekend" is the latest Saturday-Sunday on or before the reference ('past') or the next one ('future');
  being two days, it resolves to its month (or year, across a month end).
- "the end of last year", "early 2023": the part of the period, so year precision; "mid-August": the month.
- Spans and durations ("the past year", "for decades", "two days"), ages, frequencies, decades, dates relative
  to another event ("two days later"), and bounds ("before October 7") resolve to nothing. A range
  ("from February 2022 to October 2023") resolves to its start; "since 1979" to 1979.
- Without a full ``YYYY-MM-DD`` reference, only expressions with an explicit year resolve: the current date or
  ingest time is never used.

dateparser reads the explicit calendar forms (many spellings and orders); it is not trusted with weekdays,
relative units or missing years, for the reasons in DESIGN.md.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .datafiles import read_data
from .schemas import DatesFile

if TYPE_CHECKING:  # spaCy is only needed by the caller of dates_in_span
    from spacy.tokens import Span

PREFERENCES = ("past", "future")
DATE_LABELS = ("DATE", "TIME")


@dataclass(frozen=True)
class ResolvedDate:
    value: str  # 'YYYY-MM-DD' | 'YYYY-MM' | 'YYYY'
    precision: str  # 'day' | 'month' | 'year'
    text: str  # the expression it was read from


@dataclass(frozen=True)
class _Interval:
    start: date
    end: date


# ---------------------------------------------------------------- vocabulary (src/dyad/data/dates.yaml)

@dataclass(frozen=True)
class _Vocab:
    months: dict[str, int]
    weekdays: dict[str, int]
    seasons: dict[str, list[int]]
    relative_days: dict[str, int]
    relative_units: dict[str, dict[str, Any]]
    period_parts: dict[str, list[float]]
    prepositions: list[str]
    duration_openers: list[str]
    bound_words: list[str]
    range_connectors: list[str]
    not_points: list[re.Pattern]
    day_parts: list[str]
    number_words: dict[str, int]


@lru_cache(maxsize=1)
def _vocab() -> _Vocab:
    raw = dict(read_data("dates.yaml", DatesFile))
    raw["not_points"] = [re.compile(p) for p in raw["not_points"]]
    longest_first = ("prepositions", "duration_openers", "bound_words", "range_connectors", "day_parts")
    for key in longest_first:
        raw[key] = sorted(raw[key], key=len, reverse=True)
    return _Vocab(**raw)


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _full_names(table: dict[str, int]) -> list[str]:
    """The longest spelling of each month or weekday ("september", not "sep"): safe to look for in raw text."""
    best: dict[int, str] = {}
    for name, number in table.items():
        if len(name) > len(best.get(number, "")):
            best[number] = name
    return list(best.values())


# ---------------------------------------------------------------- calendar arithmetic

def _month_interval(year: int, month: int) -> _Interval:
    return _Interval(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))


def _year_interval(year: int) -> _Interval:
    return _Interval(date(year, 1, 1), date(year, 12, 31))


def _week_interval(day: date) -> _Interval:
    monday = day - timedelta(days=day.weekday())
    return _Interval(monday, monday + timedelta(days=6))


def _add_months(day: date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def _shift_years(interval: _Interval, years: int) -> _Interval:
    def move(day: date) -> date:
        last = calendar.monthrange(day.year + years, day.month)[1]
        return date(day.year + years, day.month, min(day.day, last))
    return _Interval(move(interval.start), move(interval.end))


def _to_resolved(interval: _Interval | None, text: str) -> ResolvedDate | None:
    if interval is None:
        return None
    start, end = interval.start, interval.end
    if start == end:
        return ResolvedDate(start.isoformat(), "day", text)
    if (start.year, start.month) == (end.year, end.month):
        return ResolvedDate(f"{start.year:04d}-{start.month:02d}", "month", text)
    if start.year == end.year:
        return ResolvedDate(f"{start.year:04d}", "year", text)
    return None


def _place(candidate: _Interval, reference: date, prefer: str) -> _Interval:
    """Move a yearless month or day into the year the preference asks for (the reference's year by default)."""
    candidate = _shift_years(candidate, reference.year - candidate.start.year)
    if prefer == "past" and candidate.start > reference:
        return _shift_years(candidate, -1)
    if prefer == "future" and candidate.end < reference:
        return _shift_years(candidate, 1)
    return candidate


# ---------------------------------------------------------------- public API

def resolve_expression(text: str, reference: str | None, prefer: str = "past") -> ResolvedDate | None:
    """Resolve one date expression against the reference (publication) date, ISO 'YYYY-MM-DD' or None.

    Returns None for expressions that are not points in time or cannot be placed without a reference.
    """
    if prefer not in PREFERENCES:
        raise ValueError(f"prefer must be one of {PREFERENCES}, not {prefer!r}")
    if not isinstance(text, str):
        raise TypeError(f"date expression must be a string, not {type(text).__name__}")
    return _resolve_cached(text, reference, prefer)


@lru_cache(maxsize=8192)
def _resolve_cached(text: str, reference: str | None, prefer: str) -> ResolvedDate | None:
    return _to_resolved(_interval_of(text, _parse_reference(reference), prefer), text.strip())


def _parse_reference(reference: str | None) -> date | None:
    """A full ISO date; a month- or year-only reference ('2024-10') cannot anchor "on Friday", so it counts as none."""
    if reference is None or re.fullmatch(r"\d{4}(-\d{2})?", reference):
        return None
    try:
        return date.fromisoformat(reference[:10])
    except (TypeError, ValueError):
        raise ValueError(f"reference date must be ISO 'YYYY-MM-DD' or None, not {reference!r}") from None


def _normalise(text: str) -> str:
    text = text.lower().replace("\u2019", "'").replace("\u00a0", " ")
    text = re.sub(r"\s+", " ", text).strip(" \t\n.,;:!?\"'()[]")
    return re.sub(r"'s$", "", text)


def _strip_leading(text: str, words: list[str]) -> tuple[str, str | None]:
    for word in words:
        if text.startswith(word + " "):
            return text[len(word) + 1:].strip(), word
    return text, None


def _interval_of(text: str, reference: date | None, prefer: str) -> _Interval | None:
    vocab = _vocab()
    expr = _normalise(text)
    stripped = None
    while True:  # "in the past year" -> "the past year"; "until February last year" -> "february last year"
        expr, word = _strip_leading(expr, vocab.prepositions)
        if word is None:
            break
        stripped = stripped or word
    if stripped in vocab.bound_words:
        return None
    if not expr or any(p.fullmatch(expr) for p in vocab.not_points):
        return None
    return _interval_of_phrase(_range_start(expr, stripped), reference, prefer)


def _range_start(expr: str, opener: str | None) -> str:
    """'february 2022 to october 2023' -> 'february 2022'; 'january to august 2023' -> 'january 2023'."""
    vocab = _vocab()
    years = re.fullmatch(r"(\d{4})\s*[-–—/]\s*(\d{2}|\d{4})", expr)
    if years and _is_later_year(years.group(1), years.group(2)):  # "2023-24", not the ISO month "2024-10"
        return years.group(1)
    connectors = [c for c in vocab.range_connectors if c != "and" or opener == "between"]
    parts = re.split(rf"\s*(?:\s(?:{_alternation(connectors)})\s|[–—])\s*", expr, maxsplit=1)
    if len(parts) != 2 or not parts[0] or not parts[1]:
        return expr
    left, right = parts
    right_year = re.search(r"\b\d{4}\b", right)
    if right_year and not re.search(r"\b\d{4}\b", left):
        left = f"{left} {right_year.group(0)}"
    return left


def _is_later_year(first: str, second: str) -> bool:
    end = int(second) if len(second) == 4 else int(first[:2] + second)
    return end > int(first)


def _interval_of_phrase(expr: str, reference: date | None, prefer: str) -> _Interval | None:
    vocab = _vocab()
    expr = re.sub(rf"\s(?:{_alternation(vocab.day_parts)})$", "", expr)
    part = re.match(rf"({_alternation(vocab.period_parts)})(?:\s|-)(.+)", expr)
    if part:
        whole = _interval_of_phrase(part.group(2), reference, prefer)
        return _part_of(whole, vocab.period_parts[part.group(1)])
    for reader in (_relative_day, _ago, _relative_unit, _weekday, _weekend, _month_with_modifier, _season):
        interval = reader(expr, reference, prefer)
        if interval is not None:
            return interval
    return _explicit(_with_relative_year(expr, reference), reference, prefer)


def _part_of(whole: _Interval | None, fraction: list[float]) -> _Interval | None:
    if whole is None:
        return None
    days = (whole.end - whole.start).days + 1
    first = whole.start + timedelta(days=int(days * fraction[0]))
    last = whole.start + timedelta(days=max(int(days * fraction[1]) - 1, 0))
    return _Interval(first, max(first, last))


# ---------------------------------------------------------------- readers: each returns an interval or None

def _relative_day(expr: str, reference: date | None, prefer: str) -> _Interval | None:
    offset = _vocab().relative_days.get(expr)
    if offset is None or reference is None:
        return None
    day = reference + timedelta(days=offset)
    return _Interval(day, day)


def _ago(expr: str, reference: date | None, prefer: str) -> _Interval | None:
    """'two weeks ago', '3 days ago', 'a year ago'."""
    vocab = _vocab()
    match = re.fullmatch(rf"(\d+|{_alternation(vocab.number_words)})\s+(day|week|month|year)s?\s+ago", expr)
    if not match or reference is None:
        return None
    count = int(match.group(1)) if match.group(1).isdigit() else vocab.number_words[match.group(1)]
    unit = match.group(2)
    if unit == "day":
        day = reference - timedelta(days=count)
        return _Interval(day, day)
    if unit == "week":
        day = reference - timedelta(days=7 * count)
        return _Interval(day - timedelta(days=3), day + timedelta(days=3))
    if unit == "month":
        return _month_interval(*_add_months(reference, -count))
    return _year_interval(reference.year - count)


def _relative_unit(expr: str, reference: date | None, prefer: str) -> _Interval | None:
    """'last week', 'earlier this month', 'this year', 'next month', 'earlier in the week'."""
    units = _vocab().relative_units
    match = re.fullmatch(rf"({_alternation(units)})\s+(week|month|year)", expr)
    if not match or reference is None:
        return None
    rule, unit = units[match.group(1)], match.group(2)
    whole = _unit_interval(unit, reference, rule["shift"])
    if rule["part"] == "before":
        return _Interval(whole.start, max(whole.start, reference - timedelta(days=1)))
    if rule["part"] == "after":
        return _Interval(min(whole.end, reference + timedelta(days=1)), whole.end)
    return whole


def _unit_interval(unit: str, reference: date, shift: int) -> _Interval:
    if unit == "week":
        return _week_interval(reference + timedelta(days=7 * shift))
    if unit == "month":
        return _month_interval(*_add_months(reference, shift))
    return _year_interval(reference.year + shift)


def _weekday(expr: str, reference: date | None, prefer: str) -> _Interval | None:
    """'wednesday', 'last friday', 'next monday', 'this thursday'."""
    weekdays = _vocab().weekdays
    match = re.fullmatch(rf"(?:(last|next|this|past|coming)\s+)?({_alternation(weekdays)})\.?", expr)
    if not match or reference is None:
        return None
    modifier, target = match.group(1), weekdays[match.group(2)]
    back = (reference.weekday() - target) % 7
    ahead = (target - reference.weekday()) % 7
    if modifier in ("last", "past"):
        back = back or 7
    elif modifier in ("next", "coming"):
        ahead = ahead or 7
    go_back = modifier in ("last", "past") or (modifier not in ("next", "coming") and prefer == "past")
    day = reference - timedelta(days=back) if go_back else reference + timedelta(days=ahead)
    return _Interval(day, day)


def _weekend(expr: str, reference: date | None, prefer: str) -> _Interval | None:
    """'the weekend', 'last weekend', 'this weekend', 'next weekend': a Saturday and Sunday."""
    match = re.fullmatch(r"(?:(last|next|this|the|at the|over the)\s+)?weekend", expr)
    if not match or reference is None:
        return None
    modifier = match.group(1)
    on_or_before = reference - timedelta(days=(reference.weekday() - 5) % 7)
    on_or_after = reference + timedelta(days=(5 - reference.weekday()) % 7)
    if modifier == "last":
        saturday = reference - timedelta(days=reference.weekday() + 2)  # the weekend before this Monday
    elif modifier == "next":
        saturday = on_or_after if on_or_after > reference else on_or_after + timedelta(days=7)
    elif reference.weekday() >= 5:
        saturday = on_or_before  # said during a weekend: that weekend
    else:
        saturday = on_or_before if prefer == "past" else on_or_after
    return _Interval(saturday, saturday + timedelta(days=1))


def _month_with_modifier(expr: str, reference: date | None, prefer: str) -> _Interval | None:
    """'last july' (latest July before the reference month), 'next march', 'this december'."""
    months = _vocab().months
    match = re.fullmatch(rf"(last|next|this)\s+({_alternation(months)})\.?", expr)
    if not match or reference is None:
        return None
    modifier, month = match.group(1), months[match.group(2)]
    year = reference.year
    if modifier == "last" and month >= reference.month:
        year -= 1
    elif modifier == "next" and month <= reference.month:
        year += 1
    return _month_interval(year, month)


def _season(expr: str, reference: date | None, prefer: str) -> _Interval | None:
    """'summer 2023', 'the winter of 2022', 'last summer', 'this spring', 'in autumn'."""
    seasons = _vocab().seasons
    names = _alternation(seasons)
    explicit = re.fullmatch(rf"(?:the\s+)?({names})\s+(?:of\s+)?(\d{{4}})", expr)
    if explicit:
        return _season_interval(seasons[explicit.group(1)], int(explicit.group(2)))
    relative = re.fullmatch(rf"(?:(last|next|this|the)\s+)?({names})", expr)
    if not relative or reference is None:
        return None
    months, modifier = seasons[relative.group(2)], relative.group(1)
    options = [_season_interval(months, year) for year in range(reference.year - 2, reference.year + 2)]
    if modifier == "last":
        return max((i for i in options if i.end < reference), key=_start)
    if modifier == "next":
        return min((i for i in options if i.start > reference), key=_start)
    if prefer == "past":
        return max((i for i in options if i.start <= reference), key=_start)
    return min((i for i in options if i.end >= reference), key=_start)


def _start(interval: _Interval) -> date:
    return interval.start


def _season_interval(months: list[int], year: int) -> _Interval:
    end_year = year + 1 if months[-1] < months[0] else year  # winter runs into the next year
    return _Interval(_month_interval(year, months[0]).start, _month_interval(end_year, months[-1]).end)


def _with_relative_year(expr: str, reference: date | None) -> str:
    """'february last year' -> 'february 2023': a month or day placed in a year named relative to the reference."""
    match = re.fullmatch(r"(.+?)\s+(?:of\s+)?(last|this|next)\s+year", expr)
    if not match or reference is None:
        return expr
    shift = {"last": -1, "this": 0, "next": 1}[match.group(2)]
    return f"{match.group(1)} {reference.year + shift}"


def _explicit(expr: str, reference: date | None, prefer: str) -> _Interval | None:
    """Calendar dates read by dateparser: 'October 11', 'september 12, 2024', '15 october', 'february 2022', '1979'."""
    explicit_year = re.search(r"\b(1\d{3}|2\d{3})\b", expr)
    if re.fullmatch(r"1\d{3}|2\d{3}", expr):
        return _year_interval(int(expr))
    if not (explicit_year or _names_a_month(expr) or re.search(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}", expr)):
        return None  # dateparser turns almost anything into a date: only calendar-looking text goes to it
    if explicit_year is None and reference is None:
        return None
    base = reference or date(int(explicit_year.group(0)), 1, 1)
    try:
        parsed = _dateparser(base, prefer).get_date_data(expr)
    except (ValueError, OverflowError):  # odd numbers in odd places: no date, not a crash
        return None
    if parsed is None or parsed.date_obj is None:
        return None
    interval = _period_interval(parsed.date_obj.date(), parsed.period)
    if explicit_year is None:
        interval = _place(interval, reference, prefer)
    return interval


def _names_a_month(expr: str) -> bool:
    return re.search(rf"\b(?:{_alternation(_vocab().months)})\b", expr) is not None


def _period_interval(day: date, period: str | None) -> _Interval:
    if period == "month":
        return _month_interval(day.year, day.month)
    if period == "year":
        return _year_interval(day.year)
    if period == "quarter":
        first = (day.month - 1) // 3 * 3 + 1
        return _Interval(_month_interval(day.year, first).start, _month_interval(day.year, first + 2).end)
    if period == "week":
        return _week_interval(day)
    return _Interval(day, day)


@lru_cache(maxsize=64)
def _dateparser(base: date, prefer: str):
    from dateparser.date import (
        DateDataParser,  # slow import: only when an explicit date needs it
    )

    settings = {
        "RELATIVE_BASE": datetime(base.year, base.month, base.day),
        "PREFER_DATES_FROM": prefer,
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    return DateDataParser(languages=["en"], settings=settings)


# ---------------------------------------------------------------- dates in a sentence

def dates_in_span(span: "Span", reference: str | None, prefer: str = "past") -> list[tuple[int, int, ResolvedDate]]:
    """Date expressions in a spaCy span (a sentence), resolved, in text order.

    Offsets are characters into ``span.doc``; each expression's text includes a preposition right before it
    ("on Wednesday"). Candidates are spaCy DATE/TIME entities plus weekday, month and relative phrases the
    model missed; those that are not points in time are dropped.
    """
    found = []
    for first, last in _candidates(span):
        start, end = _with_preposition(span, first), span.doc[last - 1].idx + len(span.doc[last - 1])
        # char_span, not doc.text[start:end]: Doc.text joins every token of the document on each access
        resolved = resolve_expression(span.doc.char_span(start, end).text, reference, prefer)
        if resolved is not None:
            found.append((start, end, resolved))
    return found


def _candidates(span: "Span") -> list[tuple[int, int]]:
    """Token ranges of date expressions: DATE/TIME entities, then pattern matches that overlap no entity."""
    from .nlp import (
        ents_within,  # spaCy is needed only here, by callers that hold a parsed span
    )

    entities = ents_within(span.doc, span.start, span.end)
    dates = [(e.start, e.end) for e in entities if e.label_ in DATE_LABELS]
    others = [(e.start, e.end) for e in entities if e.label_ not in DATE_LABELS]
    for match in _missed_date_pattern().finditer(span.text):
        extra = span.char_span(match.start(), match.end(), alignment_mode="expand")
        if extra is None or any(extra.start < e and s < extra.end for s, e in dates + others):
            continue
        if _bare_month(extra.text) and _with_preposition(span, extra.start) == extra.start_char:
            continue  # "March" alone may be the noun; "in March" is a date
        dates.append((extra.start, extra.end))
    return sorted(dates)


def _bare_month(text: str) -> bool:
    return text.lower() in _vocab().months


@lru_cache(maxsize=1)
def _missed_date_pattern() -> re.Pattern:
    """Phrases spaCy's small model sometimes leaves untagged. Month names need a capital ('in May', not 'may')."""
    vocab = _vocab()
    weekdays = _alternation(_full_names(vocab.weekdays))
    months = "|".join(m.capitalize() for m in _full_names(vocab.months))
    units = _alternation(vocab.relative_units)
    relative_days = _alternation(vocab.relative_days)
    return re.compile(
        rf"(?i:\b(?:(?:last|next|this)\s+)?(?:{weekdays})\b)"
        rf"|(?i:\b(?:{units})\s+(?:week|month|year)\b)"
        rf"|(?i:\b(?:{relative_days})\b)"
        rf"|(?i:\b(?:last|next|this)\s+)?\b(?:{months})\b(?:\s+\d{{1,2}}\b)?(?:,?\s+\d{{4}}\b)?"
    )


def _with_preposition(span: "Span", token_start: int) -> int:
    """Start character of the expression, moved back over a preposition or duration opener right before it."""
    vocab = _vocab()
    doc = span.doc
    for words in sorted((w.split() for w in vocab.prepositions + vocab.duration_openers), key=len, reverse=True):
        first = token_start - len(words)
        if first >= span.start and [t.lower_ for t in doc[first:token_start]] == words:
            return doc[first].idx
    return doc[token_start].idx


# ---------------------------------------------------------------- publication date lower bound

@lru_cache(maxsize=1)
def _explicit_patterns() -> dict[str, re.Pattern]:
    months = _alternation(_vocab().months)
    return {
        "mdy": re.compile(rf"\b({months})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I),
        "dmy": re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({months})\.?,?\s+(\d{{4}})\b", re.I),
        "iso": re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"),
        "my": re.compile(rf"\b({months})\.?,?\s+(\d{{4}})\b", re.I),
    }


def latest_explicit_date(text: str) -> str | None:
    """The latest fully explicit date in a text ('YYYY-MM-DD'), or the latest explicit month-year ('YYYY-MM')
    when there is no full date or the month-year is in a later month than every full date.

    A lower bound for the publication date of an article whose metadata has none. A month-only bound is
    deliberately not padded to a day: as a reference it resolves explicit dates only (see _parse_reference).
    """
    days = _explicit_days(text)
    months = _explicit_month_years(text)
    latest_day = max(days, default=None)
    latest_month = max(months, default=None)
    if latest_month and (latest_day is None or latest_month > (latest_day.year, latest_day.month)):
        return f"{latest_month[0]:04d}-{latest_month[1]:02d}"
    return latest_day.isoformat() if latest_day else None


def _explicit_days(text: str) -> list[date]:
    months = _vocab().months
    patterns = _explicit_patterns()
    found = [_safe_date(m.group(3), months[m.group(1).lower()], m.group(2)) for m in patterns["mdy"].finditer(text)]
    found += [_safe_date(m.group(3), months[m.group(2).lower()], m.group(1)) for m in patterns["dmy"].finditer(text)]
    found += [_safe_date(*m.groups()) for m in patterns["iso"].finditer(text)]
    return [d for d in found if d is not None]


def _explicit_month_years(text: str) -> list[tuple[int, int]]:
    months = _vocab().months
    return [(int(m.group(2)), months[m.group(1).lower()]) for m in _explicit_patterns()["my"].finditer(text)]


def _safe_date(year, month, day) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None
