"""Which model set a process runs: `MODEL_NAME`, or the set last activated anywhere in the deployment."""

from __future__ import annotations

import asyncio
import logging

from pydantic import BaseModel

from app.domain.model_sets import ModelSetInfo
from app.domain.models import ModelInfo
from app.errors import UpstreamUnavailable
from app.services.ports import ModelChoiceStore, SwappableClassifier

log = logging.getLogger(__name__)


class ModelCatalog(BaseModel):
    """The model sets a deployment can run, and the one this process runs."""

    models_dir: str
    active: ModelInfo
    model_sets: list[ModelSetInfo]


class ModelSelection:
    """Loads, activates and follows the deployment's model set (Redis mode records it; embedded does not)."""

    def __init__(
        self, classifier: SwappableClassifier, choice: ModelChoiceStore, *, default_name: str, embedded: bool
    ):
        self._classifier = classifier
        self._choice = choice
        self._default = default_name
        self._shared = not embedded  # embedded mode is one process: nothing to share
        # Sets this process could not load: not retried on every task (loading takes seconds) until a swap
        # succeeds or the process restarts.
        self._failed: set[str] = set()
        self._warned_unavailable = False

    async def start(self) -> ModelInfo:
        """Load the recorded set when it differs from `MODEL_NAME`, else `MODEL_NAME`; never raises."""
        recorded = await self._recorded()
        if recorded is not None and recorded != self._default:
            info = await self._switch(recorded, instead=f"loading '{self._default}' (MODEL_NAME)")
            if info is not None:
                return info
        info = await asyncio.to_thread(self._classifier.load)
        if info.model_name != self._default:
            self._failed.add(self._default)  # load() already said why, once
        return info

    async def activate(self, name: str) -> ModelInfo:
        """Swap this process to `name`, then record it so the workers follow at their next task."""
        info = await self._classifier.activate_async(name)
        self._failed.clear()
        if self._shared:
            try:
                await self._choice.put(name)
            except UpstreamUnavailable as exc:
                # The swap is done here but nowhere else; a 503 says so (activating again is safe).
                raise UpstreamUnavailable(
                    f"model set '{name}' is active in this API process but could not be recorded for the "
                    f"workers ({exc.message}); activate it again",
                    retry_after=exc.retry_after,
                ) from exc
        return info

    def catalog(self) -> ModelCatalog:
        """Model sets under MODELS_DIR with their labels, the active one marked."""
        return ModelCatalog(
            models_dir=str(self._classifier.models_dir),
            active=self._classifier.info(),
            model_sets=list(self._classifier.available()),
        )

    async def follow(self) -> ModelInfo:
        """Swap to the recorded set when it names another one (one GET otherwise); never raises."""
        recorded = await self._recorded()
        current = self._classifier.info()
        if recorded is None or recorded == current.model_name or recorded in self._failed:
            return current
        return await self._switch(recorded, instead=f"keeping '{current.model_name}'") or current

    async def _recorded(self) -> str | None:
        if not self._shared:
            return None
        try:
            name = await self._choice.get()
        except UpstreamUnavailable as exc:
            # Once per outage: every task would repeat it while Redis is down.
            if not self._warned_unavailable:
                log.warning("the deployment's model set cannot be read (%s); this process keeps its own",
                            exc.message)
                self._warned_unavailable = True
            return None
        self._warned_unavailable = False
        return name

    async def _switch(self, name: str, *, instead: str) -> ModelInfo | None:
        current = self._classifier.info().model_name
        try:
            info = await self._classifier.activate_async(name)
        except Exception as exc:  # an unusable set must never fail the task that noticed it
            self._failed.add(name)
            detail = getattr(exc, "message", None) or type(exc).__name__
            log.warning("model set '%s' was activated for this deployment but cannot be loaded here (%s); %s",
                        name, detail, instead)
            return None
        self._failed.clear()
        log.info("following the deployment's model set '%s' (was '%s', MODEL_NAME '%s')", name, current,
                 self._default)
        return info
