"""Train a model set for a few steps on a tiny file, load it through the service's ModelManager, evaluate it."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.ml.commands import cli_app
from app.settings import PROJECT_ROOT, MLSettings

ROWS = [
    ("삼성전자, 탄소 배출 감축 목표 조기 달성", "재생에너지 전환으로 온실가스를 줄였다", "E", "긍정"),
    ("포스코 제철소 폐수 유출 논란", "하천 오염으로 주민 피해가 우려된다", "E", "부정"),
    ("현대차 환경 보고서 발간", "배출량 현황을 공개했다", "E", "중립"),
    ("LG전자 협력사 상생 기금 출연", "중소 협력사 지원을 늘린다", "S", "긍정"),
    ("쿠팡 물류센터 산재 사망 사고", "노동자 안전 문제가 다시 불거졌다", "S", "부정"),
    ("KT 노사 임금 협상 시작", "양측이 첫 상견례를 가졌다", "S", "중립"),
    ("KB금융 이사회 독립성 강화", "사외이사 비중을 늘려 투명성을 높였다", "G", "긍정"),
    ("셀트리온 경영진 횡령 혐의 수사", "검찰이 압수수색에 나섰다", "G", "부정"),
    ("카카오 정기 주주총회 개최", "감사위원 선임 안건을 상정했다", "G", "중립"),
    ("한화솔루션 분기 실적 호조", "태양광 모듈 수출이 늘었다", "기타", "긍정"),
    ("HMM 주가 급락 마감", "투자자 우려가 커졌다", "기타", "부정"),
    ("네이버 신규 서비스 공개 예정", "다음 달 출시 일정을 밝혔다", "기타", "중립"),
]


def _write_corpus(path: Path) -> Path:
    lines = []
    for copy in range(3):
        for i, (title, description, category, sentiment) in enumerate(ROWS):
            split = "validation" if copy == 2 and i % 2 == 0 else "train"
            lines.append(json.dumps({"title": title, "description": f"{description} ({copy})",
                                     "category": category, "sentiment": sentiment,
                                     "company": title.split()[0].rstrip(","), "split": split},
                                    ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A model set trained for 3 steps (module-scoped: the training run is the expensive part)."""
    root = tmp_path_factory.mktemp("training")
    data = _write_corpus(root / "tiny.jsonl")
    models = root / "models"
    result = CliRunner().invoke(cli_app(), ["train", "--data", str(data), "--name", "smoke", "--output",
                                            str(models), "--max-steps", "3", "--seed", "7", "--arch", "bert"])
    assert result.exit_code == 0, result.output
    return data, models


