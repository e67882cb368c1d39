"""Questions over a document's tables: a month's figures ("how much does it rain in
August?"), the month of the most ("which month is the wettest?") and the row of the most
("which county has the most people?"), read from the cells of the rows the knowledge base
keeps (`table_rows`: a climate table's "Average precipitation" by month, a list of
counties by "Population (2020)")."""

import re
from typing import List, Optional, Sequence, Tuple

from knowledge.base import KnowledgeBase
from knowledge.kinds import ADMIN_KINDS
from knowledge.language import MONTHS, lemma, lemmas, question_part
from knowledge.text import words

# What a word asked measures, as the words a row or a column of a table names it by, the
# most specific first ("hot": the mean daily maximum before the daily mean).
_RAIN = ("precipitation", "rainfall", "rain")
_HEAT = ("maximum", "high", "mean", "temperature")
_COLD = ("minimum", "low", "mean", "temperature")
_PEOPLE = ("population", "inhabitants", "people")
_SIZE = ("area", "size")
_DENSITY = ("dense", "densely", "density", "crowded")
MEASURES = {
    **dict.fromkeys(("rain", "rainfall", "rainy", "wet", "dry", "precipitation"), _RAIN),
    **dict.fromkeys(("hot", "warm", "heat", "warmth"), _HEAT),
    **dict.fromkeys(("cold", "cool", "chilly", "freezing"), _COLD),
    "temperature": ("mean", "temperature", "maximum"),
    **dict.fromkeys(("sunny", "sunshine", "sun", "sunniest"), ("sunshine", "sun")),
    **dict.fromkeys(("snow", "snowy", "snowfall"), ("snow", "snowfall")),
    **dict.fromkeys(("humid", "humidity"), ("humidity",)),
    **dict.fromkeys(("people", "population", "populous", "inhabitant", "resident", "populated"), _PEOPLE),
    **dict.fromkeys(("big", "large", "area", "size", "small", "vast"), _SIZE),
    **dict.fromkeys(_DENSITY, ("density",)),
    "high": ("high", "maximum"),
    "low": ("low", "minimum"),
}
# Words that say how much of what another word names ("the highest population").
_VAGUE = ("big", "large", "small", "high", "low")
# "What's the weather like in July?": a month's temperatures and rain, each row that gives one.
_WEATHER = frozenset(("weather", "climate"))
_WEATHER_ROWS = (("maximum", "high"), ("mean",), ("minimum", "low"), _RAIN)
# The words of a superlative that asks for the most, or the least, of what it measures.
_MOST = re.compile(
    r"\b(?:most|highest|biggest|largest|greatest|hottest|warmest|wettest|rainiest|sunniest|snowiest"
    r"|maximum|max)\b"
)
_LEAST = re.compile(r"\b(?:least|lowest|smallest|fewest|coldest|coolest|chilliest|driest|minimum|min)\b")
# A row of extremes ("Record high"), the answer to "ever" and "record" only.
_RECORD = frozenset(("record", "extreme", "absolute"))
_EVER = frozenset(("ever", "record", "recorded", "extreme"))
# The columns and rows that total the rest ("Year", "Total"): no month and no place.
_TOTALS = frozenset(("year", "total", "annual", "sum", "overall"))
# The word after "which" or a superlative: what is compared ("which county", "biggest lake").
_COMPARED = re.compile(
    r"\b(?:which|what)\s+(\w+)|\b(?:most|least|[a-z]+est)\s+(?:populous\s+|densely\s+populated\s+)?(\w+)"
)
_NOT_COMPARED = frozenset(
    "month time season is are was were has have had does do did gets get got it one of in by for on the a an "
    "there place part".split()
)
# A month by the first three letters of its name ("aug", a column's "Aug").
_MONTH_OF = {month[:3]: month for month in MONTHS}
# A month asked of a table ("in august", "aug"): not "may I".
_ASKED_MONTH = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b(?! (?:i|we|you|they)\b)"
)
_FIGURE = re.compile(r"[−–-]?\d[\d,]*(?:\.\d+)?")
# A month the question refers back to.
_THAT_MONTH = re.compile(r"\b(?:that|the same|this) month\b|\bthen\b")
# "What counties does it have?", "which districts are there": the rows of that kind.
_LISTED = re.compile(
    r"\b(?:what|which|list|name)\s+(?:are\s+)?(?:the\s+|its\s+)?(counties|districts|townships|towns|villages|cities)\b"
)
# The word of a kind of place a row names ("Shabei County"): "which county ..." asks of those.
_PLACE_KINDS = (*ADMIN_KINDS, "township", "village")


