"""Data models of the feed."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Reading:
    """One measurement from a weather station.

    Parameters
    ----------
    station : str
        ICAO code of the station, such as ``"EGLL"``.
    value : float
        The measured temperature.
    unit : str
        ``"C"`` or ``"F"``.
    tags : list of str
        Free-form labels attached by the station.
    """

    station: str
    value: float
    unit: str = "C"
    tags: list[str] = field(default_factory=list)

    def to_fahrenheit(self) -> Reading:
        """Return the same reading in degrees Fahrenheit.

        Returns
        -------
        Reading
            A new reading; this one is unchanged.
        """
        if self.unit == "F":
            return self
        converted = self.value * 9 / 5 + 32
        return Reading(self.station, round(converted, 1), "F", list(self.tags))
