"""The docs match the repository and the API: paths they name exist, curl examples hit real routes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.main import create_app
from tests.conftest import embedded_settings

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", ROOT / "data" / "README.md", ROOT / "data" / "LABELING.md",
        *sorted((ROOT / "docs").glob("*.md"))]
TOP = ("app/", "docs/", "data/", "tests/", "bench/", "models/", "scripts/", ".ci/")
PATH = re.compile(r"`((?:app|docs|data|tests|bench|models|scripts|\.ci)/[^`\s]*)`")
LINK = re.compile(r"\]\(([^)#\s]+)\)")
CURL = re.compile(r"^.*\bcurl\b.*$", re.MULTILINE)
URL = re.compile(r"localhost:8002(/[^\s\"?]*)")
METHOD = re.compile(r"-X\s*(GET|POST|PUT|DELETE)")
NON_API = {"/ui", "/ui/", "/metrics", "/docs", "/openapi.json", "/"}


def _mentions(pattern: re.Pattern[str]) -> list[tuple[Path, str]]:
    return [(doc, match) for doc in DOCS for match in pattern.findall(doc.read_text(encoding="utf-8"))]


@pytest.mark.parametrize(("doc", "path"), _mentions(PATH), ids=str)
def test_every_repository_path_a_doc_names_exists(doc: Path, path: str) -> None:
    if any(mark in path for mark in ("*", "<", "{", "…")) or path.endswith(("_", "-")):
        pytest.skip("a pattern, not a path")
    path, _, test = path.partition("::")  # tests/…/file.py::test_name
    module, dot, attribute = path.rpartition(".")
    if dot and "/" in module and not (ROOT / path).exists() and (ROOT / f"{module}.py").exists():
        path, test = f"{module}.py", attribute  # app/ml/datasets.read_examples
    assert (ROOT / path).exists(), f"{doc.name} names {path}, which is not in the repository"
    if test:
        assert re.search(rf"\b(def|class) {re.escape(test)}\b", (ROOT / path).read_text("utf-8")), (doc.name, test)


@pytest.mark.parametrize(("doc", "target"), _mentions(LINK), ids=str)
def test_every_relative_link_resolves(doc: Path, target: str) -> None:
    if target.startswith(("http://", "https://", "mailto:")):
        pytest.skip("external")
    assert (doc.parent / target).exists(), f"{doc.name} links {target}"


def test_every_curl_example_hits_a_route() -> None:
    app = create_app(embedded_settings())
    routes = [
        (re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$"), {m.upper() for m in operations})
        for path, operations in app.openapi()["paths"].items()
    ]
    examples = []
    for doc in DOCS:
        for line in CURL.findall(doc.read_text("utf-8").replace("\\\n", " ")):  # join continued lines
            url, method = URL.search(line), METHOD.search(line)
            if url:
                examples.append((doc, (method.group(1) if method else "GET", url.group(1))))
    assert len(examples) >= 30
    for doc, (method, path) in examples:
        if path in NON_API or path.startswith("/api/v1/news/company/simple"):  # the guide's retired path
            continue
        assert any(pattern.match(path) and method in methods for pattern, methods in routes), (doc.name, method, path)
