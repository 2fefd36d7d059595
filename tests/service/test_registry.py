"""Model-set discovery, validation, fallback with reasons, and activation swaps (tiny real models)."""

from __future__ import annotations

import asyncio
import json
import logging
import shutil
import threading
from pathlib import Path

import pytest

from app.errors import BadRequest, NotFound
from app.ml.manager import ModelManager
from app.ml.registry import inspect_model_set, list_model_sets
from app.settings import MLSettings
from tests.ml_fixtures import article, build_model_set, shared_models_dir


@pytest.fixture(scope="module")
def models() -> Path:
    return shared_models_dir()


def _copy_set(src: Path, dst: Path, name: str, new_name: str) -> None:
    for task in ("category", "sentiment"):
        shutil.copytree(src / f"{name}_{task}", dst / f"{new_name}_{task}")


def _manager(models_dir: Path, name: str, **kwargs) -> ModelManager:
    return ModelManager(MLSettings(models_dir=models_dir, model_name=name, device="cpu", **kwargs))


def test_list_model_sets_reports_labels_sources_and_files(models: Path) -> None:
    sets = {s.name: s for s in list_model_sets(models)}
    assert {"tiny", "alt", "enc", "fin", "evid"} <= set(sets)
    tiny = sets["tiny"]
    assert tiny.loadable and tiny.problem is None
    assert tiny.category.labels == ["E", "S", "G", "기타"]
    assert tiny.category.label_source == "config.id2label"
    assert tiny.sentiment.labels == ["긍정", "중립", "부정"]
    assert "model.safetensors" in tiny.category.files and "config.json" in tiny.category.files
    assert tiny.category.size_bytes > 10_000
    assert not tiny.category.has_evidence and sets["evid"].category.has_evidence


def test_label_encoder_is_used_when_config_labels_are_generic(models: Path) -> None:
    enc = inspect_model_set(models, "enc")
    assert enc.loadable
    assert enc.category.label_source == "label_encoder.json"
    assert enc.category.labels == ["E", "S", "G", "기타"]  # "환경(E)", "social", "Governance", "others"
    assert enc.sentiment.labels == ["부정", "중립", "긍정"]  # {"classes": ["negative", "neutral", "positive"]}


def test_extra_labels_are_kept_and_reported(models: Path) -> None:
    fin = inspect_model_set(models, "fin")
    assert fin.loadable
    assert fin.category.labels == ["E", "S", "G", "기타", "FIN"]
    assert fin.category.extra_labels == ["FIN"]


def test_missing_models_dir_lists_nothing(tmp_path: Path) -> None:
    assert list_model_sets(tmp_path / "nope") == []


@pytest.fixture
def scratch(tmp_path: Path, models: Path) -> Path:
    _copy_set(models, tmp_path, "tiny", "good")
    return tmp_path


def test_problems_are_named_with_their_directory(scratch: Path, models: Path) -> None:
    _copy_set(models, scratch, "tiny", "noconfig")
    (scratch / "noconfig_category" / "config.json").unlink()
    _copy_set(models, scratch, "tiny", "corrupt")
    (scratch / "corrupt_sentiment" / "model.safetensors").write_bytes(b"\x00garbage" * 100)
    _copy_set(models, scratch, "tiny", "half")
    shutil.rmtree(scratch / "half_sentiment")
    _copy_set(models, scratch, "enc", "noenc")
    (scratch / "noenc_category" / "label_encoder.json").unlink()
    _copy_set(models, scratch, "enc", "badenc")
    (scratch / "badenc_category" / "label_encoder.json").write_text(json.dumps({"classes": ["E", "S"]}))
    _copy_set(models, scratch, "tiny", "mismatch")
    config_path = scratch / "mismatch_category" / "config.json"
    config = json.loads(config_path.read_text())
    config["id2label"] = {str(i): lab for i, lab in enumerate(["E", "S", "G", "기타", "FIN"])}
    config["label2id"] = {lab: i for i, lab in config["id2label"].items()}
    config_path.write_text(json.dumps(config))
    _copy_set(models, scratch, "tiny", "noweights")
    (scratch / "noweights_sentiment" / "model.safetensors").unlink()

    problems = {s.name: s.problem for s in list_model_sets(scratch)}
    assert problems["good"] is None
    assert problems["noconfig"] == f"{scratch}/noconfig_category: config.json missing"
    assert problems["corrupt"] is not None and "noconfig" not in problems["corrupt"]
    assert problems["corrupt"].startswith(f"{scratch}/corrupt_sentiment: model.safetensors is corrupt")
    assert problems["half"] == f"{scratch}/half_sentiment: directory missing"
    assert "label_encoder.json is missing" in (problems["noenc"] or "")
    assert "has 2 labels but the model has 4 outputs" in (problems["badenc"] or "")
    assert "config mismatch: 5 labels but the classifier has 4 outputs" in (problems["mismatch"] or "")
    assert "no weights" in (problems["noweights"] or "")


