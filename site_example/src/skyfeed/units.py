"""Unit conversions and parsing helpers."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from skyfeed.models import Reading

_LINE = re.compile(r"^(?P<station>[A-Z]{4})\s+(?P<value>-?\d+(\.\d+)?)(?P<unit>[CF])$")


def convert_temperature(value: float, from_unit: str = "C", to_unit: str = "F") -> float:
    """Convert a temperature between Celsius and Fahrenheit.

    Args:
        value: The temperature to convert.
        from_unit: `"C"` or `"F"`.
        to_unit: `"C"` or `"F"`.

    Returns:
        The converted temperature, rounded to one decimal.

    Raises:
        ValueError: When a unit is neither `"C"` nor `"F"`.

    Examples:
        >>> from skyfeed import convert_temperature
        >>> convert_temperature(100, "C", "F")
        212.0
    """
    for unit in (from_unit, to_unit):
        if unit not in ("C", "F"):
            raise ValueError(f"unknown unit {unit!r}")
    if from_unit == to_unit:
        return round(value, 1)
    if from_unit == "C":
        return round(value * 9 / 5 + 32, 1)
    return round((value - 32) * 5 / 9, 1)


def parse_reading(line: str) -> Reading:
    match = _LINE.match(line.strip())
    if match is None:
        raise ValueError(f"not a reading: {line!r}")
    return Reading(match["station"], float(match["value"]), match["unit"])


def iter_batches(items: Iterable[Reading], size: int) -> Iterator[list[Reading]]:
    batch: list[Reading] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
