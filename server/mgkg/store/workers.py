"""Evaluating public queries in worker processes, so a runaway query can be stopped.

pyoxigraph cannot cancel a running query from Python, and a pathological query can crash its
parser. So queries run in worker processes forked once the store is loaded (an in-memory store
is shared copy-on-write; an on-disk one is reopened read-only by each worker). A worker that
overruns the timeout is killed and replaced; one that dies costs one query, never the server.

Worker → server messages, over a pipe: ("chunk", bytes)* then ("end", bytes, seconds the
evaluation took) or ("error", error class name, message). Results are serialised by pyoxigraph's native writers
straight into chunks: an answer up to FIRST_CHUNK_BYTES travels whole (so its errors still get
a proper status), a larger one streams in CHUNK_BYTES pieces (an error then cuts the stream).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from mgkg.errors import (
    MgkgError,
    QueryCrashedError,
    QuerySyntaxError,
    QueryTimeoutError,
    ResultTooLargeError,
    StoreError,
)
from mgkg.formats import GRAPH_FORMATS, SOLUTION_FORMATS, format_by_name
from mgkg.store import engine
from mgkg.store.base import Dataset, OneChunk

FIRST_CHUNK_BYTES = 1024 * 1024
CHUNK_BYTES = 64 * 1024
_ERRORS: dict[str, type[MgkgError]] = {
    cls.__name__: cls for cls in (QuerySyntaxError, ResultTooLargeError, StoreError, QueryCrashedError)
}
Message = tuple[Any, ...]
#: What evaluating may raise: ours, and pyoxigraph's own while the results are consumed.
_EVALUATION_ERRORS = (MgkgError, SyntaxError, OSError, ValueError, TypeError)


@dataclass(frozen=True)
class Job:
    """One public query, as sent to a worker."""

    sparql: str
    dataset: Dataset
    format_name: str
    is_graph: bool
    max_bytes: int
    base_iri: str | None = None


class _ChunkWriter:
    """The file pyoxigraph writes into: cuts the output into chunks and enforces the size limit."""

    def __init__(self, send: Callable[[Message], None], max_bytes: int) -> None:
        self.send, self.max_bytes = send, max_bytes
        self.buffer = bytearray()
        self.total = 0
        self.chunk_bytes = FIRST_CHUNK_BYTES

    def write(self, data: bytes) -> int:
        self.total += len(data)
        if self.total > self.max_bytes:
            raise _too_large(self.max_bytes)
        self.buffer += data
        if len(self.buffer) >= self.chunk_bytes:
            self.send(("chunk", bytes(self.buffer)))
            self.buffer.clear()
            self.chunk_bytes = CHUNK_BYTES
        return len(data)

    def flush(self) -> None:
        """pyoxigraph calls this when done; the unsent rest goes with the final message."""


def evaluate(oxigraph: ox.Store, job: Job, send: Callable[[Message], None]) -> None:
    """Run `job` on `oxigraph` and send its serialised answer (or its error) as messages."""
    writer = _ChunkWriter(send, job.max_bytes)
    started = time.perf_counter()
    try:
        _serialise(oxigraph, job, writer)
    except _EVALUATION_ERRORS as error:
        send(_error_message(error))
        return
    send(("end", bytes(writer.buffer), time.perf_counter() - started))


def evaluate_whole(oxigraph: ox.Store, job: Job) -> Message:
    """`evaluate` for an answer wanted in one piece (a proven-cheap job, in the server): its one message,
    serialised by pyoxigraph in one call instead of written through Python chunk by chunk."""
    started = time.perf_counter()
    try:
        body = _serialise(oxigraph, job, None)
        if len(body) > job.max_bytes:
            raise _too_large(job.max_bytes)
    except _EVALUATION_ERRORS as error:
        return _error_message(error)
    return ("end", body, time.perf_counter() - started)


def _serialise(oxigraph: ox.Store, job: Job, output: _ChunkWriter | None) -> bytes:
    """`job`'s answer written to `output`, or returned whole when there is none (then b"" is returned)."""
    result = engine.query(oxigraph, job.sparql, job.dataset, job.base_iri)
    if isinstance(result, ox.QueryTriples) != job.is_graph:
        raise QuerySyntaxError("the query form could not be recognised before evaluation")
    fmt = format_by_name(job.format_name, GRAPH_FORMATS if job.is_graph else SOLUTION_FORMATS)
    assert fmt is not None, job.format_name  # the protocol only sends formats it negotiated
    return fmt.write(result, output) or b""  # type: ignore[arg-type]


def _error_message(error: Exception) -> Message:
    name = type(error).__name__
    return ("error", name if name in _ERRORS else "StoreError", str(error))


def _too_large(max_bytes: int) -> ResultTooLargeError:
    return ResultTooLargeError(f"the answer is larger than {max_bytes} bytes, this service's limit; "
                               "add a LIMIT or narrow the query")


def replay(messages: list[Message]) -> AsyncIterator[bytes]:
    """The chunks of an answer evaluated in this process; its error, if any, is raised at once."""
    if len(messages) == 1:
        return OneChunk(_payload(messages[0]))
    return _replay(messages)