def test_missing_model_set_falls_back_with_one_clear_log_line(tmp_path: Path, caplog) -> None:
    manager = _manager(tmp_path, "demo")
    with caplog.at_level(logging.WARNING, logger="app.ml"):
        info = manager.load()
    manager.close()
    assert info.ml_service_status == "keyword_fallback"
    assert info.reason == f"model set 'demo' not usable ({tmp_path}/demo_category: directory missing)"
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert warnings == [f"{info.reason}; using keyword fallback"]


async def test_corrupt_weights_fall_back_with_reason_and_still_classify(scratch: Path, models: Path) -> None:
    _copy_set(models, scratch, "tiny", "broken")
    (scratch / "broken_category" / "model.safetensors").write_bytes(b"not a safetensors file at all" * 50)
    manager = _manager(scratch, "broken")
    info = manager.load()
    assert info.ml_service_status == "keyword_fallback"
    assert info.reason is not None and "broken_category: model.safetensors is corrupt" in info.reason
    try:
        results = (await manager.classify([article("탄소 배출 감축 목표 달성")])).results
    finally:
        manager.close()
    assert results[0].esg_classification.category == "E"


def test_weights_that_do_not_fit_the_config_fall_back(scratch: Path, models: Path) -> None:
    import torch
    from safetensors.torch import save_file

    _copy_set(models, scratch, "tiny", "wrong")
    save_file({"foo.weight": torch.zeros(2, 2)}, str(scratch / "wrong_category" / "model.safetensors"))
    manager = _manager(scratch, "wrong")
    info = manager.load()
    manager.close()
    assert info.ml_service_status == "keyword_fallback"
    assert "wrong_category: weights do not match config.json" in (info.reason or "")


def test_activation_swaps_and_failures_keep_the_old_set(scratch: Path, models: Path) -> None:
    _copy_set(models, scratch, "alt", "other")
    _copy_set(models, scratch, "tiny", "broken")
    (scratch / "broken_sentiment" / "config.json").write_text("{not json")
    manager = _manager(scratch, "good")
    try:
        assert manager.load().model_name == "good"
        before = manager.fingerprint
        texts = ["삼성전자 탄소 배출 감축", "노조 파업"]
        old_results = manager.classify_texts(texts)

        info = manager.activate("other")
        assert info.model_name == "other" and info.ml_service_status == "local_model"
        assert manager.fingerprint != before
        assert [s.name for s in manager.available() if s.active] == ["other"]
        new_results = manager.classify_texts(texts)
        assert new_results != old_results  # other weights, other outputs

        with pytest.raises(NotFound, match="'missing' not found"):
            manager.activate("missing")
        with pytest.raises(BadRequest, match=r"broken_sentiment: config\.json is not valid JSON"):
            manager.activate("broken")
        with pytest.raises(BadRequest, match="not a valid model set name"):
            manager.activate("../etc")
        assert manager.info().model_name == "other"
        assert manager.classify_texts(texts) == new_results
    finally:
        manager.close()


async def test_in_flight_requests_finish_on_the_old_set(scratch: Path, models: Path) -> None:
    _copy_set(models, scratch, "alt", "other")
    manager = _manager(scratch, "good")
    manager.load()
    old_engine = manager._active.engine
    assert old_engine is not None
    entered, release = threading.Event(), threading.Event()
    original = old_engine.predict

    def slow_predict(texts):
        entered.set()
        release.wait(30)
        return original(texts)

    old_engine.predict = slow_predict  # type: ignore[method-assign]
    try:
        task = asyncio.create_task(manager.classify([article("탄소 배출 감축")]))
        assert await asyncio.to_thread(entered.wait, 30)
        await manager.activate_async("other")  # loads while the old set is busy
        assert manager.info().model_name == "other"
        release.set()
        done = await task
        assert done.info.model_name == "good"
        assert (await manager.classify([article("탄소 배출 감축")])).info.model_name == "other"
    finally:
        release.set()
        manager.close()


def test_a_set_built_later_can_be_activated(tmp_path: Path) -> None:
    manager = _manager(tmp_path, "later")
    try:
        assert manager.load().ml_service_status == "keyword_fallback"
        build_model_set(tmp_path, "later")
        assert manager.activate("later").ml_service_status == "local_model"
        assert manager.info().reason is None
    finally:
        manager.close()
