"""Labeled training files (JSONL or CSV) read into canonical examples, with errors that name the line."""

from __future__ import annotations

import csv
import hashlib
import json
import math
import random
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.domain.models import EsgCategory, Sentiment
from app.domain.text import clean_text
from app.errors import InvalidInput

CATEGORY_LABELS: tuple[str, ...] = tuple(c.value for c in EsgCategory)
SENTIMENT_LABELS: tuple[str, ...] = tuple(s.value for s in Sentiment)
TASK_LABELS: dict[str, tuple[str, ...]] = {"category": CATEGORY_LABELS, "sentiment": SENTIMENT_LABELS}
_SPLIT_ALIASES = {"train": "train", "training": "train", "validation": "validation", "valid": "validation",
                  "val": "validation", "dev": "validation", "eval": "validation", "test": "test"}
_JSONL = {".jsonl", ".ndjson"}
_INPUT_COLUMNS = {"text", "title", "description", "category", "sentiment"}


class DatasetError(InvalidInput):
    """A training or evaluation file that cannot be used; the message names the file and line."""

    def __init__(self, path: Path | str, message: str, *, line: int | None = None):
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {message}")
        self.path = str(path)
        self.line = line


@dataclass(frozen=True)
class Example:
    """One labeled article: model input text, canonical labels, split and source line."""

    text: str
    category: str
    sentiment: str
    split: str | None
    line: int
    company: str = ""
    title: str = ""
    columns: Mapping[str, str] = field(default_factory=dict, compare=False)  # the row's other columns


def _canonical(task: str, raw: object) -> str | None:
    from app.ml.labels import canonical_label

    value = str(raw).strip() if raw is not None else ""
    if not value:
        return None
    label = canonical_label("category" if task == "category" else "sentiment", value)
    return label if label in TASK_LABELS[task] else None


def _text_of(row: Mapping[str, Any]) -> str:
    text = row.get("text")
    if text is not None and str(text).strip():
        return clean_text(str(text))
    title = clean_text(str(row.get("title") or ""))
    description = clean_text(str(row.get("description") or ""))
    return f"{title}\n{description}".strip()


def _check_columns(path: Path, columns: set[str], line: int) -> None:
    missing = [c for c in ("category", "sentiment") if c not in columns]
    if "text" not in columns and "title" not in columns:
        missing.insert(0, "text (or title + description)")
    if missing:
        raise DatasetError(path, f"missing column(s): {', '.join(missing)}", line=line)


def _example(path: Path, row: Mapping[str, Any], line: int) -> Example:
    _check_columns(path, set(row), line)
    text = _text_of(row)
    if not text:
        raise DatasetError(path, "empty text (text, or title + description)", line=line)
    labels: dict[str, str] = {}
    for task in ("category", "sentiment"):
        label = _canonical(task, row.get(task))
        if label is None:
            allowed = "/".join(TASK_LABELS[task])
            message = f"unknown {task} label {row.get(task)!r} (expected {allowed})"
            raise DatasetError(path, message, line=line)
        labels[task] = label
    split: str | None = None
    raw_split = str(row.get("split") or "").strip().lower()
    if raw_split:
        split = _SPLIT_ALIASES.get(raw_split)
        if split is None:
            raise DatasetError(path, f"unknown split {row.get('split')!r} (expected train/validation/test)",
                               line=line)
    company = str(row.get("company") or "").strip()
    title = clean_text(str(row.get("title") or ""))
    columns = {str(k): str(v) for k, v in row.items()
               if k not in _INPUT_COLUMNS and isinstance(v, str | int | float | bool) and v is not None}
    return Example(text, labels["category"], labels["sentiment"], split, line, company, title, columns)


