"""`news-service search` / `analyze` in embedded mode: tables for results, one clear line for nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import main as cli_app


@pytest.fixture
def archive_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    rows = [
        {"title": f"삼성전자, 협력사 안전 점검 {n}차 결과 공개", "description": f"삼성전자가 협력사 {n}곳의 안전 점검 결과를 공개했다.",
         "link": f"https://news.example.kr/{n}", "pubDate": "Mon, 02 Nov 2026 09:00:00 +0900", "company": "삼성전자"}
        for n in range(3)
    ] + [{"title": "KT, 망 장애 보상안 발표", "description": "KT가 통신 장애 보상안을 내놨다.",
          "link": "https://news.example.kr/kt", "pubDate": "Tue, 03 Nov 2026 09:00:00 +0900", "company": "KT"}]
    path = tmp_path / "archive.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    for name, value in {
        "NEWS_SOURCE": "archive", "NEWS_ARCHIVE_PATH": str(path), "REDIS_URL": "", "EMBEDDED_DATA_DIR": "",
        "MODEL_NAME": "missing-on-purpose", "REDIS_KEY_PREFIX": "cli-test",
    }.items():
        monkeypatch.setenv(name, value)
    return path


def test_analyze_prints_tables_not_python_dicts(archive_env: Path) -> None:
    result = CliRunner().invoke(cli_app, ["analyze", "삼성전자", "-n", "5"])
    assert result.exit_code == 0, result.output
    assert "요약: 분류 × 감성" in result.stdout and "합계" in result.stdout and "부정 비율" in result.stdout
    assert "{'" not in result.stdout and "':" not in result.stdout


@pytest.mark.parametrize("command", ["analyze", "search"])
def test_nothing_found_is_one_message_with_the_archive_companies(archive_env: Path, command: str) -> None:
    result = CliRunner().invoke(cli_app, [command, "없는회사XYZ"])
    assert result.exit_code == 1
    assert "뉴스를 찾지 못했습니다: '없는회사XYZ'" in result.stderr
    assert "아카이브가 다루는 기업 2곳: KT, 삼성전자" in result.stderr
    assert "│" not in result.stdout  # no empty table