async def _replay(messages: list[Message]) -> AsyncIterator[bytes]:
    for message in messages:
        yield _payload(message)


def _payload(message: Message) -> bytes:
    if message[0] == "error":
        raise _ERRORS.get(message[1], StoreError)(message[2])
    return bytes(message[1])


def _worker_main(connection: Connection, oxigraph: ox.Store, database: Path | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    if database is not None:  # RocksDB handles must not cross a fork: reopen read-only
        oxigraph = engine.open_folder(database)
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        evaluate(oxigraph, job, connection.send)


def _settle(future: asyncio.Future[bool], value: bool) -> None:
    if not future.done():
        future.set_result(value)


@dataclass
class _Worker:
    process: BaseProcess
    connection: Connection


class WorkerPool:
    """`size` worker processes; each query borrows one for its whole evaluation and streaming.

    An in-memory `oxigraph` is shared copy-on-write; an on-disk one (its `database` folder given)
    is reopened read-only in each worker. `measured` hears what each one-piece answer cost: its
    job, the seconds it took and the bytes."""

    def __init__(self, oxigraph: ox.Store, database: Path | None, size: int,
                 measured: Callable[[Job, float, int], None] | None = None) -> None:
        self.oxigraph, self.database = oxigraph, database
        self._measured = measured
        self._context = multiprocessing.get_context("fork")
        self._idle: deque[_Worker] = deque()
        self._waiters: deque[asyncio.Future[_Worker]] = deque()
        self._workers: dict[int, _Worker] = {}
        for _ in range(size):
            self._idle.append(self._spawn())

    def _spawn(self) -> _Worker:
        ours, theirs = self._context.Pipe()
        process = self._context.Process(target=_worker_main, args=(theirs, self.oxigraph, self.database),
                                        daemon=True, name="mgkg-query")
        process.start()
        theirs.close()
        worker = _Worker(process, ours)
        self._workers[id(worker)] = worker
        return worker

    async def run(self, job: Job, timeout: float) -> AsyncIterator[bytes]:
        """Send `job` to a free worker; return its chunks once the first one (or an error) is in."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        worker = await self._acquire(deadline, timeout)
        try:
            worker.connection.send(job)
            first = await self._receive(worker, deadline, timeout)
        except BaseException:
            self._discard(worker)
            raise
        if first[0] == "chunk":
            return self._stream(worker, first, deadline, timeout)
        self._release(worker)
        if first[0] == "end" and self._measured is not None:
            self._measured(job, first[2], len(first[1]))
        return OneChunk(_payload(first))

    async def _stream(self, worker: _Worker, first: Message, deadline: float, timeout: float) -> AsyncIterator[bytes]:
        done = False
        try:
            message = first
            while message[0] == "chunk":
                yield message[1]
                message = await self._receive(worker, deadline, timeout)
            done = True
            yield _payload(message)
        finally:
            # A worker left mid-answer (client gone, timeout) still holds a half-sent result.
            self._release(worker) if done else self._discard(worker)

    async def _receive(self, worker: _Worker, deadline: float, timeout: float) -> Message:
        loop = asyncio.get_running_loop()
        ready: asyncio.Future[bool] = loop.create_future()
        fd = worker.connection.fileno()
        # One reader and one timer settle the same future (lighter than asyncio.wait_for).
        loop.add_reader(fd, _settle, ready, True)
        timer = loop.call_at(deadline, _settle, ready, False)
        try:
            in_time = await ready
        finally:
            loop.remove_reader(fd)
            timer.cancel()
        # uvloop's add_reader leaves the pipe non-blocking; recv() must wait for the rest of a message
        # larger than the pipe's buffer rather than fail half-way.
        os.set_blocking(fd, True)
        if not in_time:
            raise QueryTimeoutError(
                f"the query ran longer than {timeout:g} s, this service's time limit, and was stopped")
        try:
            message: Message = worker.connection.recv()
        except (EOFError, OSError):
            raise QueryCrashedError(
                "the query engine stopped while evaluating this query; it has been restarted"
            ) from None
        return message

    async def _acquire(self, deadline: float, timeout: float) -> _Worker:
        if self._idle:
            return self._idle.popleft()
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[_Worker] = loop.create_future()
        self._waiters.append(waiter)
        try:
            return await asyncio.wait_for(waiter, max(deadline - loop.time(), 0))
        except TimeoutError:
            raise QueryTimeoutError(
                f"every query worker stayed busy for {timeout:g} s, this service's time limit; try again later"
            ) from None

    def _release(self, worker: _Worker) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(worker)
                return
        self._idle.append(worker)

    def _discard(self, worker: _Worker) -> None:
        """Kill a worker that may still be busy, and put a fresh one in its place."""
        self._stop(worker)
        self._release(self._spawn())

    def _stop(self, worker: _Worker) -> None:
        self._workers.pop(id(worker), None)
        if worker.process.pid is not None and worker.process.is_alive():
            os.kill(worker.process.pid, signal.SIGKILL)
        worker.process.join(timeout=5)
        worker.connection.close()

    def close(self) -> None:
        """Stop every worker, busy or idle."""
        for worker in list(self._workers.values()):
            self._stop(worker)
        self._idle.clear()
