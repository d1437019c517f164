import asyncio
import json
import uuid
from urllib.parse import urlencode

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
        ticket = uuid.uuid4().hex[:12]
        headers = {"accept": "application/json", "x-ticket": ticket}
        query = urlencode({"station": station, "units": units})
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection("feed.example.org", 443, ssl=True), timeout
        )
        request = f"GET /stream?{query} HTTP/1.1\r\nHost: feed.example.org\r\n"
        for name, value in headers.items():
            request += f"{name}: {value}\r\n"
        writer.write(request.encode("ascii") + b"\r\n")
        await writer.drain()

        # Read the event stream
        try:
            async for raw in reader:
                line = raw.decode("utf-8")
                if not line.startswith("data: "):
                    continue
                try:
                    event = json.loads(line[6:])
                except json.JSONDecodeError:
                    continue
                if event.get("type") == "reading":
                    yield event["value"]
                elif event.get("type") == "error":
                    raise FeedError(f"feed closed the stream: {event['message']}")
                elif event.get("type") == "closed":
                    break
        finally:
            writer.close()

    def url_for(self, station: str) -> str:
        return f"{self.base_url}/stations/{station}"
