import json
import uuid

from skyfeed._http import HttpSession
from skyfeed.errors import FeedError


class StationFeed:
    base_url = "https://feed.example.org"
    """The service every request goes to."""
    default_station = "EGLL"
    """ICAO code used when a caller names no station."""
    retries = 3
    supports_stream = True

    @classmethod
    async def readings(cls, station: str, *, units: str = "metric", timeout: float = 10.0):
        """Stream live readings for one weather station."""
        # Open a subscription
        session_hash = uuid.uuid4().hex[:12]
        headers = {"accept": "application/json", "x-session": session_hash}
        payload = {"station": station, "units": units, "session_hash": session_hash}
        async with HttpSession(timeout=timeout) as session:
            subscribe_url = f"{cls.base_url}/subscribe"
            async with session.post(subscribe_url, headers=headers, json=payload) as resp:
                if resp.status != 200:
                    raise FeedError(f"subscription refused: {resp.status}")
                stream_id = (await resp.json())["stream_id"]

            # Read the event stream
            async with session.get(f"{cls.base_url}/stream/{stream_id}") as resp:
                async for raw in resp.content:
                    line = raw.decode("utf-8")
                    if not line.startswith("data: "):
                        continue
                    try:
                        event = json.loads(line[6:])
                    except json.JSONDecodeError:
                        continue
                    if event.get("type") == "reading":
                        yield event["value"]
                    elif event.get("type") == "closed":
                        break

    def url_for(self, station: str) -> str:
        """Build the page URL of one station."""
        return f"{self.base_url}/stations/{station}"
