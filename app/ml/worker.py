"""The single inference thread: callers enqueue texts; queued requests are merged into shared batches.

The thread takes the oldest request, then keeps collecting whatever else arrives within
`gather_seconds` (or until `max_batch` texts are waiting), runs each predictor's share as one call,
and resolves every caller's future with its own slice, in order. Each request carries the predictor
it was submitted with, so a model swap never changes the model of a request already queued.
"""

from __future__ import annotations

import asyncio
import logging
import os
import queue
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Protocol

from app.domain.models import ArticleAnalysis
from app.metrics import CLASSIFIED, INFERENCE_BATCH, INFERENCE_LATENCY
from app.ml.fallback import KeywordClassifier

log = logging.getLogger(__name__)


class Predictor(Protocol):
    """Anything that turns texts into analyses synchronously (InferenceEngine, KeywordClassifier)."""

    def predict(self, texts: Sequence[str]) -> list[ArticleAnalysis]:
        """One analysis per text, in input order."""
        ...


class WorkerClosed(RuntimeError):
    """The inference thread has been stopped."""


@dataclass
class _Job:
    predictor: Predictor
    texts: list[str]
    future: Future[list[ArticleAnalysis]]


_STOP = object()


class InferenceWorker:
    """One daemon thread that owns all model calls (micro-batching across concurrent callers)."""

    def __init__(
        self, *, max_batch: int = 128, gather_seconds: float = 0.002, name: str = "ml-inference",
        nice: int = 0,
    ):
        self.max_batch = max_batch
        self.nice = nice
        self.gather_seconds = gather_seconds
        self._name = name
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self._closed = False
        self.batches_run = 0  # predictor calls made; lets tests and metrics see merging happen

    def submit(self, predictor: Predictor, texts: Sequence[str]) -> Future[list[ArticleAnalysis]]:
        """Queue texts for `predictor`; the future resolves to their analyses in order."""
        future: Future[list[ArticleAnalysis]] = Future()
        if not texts:
            future.set_result([])
            return future
        if self._closed:
            raise WorkerClosed("the inference worker is closed")
        self._ensure_started()
        self._queue.put(_Job(predictor, list(texts), future))
        return future

    async def run(self, predictor: Predictor, texts: Sequence[str]) -> list[ArticleAnalysis]:
        """Await the analyses without blocking the event loop."""
        return await asyncio.wrap_future(self.submit(predictor, texts))

    def run_sync(self, predictor: Predictor, texts: Sequence[str], timeout: float | None = None
                 ) -> list[ArticleAnalysis]:
        """Blocking form for threads that are not an event loop (CLI, warmup, evaluation)."""
        return self.submit(predictor, texts).result(timeout)

    def close(self, timeout: float = 10.0) -> None:
        """Finish the batch in progress, fail whatever is still queued, and stop the thread."""
        with self._start_lock:
            self._closed = True
            thread = self._thread
        if thread is not None:
            self._queue.put(_STOP)
            thread.join(timeout)
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if isinstance(item, _Job) and item.future.set_running_or_notify_cancel():
                item.future.set_exception(WorkerClosed("the inference worker was closed"))

    def _ensure_started(self) -> None:
        with self._start_lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name=self._name, daemon=True)
                self._thread.start()

    def _loop(self) -> None:
        _lower_priority(self.nice)
        stop = False
        while not stop:
            first = self._queue.get()
            if first is _STOP:
                return
            assert isinstance(first, _Job)
            jobs, waiting = [first], len(first.texts)
            deadline = time.monotonic() + self.gather_seconds
            while waiting < self.max_batch:
                remaining = deadline - time.monotonic()
                try:
                    item = self._queue.get(timeout=remaining) if remaining > 0 else self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is _STOP:
                    stop = True
                    break
                assert isinstance(item, _Job)
                jobs.append(item)
                waiting += len(item.texts)
            self._execute(jobs)

    def _execute(self, jobs: list[_Job]) -> None:
        groups: dict[int, tuple[Predictor, list[_Job]]] = {}
        for job in jobs:
            if job.future.set_running_or_notify_cancel():  # skip callers that gave up
                groups.setdefault(id(job.predictor), (job.predictor, []))[1].append(job)
        for predictor, group in groups.values():
            texts = [t for job in group for t in job.texts]
            self.batches_run += 1
            kind = _kind(predictor)
            INFERENCE_BATCH.labels(kind).observe(len(texts))
            started = time.perf_counter()
            try:
                results = predictor.predict(texts)
                if len(results) != len(texts):
                    raise RuntimeError(f"predictor returned {len(results)} results for {len(texts)} texts")
            except Exception as exc:
                log.warning("inference batch of %d texts failed: %s: %s", len(texts), type(exc).__name__, exc)
                CLASSIFIED.labels("failed").inc(len(texts))
                for job in group:
                    job.future.set_exception(exc)
                continue
            finally:
                INFERENCE_LATENCY.labels(kind).observe(time.perf_counter() - started)
            CLASSIFIED.labels("ok").inc(len(texts))
            pos = 0
            for job in group:
                job.future.set_result(results[pos : pos + len(job.texts)])
                pos += len(job.texts)


def _lower_priority(nice: int) -> None:
    """Lower the calling thread's CPU priority by `nice` (Linux: per thread; inherited by threads it starts).

    torch's intra-op (OpenMP) threads are started by the first thread that runs a parallel operator and
    inherit that thread's priority, so the inference thread and every thread it computes with yield the
    cores to the event loop: a cache hit is not queued behind a forward pass on a busy host.
    """
    if nice <= 0:
        return
    try:
        tid = threading.get_native_id()
        current = os.getpriority(os.PRIO_PROCESS, tid)
        os.setpriority(os.PRIO_PROCESS, tid, min(19, current + nice))
    except (AttributeError, OSError) as exc:  # not Linux, or a sandbox that forbids it: run as is
        log.info("could not lower the inference thread's priority: %s", exc)


def _kind(predictor: Predictor) -> str:
    # The metric label: the transformer engine or the keyword rules (bounded set, not the model name).
    return "keyword" if isinstance(predictor, KeywordClassifier) else "model"
