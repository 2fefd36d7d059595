"""A process follows the model set recorded in Redis (fakeredis + tiny real model sets)."""

from __future__ import annotations

import logging
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fakeredis import FakeServer
from fakeredis.aioredis import FakeRedis

from app.adapters.keyspace import Keyspace
from app.adapters.model_choice import ModelChoice
from app.domain.models import ModelInfo
from app.errors import UpstreamUnavailable
from app.ml.manager import ModelManager
from app.services.model_selection import ModelSelection
from app.settings import MLSettings
from tests.ml_fixtures import shared_models_dir

PREFIX = "ms-test"


@dataclass
class Env:
    manager: ModelManager
    selection: ModelSelection
    choice: ModelChoice
    server: FakeServer
    activations: list[str]


@pytest.fixture
def models_dir(tmp_path: Path) -> Path:
    """`tiny` (MODEL_NAME) and `alt` from the shared sets, plus `broken` (a sentiment config that is not JSON)."""
    shared = shared_models_dir()
    for name, copy_as in (("tiny", "tiny"), ("alt", "alt"), ("tiny", "broken")):
        for task in ("category", "sentiment"):
            shutil.copytree(shared / f"{name}_{task}", tmp_path / f"{copy_as}_{task}")
    (tmp_path / "broken_sentiment" / "config.json").write_text("{not json")
    return tmp_path


def make_env(models_dir: Path, *, embedded: bool = False) -> Env:
    manager = ModelManager(MLSettings(models_dir=models_dir, model_name="tiny", device="cpu"))
    activations: list[str] = []
    activate = manager.activate_async

    async def counting(name: str) -> ModelInfo:
        activations.append(name)
        return await activate(name)

    manager.activate_async = counting  # type: ignore[method-assign]
    server = FakeServer()
    choice = ModelChoice(FakeRedis(server=server), Keyspace(PREFIX))
    selection = ModelSelection(manager, choice, default_name="tiny", embedded=embedded)
    return Env(manager, selection, choice, server, activations)


@pytest.fixture
async def env(models_dir: Path) -> AsyncIterator[Env]:
    env = make_env(models_dir)
    yield env
    env.manager.close()


async def test_the_choice_lives_under_the_service_prefix_without_a_ttl(env: Env) -> None:
    await env.choice.put("alt")
    redis = FakeRedis(server=env.server)
    assert await redis.get(f"{PREFIX}:v1:ml:active_model") == b"alt"
    assert await redis.ttl(f"{PREFIX}:v1:ml:active_model") == -1  # store of record


async def test_a_recorded_set_that_differs_is_activated_and_the_same_one_is_not_reloaded(env: Env) -> None:
    assert (await env.selection.start()).model_name == "tiny"
    assert await env.selection.follow() == env.manager.info()  # nothing recorded: nothing to do
    before = env.manager.fingerprint

    await env.choice.put("alt")
    info = await env.selection.follow()
    assert info.model_name == "alt" and env.manager.info().model_name == "alt"
    assert env.manager.fingerprint != before
    assert env.activations == ["alt"]

    after = env.manager.fingerprint
    for _ in range(3):
        assert (await env.selection.follow()).model_name == "alt"
    assert env.activations == ["alt"]  # the same name: one GET each, no reload
    assert env.manager.fingerprint == after


async def test_start_loads_the_recorded_set_instead_of_model_name(env: Env) -> None:
    await env.choice.put("alt")
    loads: list[None] = []
    env.manager.load = lambda: loads.append(None) or env.manager.info()  # type: ignore[method-assign]
    assert (await env.selection.start()).model_name == "alt"
    assert env.manager.info().ml_service_status == "local_model"
    assert loads == [] and env.activations == ["alt"]  # MODEL_NAME was never loaded first


async def test_start_falls_back_to_model_name_when_the_recorded_set_is_unusable(env: Env, caplog) -> None:
    await env.choice.put("missing")
    with caplog.at_level(logging.WARNING, logger="app.services.model_selection"):
        assert (await env.selection.start()).model_name == "tiny"
    assert "model set 'missing' was activated for this deployment but cannot be loaded here" in caplog.text
    assert "loading 'tiny' (MODEL_NAME)" in caplog.text
    await env.selection.follow()
    assert env.activations == ["missing"]  # not retried on the next task


async def test_a_redis_error_keeps_the_current_set_and_warns_once(env: Env, caplog) -> None:
    await env.selection.start()
    await env.choice.put("alt")
    env.server.connected = False
    with caplog.at_level(logging.WARNING, logger="app.services.model_selection"):
        for _ in range(3):
            assert (await env.selection.follow()).model_name == "tiny"
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "cannot be read (Redis is unavailable" in warnings[0].getMessage()
    assert env.activations == []

    env.server.connected = True  # Redis is back: the next task follows
    assert (await env.selection.follow()).model_name == "alt"


@pytest.mark.parametrize(
    ("name", "why"),
    [("missing", "'missing' not found"), ("broken", r"broken_sentiment: config.json is not valid JSON")],
)
async def test_an_unknown_or_broken_recorded_set_keeps_the_current_one_with_a_warning(
    env: Env, caplog, name: str, why: str
) -> None:
    await env.selection.start()
    fingerprint = env.manager.fingerprint
    await env.choice.put(name)
    with caplog.at_level(logging.WARNING, logger="app.services.model_selection"):
        for _ in range(3):
            info = await env.selection.follow()
            assert info.model_name == "tiny" and info.ml_service_status == "local_model"
    assert env.manager.fingerprint == fingerprint
    [warning] = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert f"model set '{name}' was activated for this deployment but cannot be loaded here" in warning
    assert why in warning and "keeping 'tiny'" in warning
    assert env.activations == [name]  # tried once, not on every task

    await env.choice.put("alt")  # a new choice is tried (and works)
    assert (await env.selection.follow()).model_name == "alt"


async def test_activation_records_the_set_for_the_workers(env: Env) -> None:
    await env.selection.start()
    assert (await env.selection.activate("alt")).model_name == "alt"
    assert await env.choice.get() == "alt"


async def test_embedded_mode_neither_records_nor_reads_the_choice(models_dir: Path) -> None:
    env = make_env(models_dir, embedded=True)
    try:
        await env.choice.put("alt")  # a stray key is ignored: embedded mode is one process
        assert (await env.selection.start()).model_name == "tiny"
        assert (await env.selection.follow()).model_name == "tiny"
        await env.choice.put("tiny")
        assert (await env.selection.activate("alt")).model_name == "alt"
        assert await env.choice.get() == "tiny"
    finally:
        env.manager.close()


async def test_an_activation_that_cannot_be_recorded_is_a_503_that_says_so(env: Env) -> None:
    await env.selection.start()
    env.server.connected = False
    with pytest.raises(UpstreamUnavailable, match="'alt' is active in this API process but could not be recorded"):
        await env.selection.activate("alt")
