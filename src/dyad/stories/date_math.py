"""Dates at their precision: how two reported dates relate, and which buckets a date is looked up in."""
from __future__ import annotations

import datetime as dt


def precision_of(date: str | None, stated: str | None = None) -> str | None:
    if not date:
        return None
    return stated or {10: "day", 7: "month", 4: "year"}.get(len(date))


def parse_day(date: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(date) if date and len(date) == 10 else None
    except ValueError:
        return None


def month_index(date: str | None) -> int | None:
    """Months since year 0, for window arithmetic; None for year-only or missing dates."""
    if not date or len(date) < 7:
        return None
    try:
        return int(date[:4]) * 12 + int(date[5:7]) - 1
    except ValueError:
        return None


def month_label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def months_touching(date: str, tolerance_days: int) -> list[str]:
    """The month of a day, plus the neighbouring month when the tolerance reaches over the month's edge."""
    day = parse_day(date)
    if day is None:
        return [date[:7]]
    edges = {(day + dt.timedelta(days=d)).isoformat()[:7] for d in range(-tolerance_days, tolerance_days + 1)}
    return sorted(edges)


def years_within(reference: str | None, window_months: int) -> list[str]:
    m = month_index(reference)
    if m is None:
        return [reference[:4]] if reference else []
    return [str(y) for y in range((m - window_months) // 12, (m + window_months) // 12 + 1)]


def days_apart(a: str | None, b: str | None) -> int | None:
    da, db = parse_day(a), parse_day(b)
    return None if da is None or db is None else abs((da - db).days)


def months_apart(a: str | None, b: str | None) -> int | None:
    ma, mb = month_index(a), month_index(b)
    return None if ma is None or mb is None else abs(ma - mb)


def relation(a: str | None, b: str | None) -> tuple[str, int | None]:
    """How two dates relate: ('same-day'|'inside'|'same-month'|'same-year'|'days-apart'|'conflict'|'undated', days)."""
    if not a or not b:
        return "undated", None
    if len(a) == len(b) == 10:
        da, db = parse_day(a), parse_day(b)
        if da is None or db is None:
            return "conflict", None
        gap = abs((da - db).days)
        return ("same-day", 0) if gap == 0 else ("days-apart", gap)
    short, long_ = sorted((a, b), key=len)
    if not long_.startswith(short):
        return "conflict", None
    if len(short) == 4:
        return "same-year", None
    return ("same-month", None) if len(long_) == 7 else ("inside", None)


def compatible(a: str | None, b: str | None) -> bool:
    """True when neither date contradicts the other at their precisions."""
    if not a or not b:
        return True
    short, long_ = sorted((a, b), key=len)
    return long_.startswith(short)
