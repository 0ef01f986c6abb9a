"""A local HTTP server speaking Nominatim's /search API, for the online geocoder's tests.

It records what it was asked, with the User-Agent and the time each request arrived; a test
scripts the answers per query. It listens on 127.0.0.1 only.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

CONTACT = "analyst@example.org"
TOWN = {
    "place_id": 1234, "osm_type": "relation", "osm_id": 5678, "lat": "43.1112",
    "lon": "132.3502", "name": "Bolshoy Kamen", "display_name": "Bolshoy Kamen, Russia",
    "addresstype": "town", "boundingbox": ["43.08", "43.15", "132.30", "132.42"],
    "address": {"town": "Bolshoy Kamen", "country_code": "ru"},
}


@dataclass
class Answer:
    status: int = 200
    body: object = field(default_factory=list)  # JSON unless bytes
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Asked:
    query: str
    agent: str
    at: float


class FakeNominatim(ThreadingHTTPServer):
    """Answers each query with its scripted answers in turn (the last one again and again);
    an unscripted query gets an empty list, as Nominatim answers for an unknown name."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.script: dict[str, list[Answer]] = {}
        self.asked: list[Asked] = []
        self.release = threading.Event()  # ends delayed answers at shutdown

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"

    def queries(self) -> list[str]:
        return [a.query for a in self.asked]


class _Handler(BaseHTTPRequestHandler):
    server: FakeNominatim

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        url = urlparse(self.path)
        query = parse_qs(url.query).get("q", [""])[0]
        self.server.asked.append(Asked(query, self.headers.get("User-Agent", ""),
                                       time.monotonic()))
        answers = self.server.script.get(query) or [Answer()]
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if url.path != "/search":
            answer = Answer(404, b"<html><body>Not found</body></html>")
        if answer.delay:
            self.server.release.wait(answer.delay)
        data = answer.body if isinstance(answer.body, bytes) else json.dumps(answer.body).encode()
        self.send_response(answer.status)
        content_type = "application/json" if not isinstance(answer.body, bytes) else "text/html"
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.end_headers()
        with suppress(BrokenPipeError, ConnectionResetError):  # the client gave up waiting
            self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def running() -> Iterator[FakeNominatim]:
    srv = FakeNominatim()
    thread = threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.release.set()
        srv.shutdown()
        srv.server_close()
