"""Which public queries may run in the server process: those a worker has already answered cheaply.

Handing a query to a worker process costs the server a pickle, a pipe round trip and two process
wake-ups, more than most lookups cost to evaluate. But nothing running in the server process can
be stopped, so a query runs there only once it is proven cheap: a worker answered the same job
(text, dataset, format) within INLINE_SECONDS, in one piece of at most INLINE_MAX_BYTES. A
runaway query is never proven cheap, since it never finishes in a worker. Evaluations are timed by
the wall clock, never less than the CPU time they took: on a busy machine a query only looks
dearer, which keeps it in a worker (the thread's CPU clock, a system call, cost the running server
60 µs a query, more than the cheapest lookups).
Under load, a proven query dearer than the hand-off itself (HANDOFF_SECONDS) still goes to a
worker, so the HTTP process keeps its CPU for HTTP and the queries spread over the cores
(EmbeddedStore.run tells load by whether other requests arrive while it yields once).

The store never changes while it is served, so the same job costs the same again, except when
evaluation depends on chance or the clock (RAND, NOW, UUID ...), leaves this machine (SERVICE),
or stops early (LIMIT, OFFSET, ASK, EXISTS) in rows that may come in hash order, which can differ
between processes (after GROUP BY, an aggregate, DISTINCT, a sub-select or a path closure): those
always go to a worker. So does a query longer than INLINE_MAX_CHARS, which bounds how deep the
engine's parser can recurse on the server's (deeper) stack.
"""

from __future__ import annotations

import re
from collections import OrderedDict

from mgkg.store.workers import Job

#: A proven-cheap query holds the event loop this long at most.
INLINE_SECONDS = 0.002
#: A proven job goes back to the workers once it takes this long: a query preempted on a busy machine
#: takes longer by the wall clock without costing more, while a job that really got dearer is far past it.
DEMOTE_SECONDS = 4 * INLINE_SECONDS
#: About what handing a query to a worker costs in CPU, the server's and the worker's together (pickles,
#: pipe, wake-ups; measured by bench/profile_requests.py at c=8): dearer queries are worth handing off.
HANDOFF_SECONDS = 0.0005
INLINE_MAX_BYTES = 256 * 1024
#: 2,048 characters nest at most ~1,000 brackets; the engine's parser overflows past ~3,000.
INLINE_MAX_CHARS = 2048
#: Jobs remembered, least recently used first out.
CAPACITY = 4096

# Read in upper case, anywhere in the text (strings and IRIs too): a false alarm only costs speed.
_CHANCE_CLOCK_OR_REMOTE = re.compile(r"\b(?:RAND|NOW|UUID|STRUUID|BNODE|SERVICE)\b")
_STOPS_EARLY = re.compile(r"\b(?:LIMIT|OFFSET|ASK|EXISTS)\b")
#: Words (or a path closure: `+` or `*` right after an IRI, a name or a bracket) whose rows may come in hash order.
_HASH_ORDER = re.compile(r"\b(?:GROUP|COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT|DISTINCT|REDUCED)\b|[\w>)][+*]")
_SELECT = re.compile(r"\bSELECT\b")


def repeatable(sparql: str) -> bool:
    """Whether evaluating `sparql` again on the same store is sure to cost what it cost before."""
    if len(sparql) > INLINE_MAX_CHARS:
        return False
    text = sparql.upper()
    if _CHANCE_CLOCK_OR_REMOTE.search(text):
        return False
    return not (_STOPS_EARLY.search(text) and (_HASH_ORDER.search(text) or len(_SELECT.findall(text)) > 1))


class CheapQueries:
    """The jobs proven cheap so far, from what their evaluations cost (in a worker or here).

    A job is proven once an evaluation was cheap and its text `repeatable`. The text is read the first
    time the job comes again, not when it is first measured: most new queries never come again, and
    reading one costs the server more than a cheap evaluation's bookkeeping."""

    def __init__(self, capacity: int = CAPACITY) -> None:
        self.capacity = capacity
        #: job -> (seconds it took when last evaluated, whether its text has been found repeatable)
        self._measured: OrderedDict[Job, tuple[float, bool]] = OrderedDict()

    def cost(self, job: Job) -> float | None:
        """The seconds `job` took when last evaluated, if it is proven cheap; else None."""
        entry = self._measured.get(job)
        if entry is None:
            return None
        seconds, read = entry
        if not read:
            if not repeatable(job.sparql):
                del self._measured[job]
                return None
            self._measured[job] = (seconds, True)
        self._measured.move_to_end(job)
        return seconds

    def record(self, job: Job, seconds: float, answer_bytes: int) -> None:
        """Note what one evaluation of `job` cost: it is proven cheap from now on (once its text is read), or
        no longer."""
        entry = self._measured.get(job)
        proven = entry is not None and entry[1]
        if seconds > (DEMOTE_SECONDS if proven else INLINE_SECONDS) or answer_bytes > INLINE_MAX_BYTES:
            self._measured.pop(job, None)
            return
        self._measured[job] = (seconds, proven)
        self._measured.move_to_end(job)
        if len(self._measured) > self.capacity:
            self._measured.popitem(last=False)