def _jsonl_rows(path: Path, content: str) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, raw in enumerate(content.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            row = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise DatasetError(path, f"invalid JSON ({exc.msg})", line=number) from None
        if not isinstance(row, dict):
            raise DatasetError(path, "each line must be a JSON object", line=number)
        yield number, row


def _csv_rows(path: Path, content: str, delimiter: str) -> Iterator[tuple[int, dict[str, Any]]]:
    reader = csv.DictReader(content.splitlines(keepends=True), delimiter=delimiter)
    if not reader.fieldnames:
        return
    _check_columns(path, {(name or "").strip() for name in reader.fieldnames}, 1)
    start = reader.line_num + 1
    for row in reader:
        clean = {(k or "").strip(): v for k, v in row.items() if k is not None}
        if any(str(v or "").strip() for v in clean.values()):
            yield start, clean
        start = reader.line_num + 1


def read_examples(path: Path | str) -> list[Example]:
    """Read a JSONL or CSV file (by extension, UTF-8 with or without BOM) into canonical examples."""
    path = Path(path)
    if not path.is_file():
        raise DatasetError(path, "file not found")
    suffix = path.suffix.lower()
    if suffix not in _JSONL and suffix not in {".csv", ".tsv"}:
        raise DatasetError(path, "unsupported file type (expected .jsonl or .csv)")
    try:
        content = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DatasetError(path, f"not UTF-8 text (byte {exc.start})") from None
    if suffix in _JSONL:
        rows = _jsonl_rows(path, content)
    else:
        rows = _csv_rows(path, content, "\t" if suffix == ".tsv" else ",")
    examples = [_example(path, row, number) for number, row in rows]
    if not examples:
        raise DatasetError(path, "no labeled rows (the file is empty)")
    return examples


def select_split(examples: list[Example], split: str | None, path: Path | str = "") -> list[Example]:
    """Rows of one split; a file without any split column is used whole."""
    if not split or all(e.split is None for e in examples):
        return list(examples)
    wanted = _SPLIT_ALIASES.get(split.strip().lower(), split)
    chosen = [e for e in examples if e.split == wanted]
    if not chosen:
        found = ", ".join(sorted({e.split or "(none)" for e in examples}))
        raise DatasetError(path, f"no rows in split {split!r} (splits present: {found})")
    return chosen


_TAGS = re.compile(r"\[[^\]]{0,20}\]|\([^)]{0,30}=[^)]{0,30}\)")
_NON_WORD = re.compile(r"[^가-힣A-Za-z]+")


def wording_key(example: Example) -> str:
    """The headline's wording without company, outlet tags and figures: rows that share it are one story."""
    title = example.title or example.text[:60]
    if example.company:
        title = title.replace(example.company, " ")
    return _NON_WORD.sub(" ", _TAGS.sub(" ", title)).strip().casefold()


def holdout_split(examples: list[Example], fraction: float, seed: int) -> tuple[list[Example], list[Example]]:
    """Held-out slice of the TRAIN rows for early stopping: whole wording groups, stratified by label cell.

    Holding out whole groups of same-wording headlines (not single rows) makes the slice measure how the
    model does on wordings it has not seen, as on new articles, instead of on near-copies of its training
    rows, which any model gets right.
    """
    if len(examples) < 40 or fraction <= 0:
        return list(examples), []
    rng = random.Random(seed)
    groups: dict[str, list[Example]] = {}
    for e in examples:
        groups.setdefault(wording_key(e), []).append(e)
    cells: dict[tuple[str, str], list[str]] = {}
    for key in sorted(groups):
        first = groups[key][0]
        cells.setdefault((first.category, first.sentiment), []).append(key)
    held_keys: set[str] = set()
    for cell in sorted(cells):
        keys = cells[cell]
        rng.shuffle(keys)
        target, taken = fraction * sum(len(groups[k]) for k in keys), 0
        for key in keys:
            if taken >= target:
                break
            held_keys.add(key)
            taken += len(groups[key])
    held = [e for e in examples if wording_key(e) in held_keys]
    fit = [e for e in examples if wording_key(e) not in held_keys]
    return fit, held


def label_counts(examples: list[Example]) -> dict[str, dict[str, int]]:
    """Per-task label counts, every canonical label listed."""
    result: dict[str, dict[str, int]] = {}
    for task, labels in TASK_LABELS.items():
        counts = Counter(getattr(e, task) for e in examples)
        result[task] = {label: counts.get(label, 0) for label in labels}
    return result


def file_sha256(path: Path | str) -> str:
    """Hex SHA-256 of a file's bytes (recorded in the training summary)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


_WORD = re.compile(r"[0-9A-Za-z가-힣]+")
_JOSA = ("에서는", "으로는", "에서", "으로", "에게", "까지", "부터", "라는", "이라", "하고", "했다", "한다",
         "하는", "은", "는", "이", "가", "을", "를", "의", "에", "와", "과", "도", "로", "만")


def _words_regex(text: str) -> set[str]:
    words = set()
    for token in _WORD.findall(text):
        word = token
        for ending in _JOSA:
            if token.endswith(ending) and len(token) - len(ending) >= 2:
                word = token[: -len(ending)]
                break
        words.add(word)
    return words


def document_words(texts: list[str]) -> list[set[str]]:
    """Content words per text: kiwipiepy nouns and Latin words (NNG/NNP/SL), else a josa-stripping split."""
    try:
        from app.domain.morphology import analyzer

        kiwi = analyzer()
    except ImportError:  # pragma: no cover - kiwipiepy is a declared dependency
        return [{w for w in _words_regex(t) if len(w) >= 2} for t in texts]
    return [{tok.form for tok in tokens if tok.tag in {"NNG", "NNP", "SL"} and len(tok.form) >= 2}
            for tokens in kiwi.tokenize(texts)]


def evidence_weights(examples: list[Example], task: str, *, docs: list[set[str]] | None = None,
                     top_k: int = 200, prior: float = 500.0, min_count: int = 2) -> dict[str, Any]:
    """`evidence.json` for one task: per label, words with the highest smoothed log-odds (z-scores > 0).

    Log-odds ratio with an informative Dirichlet prior (Monroe et al. 2008) over document frequencies;
    company names are left out so evidence never just repeats who the article is about. `docs` (the
    `document_words` of the examples) can be passed to share the morphological analysis between tasks.
    """
    docs = docs if docs is not None else document_words([e.text for e in examples])
    companies = {e.company for e in examples if e.company}
    labels = TASK_LABELS[task]
    per_label: dict[str, Counter[str]] = {label: Counter() for label in labels}
    for example, words in zip(examples, docs, strict=True):
        per_label[getattr(example, task)].update(words)
    total = Counter[str]()
    for counts in per_label.values():
        total.update(counts)
    grand = sum(total.values())
    result: dict[str, dict[str, float]] = {}
    for label in labels:
        mine = per_label[label]
        n_mine = sum(mine.values())
        n_rest = grand - n_mine
        scored: list[tuple[float, str]] = []
        for word, all_count in total.items():
            y_i = mine.get(word, 0)
            if y_i < min_count or any(word in c or c in word for c in companies):
                continue
            a_w = prior * all_count / grand
            y_j = all_count - y_i
            delta = math.log((y_i + a_w) / (n_mine + prior - y_i - a_w)) - math.log(
                (y_j + a_w) / (n_rest + prior - y_j - a_w))
            z = delta / math.sqrt(1 / (y_i + a_w) + 1 / (y_j + a_w))
            if z > 0:
                scored.append((z, word))
        scored.sort(key=lambda item: (-item[0], item[1]))
        result[label] = {word: round(z, 4) for z, word in scored[:top_k]}
    return {"version": 1, "labels": result}
