"""skyfeed: a small client for a live weather-station feed.

Everything a user needs is importable from the package itself.
"""

from skyfeed._client import StationFeed
from skyfeed.errors import FeedError
from skyfeed.models import Reading
from skyfeed.session import FeedSession
from skyfeed.units import convert_temperature, iter_batches, parse_reading

__all__ = [
    "FeedError",
    "FeedSession",
    "Reading",
    "StationFeed",
    "convert_temperature",
    "iter_batches",
    "parse_reading",
]