def from_table(kb: KnowledgeBase, text: str, previous: str = "") -> Optional[Tuple[str, dict, List[int]]]:
    """The reply name, its values and its source rows for a question a table of the
    document answers, else None; "that month" is the month the `previous` question asked."""
    rows = kb.data.get("table_rows") or []
    if not rows:
        return None
    asked = question_part(text).lower()
    said = words(asked)
    most = "most" if _MOST.search(asked) else "least" if _LEAST.search(asked) else ""
    by_month = [row for row in rows if _month_row(row)]
    by_place = [row for row in rows if not _month_row(row)]
    listed = _LISTED.search(asked)
    if listed and not most:
        return _rows_of_kind(kb, by_place, listed.group(1))
    measures = _measures(asked)
    if not measures:
        return None
    ever = not _EVER.isdisjoint(said)
    compared = _compared(asked)
    months = _months_asked(asked)
    if not months and _THAT_MONTH.search(asked):
        months = _months_asked(question_part(previous).lower())  # "how much rain falls that month?"
    if most and not months and not compared and ({"month", "when", "time", "season"} & set(said) or ever):
        found = _month_rows(by_month, measures, ever, weather=False)
        if found:
            return _extreme_month(found[0], most)
    if months and not most:
        found = _month_rows(by_month, measures, ever, weather=not _WEATHER.isdisjoint(said))
        if found:
            return _in_month(found, months[0])
        return None
    if most:
        return _extreme_row(kb, by_place, measures, most, compared, lemmas(asked))
    return None


def _measures(asked: str) -> Tuple[str, ...]:
    """The words a table names what the question measures by, or () when it names nothing
    a table measures (the words asked first, a superlative's own word last)."""
    said = list(lemmas(asked))
    for word in said:
        if word in _WEATHER:
            return tuple(word for group in _WEATHER_ROWS for word in group)
    # "the biggest population" measures people; "the most densely populated", the density
    for word in sorted(said, key=lambda w: (w not in _DENSITY) + (w in _VAGUE)):
        if word in MEASURES:
            return MEASURES[word]
    return ()


def _rows_of_kind(
    kb: KnowledgeBase, rows: Sequence[dict], kinds: str
) -> Optional[Tuple[str, dict, List[int]]]:
    """The rows of one table that are places of a kind ("what counties does it have?": the
    rows named "... County"), when it lists two or more."""
    named = _one_table(kb, [row for row in rows if lemmas(row["row"])[-1:] == (lemma(kinds),)])
    if len(named) < 2:
        return None
    names = ", ".join(row["row"] for row in named)
    return (
        "table_list",
        {"count": len(named), "kinds": kinds, "names": names},
        [row["sentence"] for row in named],
    )


def _compared(asked: str) -> List[str]:
    """The words naming what a superlative compares ("the biggest lake", "which county"),
    other than a month or what is measured."""
    said = [m.group(1) or m.group(2) for m in _COMPARED.finditer(asked)]
    return [lemma(w) for w in said if lemma(w) not in _NOT_COMPARED and lemma(w) not in MEASURES]


def _months_asked(asked: str) -> List[str]:
    return [_MONTH_OF[m.group(1)[:3]] for m in _ASKED_MONTH.finditer(asked)]


def _month_row(row: dict) -> bool:
    """True for a row whose cells are months ("Jan", "Feb", ...)."""
    return sum(column[:3].lower() in _MONTH_OF for column, _ in row["cells"]) >= 6


