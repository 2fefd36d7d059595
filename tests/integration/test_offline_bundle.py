"""Offline bundle: build it, install it into a fresh venv with pip's network use disabled, serve, smoke-test.

Runs scripts/bundle.sh once per test session into a temporary directory (about a minute with pip's cache
warm; torch comes from the wheels already on disk), then the bundle's install.sh (under `unshare -n`,
a network namespace without network, where that works; always with `--no-index` and pip configuration
files ignored). Set NEWS_BUNDLE_DIR to test an existing bundle instead of building one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.integration.apiserver import free_port, stop_process, wait_healthy

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
BUNDLE_SCRIPT = ROOT / "scripts" / "bundle.sh"


def _repo_model_sets() -> list[str]:
    models = ROOT / "models"
    return sorted(p.name for p in models.glob("*_category") if (p / "config.json").is_file()) if models.is_dir() else []


def _offline_prefix() -> list[str]:
    """`unshare -n` when this process may create a network namespace (root in CI), else nothing."""
    if shutil.which("unshare") is None or os.geteuid() != 0:
        return []
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True, check=False)
    return ["unshare", "-n"] if probe.returncode == 0 else []


def _clean_env(**extra: str) -> dict[str, str]:
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(extra)
    return env


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A bundle built by scripts/bundle.sh (models: the repository's, else a tiny `demo` set)."""
    given = os.environ.get("NEWS_BUNDLE_DIR")
    if given:
        return Path(given).resolve()
    work = tmp_path_factory.mktemp("bundle")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWS_", "MODEL", "ML_", "REDIS_"))}
    env["PYTHON"] = sys.executable
    if not _repo_model_sets():
        from tests.ml_fixtures import build_model_set

        env["MODELS_SRC"] = str(build_model_set(work / "models-src", "demo"))
    out = work / "bundle"
    started = time.monotonic()
    result = subprocess.run(
        ["bash", str(BUNDLE_SCRIPT), str(out)], env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert result.returncode == 0, f"bundle.sh failed:\n{result.stdout}\n{result.stderr[-4000:]}"
    print(f"bundle built in {time.monotonic() - started:.0f} s")
    return out


@pytest.fixture(scope="session")
def offline_venv(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundle installed by its install.sh into a fresh venv, pip kept off every index."""
    venv = tmp_path_factory.mktemp("offline") / "venv"
    env = _clean_env(PYTHON=sys.executable, PIP_NO_INDEX="1", INSTALL_NO_COMPILE="1")
    result = subprocess.run(
        [*_offline_prefix(), "bash", str(bundle / "install.sh"), str(venv)],
        env=env, capture_output=True, text=True, timeout=600, check=False,
    )
    assert result.returncode == 0, f"install.sh failed:\n{result.stdout}\n{result.stderr[-4000:]}"
    return venv


@pytest.fixture(scope="session")
def offline_server(bundle: Path, offline_venv: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`news-service serve` from the offline venv, started in an empty directory."""
    run_dir = tmp_path_factory.mktemp("offline-run")
    port = free_port()
    env = _clean_env(
        HOME=str(run_dir),
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        MODELS_DIR=str(bundle / "models"),
        NEWS_ARCHIVE_PATH=str(bundle / "data" / "archive" / "sample_news.jsonl"),
    )
    log_path = run_dir / "serve.log"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [str(offline_venv / "bin" / "news-service"), "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=run_dir, env=env, stdout=log_file, stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(process, url, log_path, timeout=180)
        yield url
    finally:
        stop_process(process, timeout=20)


def test_bundle_contents(bundle: Path) -> None:
    wheels = sorted(p.name for p in (bundle / "wheels").iterdir())
    assert any(w.startswith("news_service-") for w in wheels)
    torch_wheels = [w for w in wheels if w.startswith("torch-")]
    assert len(torch_wheels) == 1 and "+cpu" in torch_wheels[0], torch_wheels
    assert not [w for w in wheels if w.startswith("nvidia_")], "CUDA libraries in a CPU bundle"
    assert all(w.endswith(".whl") for w in wheels), "every dependency must be a wheel (no sdists)"
    assert os.access(bundle / "install.sh", os.X_OK)
    assert (bundle / "data" / "archive" / "sample_news.jsonl").is_file()
    assert (bundle / ".env.example").is_file()
    assert (bundle / "models" / "demo_category" / "config.json").is_file()
    assert (bundle / "models" / "demo_sentiment" / "config.json").is_file()
    manifest = (bundle / "MANIFEST.txt").read_text()
    assert f"python: {sys.version_info.major}.{sys.version_info.minor}" in manifest


def test_installed_from_the_wheel_not_the_work_tree(offline_venv: Path) -> None:
    out = subprocess.run(
        [str(offline_venv / "bin" / "python"), "-c", "import app, torch; print(app.__file__); print(torch.__version__)"],
        env=_clean_env(), cwd=offline_venv, capture_output=True, text=True, check=True,
    ).stdout.split()
    assert Path(out[0]).is_relative_to(offline_venv), out
    assert out[1].startswith("2.13.0"), out


def test_health_and_company_search(offline_server: str) -> None:
    health = httpx.get(f"{offline_server}/api/v1/system/health", timeout=10)
    assert health.status_code == 200
    body = health.json()
    assert body["mode"] == "embedded"
    assert body["news_source"] == "archive"
    assert body["ml"]["ml_service_status"] == "local_model", body["ml"]  # the bundled model set loaded

    search = httpx.post(f"{offline_server}/api/v1/search/companies/삼성전자", json={"max_results": 10}, timeout=60)
    assert search.status_code == 200, search.text
    items = search.json()["items"]
    assert items and all(item["title"] for item in items)


def test_company_analysis_uses_the_bundled_models(offline_server: str) -> None:
    response = httpx.post(
        f"{offline_server}/api/v1/search/companies/삼성전자/analyze", json={"max_results": 10}, timeout=120
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["analysis_metadata"]["ml_service_status"] == "local_model"
    assert body["analyzed_news"]
