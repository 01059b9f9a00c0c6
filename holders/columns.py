"""Which column of a holders file holds which of our fields (resolve_columns). No Django."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from holders.vocabulary import (
    _SYNONYM_KEYS,
    FIELDS,
    LABELS,
    REQUIRED,
    REQUIRED_WITHOUT_COUNTRY,
    SHOWN_CHARACTERS,
    SYNONYMS,
    _key,
)


class ColumnProblem(ValueError):
    """The header lacks columns the list needs, or a mapping names columns the file lacks."""

    def __init__(self, problems: Sequence[str], missing: Sequence[str] = ()):
        self.problems = list(problems)
        self.missing = list(missing)  # the required fields with no column
        super().__init__(" ".join(self.problems))


@dataclass(frozen=True)
class ColumnIndex:
    """Which column of the file holds each field (0-based), and the file's own headings."""

    headers: tuple[str, ...]
    positions: Mapping[str, int]

    def __contains__(self, name: str) -> bool:
        return name in self.positions

    def header_for(self, name: str) -> str | None:
        position = self.positions.get(name)
        return None if position is None else self.headers[position]


def resolve_columns(headers: Sequence[str], mapping: dict[str, str] | None = None) -> ColumnIndex:
    """Find each field's column: by `mapping` (field -> the file's heading), else by synonyms.

    Raises ColumnProblem naming every required field that has no column, with the headings
    that were looked for, and every mapping entry that does not fit the file.
    """
    headers = tuple(headers)
    problems = []
    positions: dict[str, int] = {}
    for name, heading in (mapping or {}).items():
        if name not in SYNONYMS:
            problems.append(
                f"The column mapping names “{name}”, which is not a field of a List of Holders "
                f"(the fields are {', '.join(FIELDS)})."
            )
            continue
        position = _find_heading(headers, heading)
        if position is None:
            problems.append(
                f"The column mapping reads the {LABELS[name]} from a column “{heading}”, but "
                f"the file has no such column; its columns are {_quoted(headers)}."
            )
        elif position in positions.values():
            other = next(f for f, p in positions.items() if p == position)
            problems.append(
                f"The column mapping reads both the {LABELS[other]} and the {LABELS[name]} "
                f"from the column “{headers[position]}”; each field needs its own column."
            )
        else:
            positions[name] = position
    claimed = set(positions.values())
    ambiguous = set()
    for name, keys in _SYNONYM_KEYS.items():
        if name in positions or (mapping and name in mapping):
            continue
        found = [
            index
            for index, heading in enumerate(headers)
            if index not in claimed and _key(heading) in keys
        ]
        if len(found) > 1:
            ambiguous.add(name)
            problems.append(
                f"More than one column could be the {LABELS[name]}: "
                f"{_quoted(headers[index] for index in found)}. Give a column mapping that "
                "names the right one."
            )
        elif found:
            positions[name] = found[0]
    required = REQUIRED if "country" in positions else REQUIRED + REQUIRED_WITHOUT_COUNTRY
    missing = [name for name in required if name not in positions]
    # A field named in the mapping or claimed by two columns is reported above already.
    unexplained = [n for n in missing if n not in ambiguous and not (mapping and n in mapping)]
    for name in unexplained:
        problems.append(
            f"The file has no column for the {LABELS[name]} (looked for a heading such as "
            f"{_quoted(SYNONYMS[name], conjunction='or')})."
        )
    if "country" not in positions and set(unexplained) & set(REQUIRED_WITHOUT_COUNTRY):
        problems.append(
            "Without a country column every holder is taken to be in the United States, "
            "which needs a state and ZIP code."
        )
    if unexplained:
        problems.append(
            f"The file's columns are {_quoted(headers)}; if one of them holds a missing "
            "field under another heading, give a column mapping for it."
        )
    if problems:
        raise ColumnProblem(problems, missing)
    return ColumnIndex(headers=headers, positions=positions)


def _find_heading(headers: Sequence[str], heading: str) -> int | None:
    wanted = heading.strip()
    for index, name in enumerate(headers):
        if name.strip() == wanted:
            return index
    matches = [index for index, name in enumerate(headers) if _key(name) == _key(wanted)]
    return matches[0] if len(matches) == 1 else None


def _quoted(names: Iterable[str], conjunction: str = "and") -> str:
    shown = [f"“{name}”" for name in names]
    if len(shown) < 2:
        return "".join(shown) or "none"
    return f"{', '.join(shown[:-1])} {conjunction} {shown[-1]}"


def _show(value: str) -> str:
    """A value quoted in a message, cut short: a runaway cell should not fill the report."""
    if len(value) > SHOWN_CHARACTERS:
        value = value[: SHOWN_CHARACTERS - 1] + "…"
    return f"“{value}”"