def _month_rows(rows: Sequence[dict], measures: Sequence[str], ever: bool, weather: bool) -> List[dict]:
    """The row that gives what is measured: the first of its words some row names (for the
    weather, a row for each: the maximum, the mean, the minimum, the rain); a row of
    extremes only when asked "ever"."""
    rows = [row for row in rows if ever == (not _RECORD.isdisjoint(words(row["row"])))]
    found: List[dict] = []
    for group in _WEATHER_ROWS if weather else [(measure,) for measure in measures]:
        named = [row for row in rows if not set(group).isdisjoint(words(row["row"])) and row not in found]
        found += named[:1]
        if found and not weather:
            break
    return found


def _in_month(rows: Sequence[dict], month: str) -> Optional[Tuple[str, dict, List[int]]]:
    cells = [
        f"{_label(row['row'])} {value}"
        for row in rows
        for column, value in row["cells"]
        if _is_month(column, month)
    ]
    if not cells:
        return None
    return (
        "table_month",
        {"month": month.capitalize(), "cells": "; ".join(cells)},
        [row["sentence"] for row in rows],
    )


def _extreme_month(row: dict, most: str) -> Optional[Tuple[str, dict, List[int]]]:
    cells = [(column, value) for column, value in row["cells"] if column.lower() not in _TOTALS]
    figures = [(_figure(value), column, value) for column, value in cells]
    figures = [f for f in figures if f[0] is not None]
    if len(figures) < 6:
        return None
    pick = max if most == "most" else min
    _, column, value = pick(figures, key=lambda f: f[0])
    month = _MONTH_OF[column[:3].lower()]
    reply = "table_highest_month" if most == "most" else "table_lowest_month"
    return (
        reply,
        {"month": month.capitalize(), "measure": _label(row["row"]), "value": value},
        [row["sentence"]],
    )


def _extreme_row(
    kb: KnowledgeBase,
    rows: Sequence[dict],
    measures: Sequence[str],
    most: str,
    compared: Sequence[str],
    asked_words: Sequence[str],
) -> Optional[Tuple[str, dict, List[int]]]:
    """The row with the most (or least) in the first column that gives what is measured,
    among the rows of one table; of the kind of place compared ("which county ..."), and
    none when the rows are no such thing ("the biggest lake" of a table of counties)."""
    for measure in measures:
        columns = [
            (row, column, value) for row in rows for column, value in row["cells"] if measure in words(column)
        ]
        if not columns:
            continue
        table = _one_table(kb, [row for row, _, _ in columns])
        found = [
            (_figure(value), row, column, value)
            for row, column, value in columns
            if row in table and not _TOTALS.intersection(words(row["row"]))
        ]
        found = [f for f in found if f[0] is not None]
        named = {word for f in found for word in lemmas(f[1]["row"])}
        if any(word not in named for word in compared):
            return None
        # ("which district or county ...": the rows of either kind)
        kinds = [
            k
            for k in _PLACE_KINDS
            if k in asked_words and any(lemmas(f[1]["row"])[-1:] == (k,) for f in found)
        ]
        if kinds:
            found = [f for f in found if lemmas(f[1]["row"])[-1:][0] in kinds]
        if len(found) < 2:
            return None
        pick = max if most == "most" else min
        _, row, column, value = pick(found, key=lambda f: f[0])
        reply = "table_largest_row" if most == "most" else "table_smallest_row"
        return reply, {"name": row["row"], "measure": _label(column), "value": value}, [row["sentence"]]
    return None


def _one_table(kb: KnowledgeBase, rows: Sequence[dict]) -> List[dict]:
    """The rows in the table of the first of `rows` (a table is one paragraph)."""
    paragraphs = kb.data["paragraphs"]
    return [row for row in rows if paragraphs[row["sentence"]] == paragraphs[rows[0]["sentence"]]]


def _is_month(column: str, month: str) -> bool:
    return column[:3].lower() == month[:3] and column.lower() not in _TOTALS


def _label(name: str) -> str:
    """A row or column's name inside a sentence: "Average precipitation" -> "average precipitation"."""
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def _figure(value: str) -> Optional[float]:
    found = _FIGURE.search(value)
    if found is None:
        return None
    return float(re.sub(r"^[−–]", "-", found.group(0)).replace(",", ""))
