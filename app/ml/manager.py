"""`ModelManager`: the process-wide classifier (model set or keyword fallback), swappable at runtime."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.domain.models import Article, ArticleAnalysis, ModelInfo
from app.errors import BadRequest, NotFound, UpstreamUnavailable
from app.ml.fallback import KeywordClassifier
from app.ml.registry import ModelLoadError, ModelSetInfo, inspect_model_set, list_model_sets, valid_name
from app.ml.worker import InferenceWorker, Predictor
from app.services.ports import Classified

if TYPE_CHECKING:
    from app.ml.device import DeviceChoice
    from app.ml.engine import InferenceEngine
    from app.settings import MLSettings

log = logging.getLogger(__name__)
_MERGE_FACTOR = 4  # the worker merges up to batch_size × this many queued texts into one call


@dataclass(frozen=True)
class _Active:
    predictor: Predictor
    info: ModelInfo
    fingerprint: str
    engine: InferenceEngine | None = None


def _fallback(reason: str) -> _Active:
    keyword = KeywordClassifier(reason=reason)
    return _Active(keyword, keyword.info(), keyword.fingerprint)


class ModelManager:
    """Implements the `Classifier` port; owns the inference thread and the active model set."""

    def __init__(self, settings: MLSettings, *, gather_seconds: float = 0.002):
        self.settings = settings
        self._active = _fallback("models not loaded yet")
        self._swap_lock = threading.Lock()
        self._device: DeviceChoice | None = None
        self._worker = InferenceWorker(max_batch=settings.batch_size * _MERGE_FACTOR,
                                       gather_seconds=gather_seconds, nice=settings.inference_nice)

    # -- lifecycle -------------------------------------------------------------------------------

    def load(self) -> ModelInfo:
        """Load `MODEL_NAME`, or fall back to keyword rules with one clear log line; never raises."""
        name = self.settings.model_name
        with self._swap_lock:
            try:
                engine = self._build(name)
            except ModelLoadError as exc:
                reason = f"model set '{name}' not usable ({exc.reason})"
                log.warning("%s; using keyword fallback", reason)
                self._active = _fallback(reason)
            else:
                self._active = self._wrap(engine)
                log.info("model set '%s' loaded on %s (quantize=%s, shared tokenizer=%s)", name,
                         engine.device, engine.models.quantize, engine.models.shared_tokenizer)
        return self.info()

    def warmup(self) -> None:
        """Run one tiny batch on the inference thread."""
        active = self._active
        if active.engine is not None:
            from app.ml.engine import InferenceEngine

            self._worker.run_sync(active.engine, list(InferenceEngine.WARMUP_TEXTS))

    def close(self) -> None:
        """Stop the inference thread (queued requests fail with WorkerClosed)."""
        self._worker.close()

    # -- Classifier port -------------------------------------------------------------------------

    def info(self) -> ModelInfo:
        """Active model set, device, and why the fallback is used (if it is)."""
        return self._active.info

    @property
    def fingerprint(self) -> str:
        """Identity of the active classifier's exact weights (for article-level result caching)."""
        return self._active.fingerprint

    async def classify(self, articles: Sequence[Article]) -> Classified:
        """One analysis per article, in input order, computed on the inference thread, with the set used.

        The set is read once: a swap while the batch runs changes the next call, never this one's answer
        or what it says produced it.
        """
        active = self._active
        texts = [a.text for a in articles]
        try:
            results = await self._worker.run(active.predictor, texts)
        except Exception as exc:
            if active.engine is None or not active.engine.device.startswith("cuda"):
                raise UpstreamUnavailable(f"model inference failed ({type(exc).__name__})") from exc
            active = await asyncio.to_thread(self._recover_on_cpu, active, exc)
            results = await self._worker.run(active.predictor, texts)
        return Classified(active.info, active.fingerprint, results)

    def classify_texts(self, texts: Sequence[str]) -> list[ArticleAnalysis]:
        """Blocking form for CLI/evaluation code that has no event loop (never call it from one)."""
        return self._worker.run_sync(self._active.predictor, texts)

    # -- model sets ------------------------------------------------------------------------------

    @property
    def models_dir(self) -> Path:
        """Where model sets are looked for (MODELS_DIR)."""
        return self.settings.models_dir

    def available(self) -> list[ModelSetInfo]:
        """Model sets under MODELS_DIR, the active one marked."""
        sets = list_model_sets(self.settings.models_dir)
        active = self._active.engine.name if self._active.engine is not None else None
        for item in sets:
            item.active = item.name == active
        return sets

    def activate(self, name: str) -> ModelInfo:
        """Load `name` fully, warm it up, then swap; NotFound / BadRequest leave the old set active."""
        if not valid_name(name):
            raise BadRequest(f"'{name}' is not a valid model set name")
        found = inspect_model_set(self.settings.models_dir, name)
        if not (found.category.exists or found.sentiment.exists):
            raise NotFound(f"model set '{name}' not found under {self.settings.models_dir}")
        if not found.loadable:
            raise BadRequest(f"model set '{name}' is not usable: {found.problem}")
        with self._swap_lock:
            try:
                engine = self._build(name)
                engine.warmup()  # not shared yet, so it may run on this thread
            except ModelLoadError as exc:
                raise BadRequest(f"model set '{name}' could not be loaded: {exc.reason}") from exc
            except Exception as exc:
                raise BadRequest(f"model set '{name}' failed its warm-up run ({type(exc).__name__})") from exc
            self._active = self._wrap(engine)  # one reference swap; queued requests keep the old engine
        log.info("activated model set '%s' on %s", name, engine.device)
        return self.info()

    async def activate_async(self, name: str) -> ModelInfo:
        """`activate` off the event loop (loading takes seconds)."""
        return await asyncio.to_thread(self.activate, name)

    # -- internals -------------------------------------------------------------------------------

    def _wrap(self, engine: InferenceEngine) -> _Active:
        info = ModelInfo(model_name=engine.name, device=engine.device, ml_service_status="local_model")
        return _Active(engine, info, engine.fingerprint, engine)

    def _resolve_device(self) -> DeviceChoice:
        if self._device is None:
            from app.ml.device import configure_threads, resolve_device

            self._device = resolve_device(self.settings.device)
            if not self._device.is_cuda:
                threads = configure_threads(self.settings.torch_threads)
                log.info("torch uses %d CPU threads", threads)
        return self._device

    def _build(self, name: str) -> InferenceEngine:
        from app.ml.loader import load_model_set

        device = self._resolve_device()
        try:
            models = load_model_set(self.settings.models_dir, name, device, self.settings.quantize,
                                    pack_weights=self.settings.pack_weights)
        except ModelLoadError as exc:
            if not device.is_cuda or not exc.device_related:
                raise
            log.warning("loading '%s' on %s failed (%s); falling back to cpu",
                        name, device.device, exc.reason)
            self._device = self._cpu(device, exc.reason)
            models = load_model_set(self.settings.models_dir, name, self._device, self.settings.quantize,
                                    pack_weights=self.settings.pack_weights)
        from app.ml.engine import InferenceEngine

        return InferenceEngine(
            models, batch_size=self.settings.batch_size, max_length=self.settings.max_length
        )

    def _cpu(self, previous: DeviceChoice, why: str) -> DeviceChoice:
        from app.ml.device import DeviceChoice, configure_threads

        configure_threads(self.settings.torch_threads)
        return DeviceChoice("cpu", previous.requested, f"CUDA failed: {why}")

    def _recover_on_cpu(self, failed: _Active, exc: Exception) -> _Active:
        with self._swap_lock:
            if self._active is failed and failed.engine is not None:
                log.warning("inference on %s failed (%s: %s); reloading '%s' on cpu", failed.engine.device,
                            type(exc).__name__, exc, failed.engine.name)
                self._device = self._cpu(failed.engine.models.device, str(exc))
                try:
                    self._active = self._wrap(self._build(failed.engine.name))
                except ModelLoadError as err:
                    name = failed.engine.name
                    self._active = _fallback(f"model set '{name}' not usable on cpu ({err.reason})")
            return self._active