@pytest.fixture(scope="module")
def kiwi_trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A kiwi-cong model set (the shipped kind) trained for a few steps, calibrated on a dev file."""
    root = tmp_path_factory.mktemp("kiwi-training")
    data = _write_corpus(root / "tiny.jsonl")
    dev = root / "dev.jsonl"
    dev.write_text("".join(line + "\n" for line in data.read_text("utf-8").splitlines()[::3]), encoding="utf-8")
    models = root / "models"
    result = CliRunner().invoke(cli_app(), ["train", "--data", str(data), "--dev", str(dev), "--name", "kc",
                                            "--output", str(models), "--max-steps", "4", "--seed", "7"])
    assert result.exit_code == 0, result.output
    return data, models


def test_training_writes_a_complete_model_set(trained: tuple[Path, Path]) -> None:
    data, models = trained
    assert sorted(p.name for p in models.iterdir()) == ["smoke_category", "smoke_sentiment"]
    category, sentiment = models / "smoke_category", models / "smoke_sentiment"
    assert json.loads((category / "label_encoder.json").read_text("utf-8")) == {
        "0": "E", "1": "S", "2": "G", "3": "기타"}
    assert json.loads((sentiment / "label_encoder.json").read_text("utf-8")) == {
        "0": "긍정", "1": "중립", "2": "부정"}
    config = json.loads((category / "config.json").read_text("utf-8"))
    assert config["id2label"] == {"0": "E", "1": "S", "2": "G", "3": "기타"}
    assert (category / "tokenizer.json").read_bytes() == (sentiment / "tokenizer.json").read_bytes()
    summary = json.loads((category / "training_summary.json").read_text("utf-8"))
    assert summary["data"]["sha256"] == hashlib.sha256(data.read_bytes()).hexdigest()
    assert (summary["seed"], summary["mode"], summary["data"]["validation_rows"]) == (7, "scratch", 6)
    assert summary["tasks"]["category"]["steps"] == 3
    for who in (summary["validation"], summary["validation"]["fallback"]):
        assert 0.0 <= who["category"]["macro_f1"] <= 1.0
    evidence = json.loads((category / "evidence.json").read_text("utf-8"))
    assert evidence["version"] == 1 and set(evidence["labels"]) == {"E", "S", "G", "기타"}
    assert all(w > 0 for table in evidence["labels"].values() for w in table.values())
    assert "배출" in evidence["labels"]["E"]
    assert (category / "model.safetensors").stat().st_mode & 0o044 == 0o044  # readable by a service user


def test_the_service_loads_and_runs_the_trained_set(trained: tuple[Path, Path]) -> None:
    from app.ml.manager import ModelManager

    _, models = trained
    manager = ModelManager(MLSettings(models_dir=models, model_name="smoke", device="cpu"))
    try:
        info = manager.load()
        assert (info.ml_service_status, info.model_name) == ("local_model", "smoke"), info.reason
        results = manager.classify_texts(["삼성전자가 탄소 배출을 줄였다", "카카오 주주총회에서 배당을 결의했다"])
    finally:
        manager.close()
    assert len(results) == 2
    for analysis in results:
        assert analysis.esg_classification.category in {"E", "S", "G", "기타"}
        assert analysis.sentiment_analysis.label in {"긍정", "중립", "부정"}
        assert sum(analysis.sentiment_analysis.scores.values()) == pytest.approx(1.0, abs=1e-4)


def test_evaluate_json_prints_exactly_one_object(trained: tuple[Path, Path]) -> None:
    data, models = trained
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "ML_DEVICE": "cpu"}
    proc = subprocess.run(
        [sys.executable, "-m", "app.ml.commands", "evaluate", "--data", str(data), "--model-name", "smoke",
         "--models-dir", str(models), "--json"],
        capture_output=True, text=True, timeout=120, env=env, check=False, cwd=PROJECT_ROOT)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)  # fails on anything but one JSON document
    assert proc.stdout.strip().count("\n") == 0
    assert set(result) == {"category", "sentiment", "fallback", "model_name", "n"}
    assert (result["model_name"], result["n"]) == ("smoke", 6)
    for block in (result, result["fallback"]):
        for task, labels in (("category", ["E", "S", "G", "기타"]), ("sentiment", ["긍정", "중립", "부정"])):
            metrics = block[task]
            assert set(metrics) == {"accuracy", "macro_f1", "per_class", "confusion", "ece"}
            assert 0.0 <= metrics["ece"] <= 1.0
            assert metrics["confusion"]["labels"][: len(labels)] == labels
            assert sum(map(sum, metrics["confusion"]["matrix"])) == 6
            assert set(metrics["per_class"][labels[0]]) == {"precision", "recall", "f1", "support"}


def test_evaluate_scores_each_value_of_a_column_and_refuses_a_missing_one(trained: tuple[Path, Path]) -> None:
    data, models = trained
    runner = CliRunner()
    common = ["evaluate", "--data", str(data), "--model-name", "smoke", "--models-dir", str(models)]
    result = runner.invoke(cli_app(), [*common, "--json", "--by", "company"])
    assert result.exit_code == 0, result.output
    by = json.loads(result.stdout)["by"]
    assert by["column"] == "company"
    assert sum(group["n"] for group in by["groups"].values()) == 6
    missing = runner.invoke(cli_app(), [*common, "--by", "nonexistent"])
    assert missing.exit_code == 2
    assert "no row has a 'nonexistent' column" in missing.output


def test_fine_tuning_a_local_base_model(trained: tuple[Path, Path], tmp_path: Path) -> None:
    data, models = trained
    result = CliRunner().invoke(cli_app(), [
        "train", "--data", str(data), "--name", "ft", "--output", str(tmp_path), "--max-steps", "2",
        "--base-model", str(models / "smoke_category")])
    assert result.exit_code == 0, result.output
    summary = json.loads((tmp_path / "ft_sentiment" / "training_summary.json").read_text("utf-8"))
    assert summary["mode"] == "fine-tune"
    config = json.loads((tmp_path / "ft_sentiment" / "config.json").read_text("utf-8"))
    assert config["id2label"] == {"0": "긍정", "1": "중립", "2": "부정"}


def test_bad_input_fails_cleanly_and_writes_nothing(tmp_path: Path) -> None:
    data = tmp_path / "bad.jsonl"
    data.write_text('{"text": "a", "category": "E", "sentiment": "긍정"}\n'
                    '{"text": "b", "category": "E", "sentiment": "최고"}\n', encoding="utf-8")
    result = CliRunner().invoke(cli_app(), ["train", "--data", str(data), "--name", "x", "--output",
                                            str(tmp_path / "models")])
    assert result.exit_code == 2
    assert f"{data}:2" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "models").exists() or not any((tmp_path / "models").iterdir())


def test_a_failure_mid_training_leaves_the_old_set_untouched(trained: tuple[Path, Path], tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import app.ml.training as training

    data, _ = trained
    output = tmp_path / "models"
    (output / "demo_category").mkdir(parents=True)
    (output / "demo_category" / "marker").write_text("old", encoding="utf-8")

    def broken(*_args: object, **_kwargs: object) -> dict[str, object]:
        raise OSError("disk full")

    monkeypatch.setattr(training, "evidence_weights", broken)
    result = CliRunner().invoke(cli_app(), ["train", "--data", str(data), "--name", "demo", "--output",
                                            str(output), "--max-steps", "1", "--arch", "bert"])
    assert result.exit_code == 2 and "disk full" in result.output
    assert sorted(p.name for p in output.iterdir()) == ["demo_category"]
    assert (output / "demo_category" / "marker").read_text("utf-8") == "old"


def test_kiwi_training_writes_a_set_the_registry_and_service_use(kiwi_trained: tuple[Path, Path]) -> None:
    from app.ml.manager import ModelManager
    from app.ml.registry import inspect_model_set

    _, models = kiwi_trained
    info = inspect_model_set(models, "kc")
    assert info.loadable, info.problem
    assert info.category.input_pipeline == info.sentiment.input_pipeline == "kiwi-cong"
    category = models / "kc_category"
    assert {"config.json", "model.safetensors", "morpheme_rows.json", "training_summary.json"} <= {
        p.name for p in category.iterdir()}
    config = json.loads((category / "config.json").read_text("utf-8"))
    assert config["id2label"] == {"0": "E", "1": "S", "2": "G", "3": "기타"}
    assert config["temperature"] > 0 and config["tuned_rows"]
    summary = json.loads((category / "training_summary.json").read_text("utf-8"))
    assert summary["tasks"]["category"]["steps"] == 4
    assert {"temperature", "dev_ece_before", "dev_ece_after"} <= set(summary["tasks"]["sentiment"])
    assert summary["dev"]["n"] == 12 and summary["validation"]["n"] == 6
    manager = ModelManager(MLSettings(models_dir=models, model_name="kc", device="cpu"))
    try:
        loaded = manager.load()
        assert loaded.ml_service_status == "local_model", loaded.reason
        results = manager.classify_texts(["삼성전자, 탄소 배출 감축 목표 조기 달성\n재생에너지 전환으로 온실가스를 줄였다",
                                          "🚀", ""])
    finally:
        manager.close()
    assert len(results) == 3
    for analysis in results:
        assert analysis.esg_classification.category in {"E", "S", "G", "기타"}
        assert sum(analysis.sentiment_analysis.scores.values()) == pytest.approx(1.0, abs=1e-4)
    generic = {"올해", "고객", "회사", "삼성전자"}
    assert not generic & set(results[0].esg_classification.evidence)
    assert all(w in "삼성전자, 탄소 배출 감축 목표 조기 달성 재생에너지 전환으로 온실가스를 줄였다" or w.endswith("다")
               for w in results[0].esg_classification.evidence)


def test_kiwi_set_trained_on_other_vectors_is_refused_with_a_reason(kiwi_trained: tuple[Path, Path],
                                                                     tmp_path: Path) -> None:
    import shutil

    from app.ml.manager import ModelManager

    _, models = kiwi_trained
    for task in ("category", "sentiment"):
        shutil.copytree(models / f"kc_{task}", tmp_path / f"other_{task}")
        config_path = tmp_path / f"other_{task}" / "config.json"
        config = json.loads(config_path.read_text("utf-8"))
        config["cong_digest"] = "0" * 64
        config_path.write_text(json.dumps(config), encoding="utf-8")
    manager = ModelManager(MLSettings(models_dir=tmp_path, model_name="other", device="cpu"))
    try:
        info = manager.load()
    finally:
        manager.close()
    assert info.ml_service_status == "keyword_fallback"
    assert "other CoNg vectors" in (info.reason or "")
