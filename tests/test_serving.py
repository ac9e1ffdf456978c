"""How the app is served (web/serving.py): a response's head goes out with its body, a long write is not held."""

from __future__ import annotations

import asyncio
import socket

import httpx

from conftest import live_server
from mgkg.web.app import create_app
from mgkg.web.serving import COALESCE_BYTES, CoalescingTransport

JSON = "application/sparql-results+json"


class RecordingTransport:
    """Stands in for the socket's transport: remembers each write, as a system call would carry it."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        self.writes.append(data)

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def get_extra_info(self, name: str) -> str:
        return f"info {name}"


def test_a_head_goes_out_with_its_body_at_once() -> None:
    async def respond() -> RecordingTransport:
        inner = RecordingTransport()
        transport = CoalescingTransport(inner)  # type: ignore[arg-type]
        transport.write(b"HTTP/1.1 200 OK\r\n\r\n")
        assert inner.writes == []  # held: its body may follow
        transport.write(b"body")
        assert inner.writes == [b"HTTP/1.1 200 OK\r\n\r\nbody"]  # sent with it, without waiting for the loop
        return inner

    assert asyncio.run(respond()).writes == [b"HTTP/1.1 200 OK\r\n\r\nbody"]


def test_a_lone_write_goes_out_at_the_loops_next_turn() -> None:
    async def head_only() -> RecordingTransport:
        inner = RecordingTransport()
        transport = CoalescingTransport(inner)  # type: ignore[arg-type]
        transport.write(b"HTTP/1.1 304 Not Modified\r\n\r\n")
        assert inner.writes == []
        await asyncio.sleep(0)
        assert inner.writes == [b"HTTP/1.1 304 Not Modified\r\n\r\n"]
        transport.write(b"next")  # held again, on its own
        await asyncio.sleep(0)
        return inner

    assert asyncio.run(head_only()).writes == [b"HTTP/1.1 304 Not Modified\r\n\r\n", b"next"]


def test_a_large_write_is_not_held_and_close_sends_what_is_pending() -> None:
    async def stream() -> RecordingTransport:
        inner = RecordingTransport()
        transport = CoalescingTransport(inner)  # type: ignore[arg-type]
        transport.write(b"x" * COALESCE_BYTES)
        assert inner.writes == [b"x" * COALESCE_BYTES]
        transport.write(b"last")
        transport.close()
        assert inner.writes[-1] == b"last" and inner.closed
        assert transport.get_extra_info("peername") == "info peername"  # the rest is the transport's
        return inner

    assert len(asyncio.run(stream()).writes) == 2


def test_keep_alive_answers_arrive_whole_one_after_another(settings, graph_store) -> None:
    with live_server(create_app(settings, store=graph_store)) as url, httpx.Client(base_url=url) as client:
        for _ in range(3):
            response = client.get("/sparql", params={"query": "ASK {}"}, headers={"accept": JSON})
            assert response.status_code == 200 and response.json()["boolean"] is True
        host, port = url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as sock:
            sock.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            answer = b""
            while chunk := sock.recv(65_536):
                answer += chunk
        assert answer.startswith(b"HTTP/1.1 200 ") and answer.endswith(b'"boolean":true}')
