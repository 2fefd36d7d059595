"""Reading labeled training files: formats, text columns, label spellings, and errors that name the line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.errors import InvalidInput
from app.ml.datasets import (
    DatasetError,
    Example,
    evidence_weights,
    label_counts,
    read_examples,
    select_split,
)


def _jsonl(path: Path, rows: list[dict[str, str]], *, bom: bool = False) -> Path:
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def test_jsonl_with_title_and_description(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "d.jsonl", [
        {"title": "<b>삼성전자</b>, 탄소중립 선언", "description": "재생에너지 &amp; RE100", "category": "E",
         "sentiment": "긍정", "company": "삼성전자", "split": "train"},
        {"title": "LG전자 노조 파업", "description": "", "category": "사회", "sentiment": "negative",
         "split": "validation"},
    ])
    rows = read_examples(path)
    assert rows[0] == Example("삼성전자, 탄소중립 선언\n재생에너지 & RE100", "E", "긍정", "train", 1, "삼성전자",
                              "삼성전자, 탄소중립 선언")
    assert (rows[1].text, rows[1].category, rows[1].sentiment, rows[1].split) == (
        "LG전자 노조 파업", "S", "부정", "validation")


def test_text_column_wins_over_title(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "d.jsonl", [
        {"text": "이사회 독립성 강화", "title": "무시됨", "category": "governance", "sentiment": "pos"}])
    (row,) = read_examples(path)
    assert (row.text, row.category, row.sentiment, row.split) == ("이사회 독립성 강화", "G", "긍정", None)


def test_label_spellings_are_canonicalised(tmp_path: Path) -> None:
    spellings = [("환경(E)", "긍정"), ("environment", "Positive"), ("사회", "중립"), ("Social", "neutral"),
                 ("지배구조", "NEG"), ("기타", "부정"), ("other", "negative")]
    path = _jsonl(tmp_path / "d.jsonl", [{"text": f"기사 {i}", "category": c, "sentiment": s}
                                         for i, (c, s) in enumerate(spellings)])
    rows = read_examples(path)
    assert [r.category for r in rows] == ["E", "E", "S", "S", "G", "기타", "기타"]
    assert [r.sentiment for r in rows] == ["긍정", "긍정", "중립", "중립", "부정", "부정", "부정"]


def test_csv_with_bom_and_multiline_field(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    content = ('title,description,category,sentiment,split\n'
               '"현대차, 폐배터리 재활용","두 줄\n설명",E,긍정,train\n'
               '카카오 주총,정기 주주총회,G,중립,val\n')
    path.write_bytes(b"\xef\xbb\xbf" + content.encode("utf-8"))
    rows = read_examples(path)
    assert [(r.text, r.category, r.sentiment, r.split, r.line) for r in rows] == [
        ("현대차, 폐배터리 재활용\n두 줄 설명", "E", "긍정", "train", 2),
        ("카카오 주총\n정기 주주총회", "G", "중립", "validation", 4),
    ]


def test_csv_text_column(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("text,category,sentiment\n산업재해 사망 사고,S,부정\n", encoding="utf-8")
    (row,) = read_examples(path)
    assert (row.text, row.category, row.sentiment) == ("산업재해 사망 사고", "S", "부정")


def test_jsonl_with_bom_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    row = {"text": "배당 확대", "category": "G", "sentiment": "긍정"}
    path.write_bytes(b"\xef\xbb\xbf" + (json.dumps(row, ensure_ascii=False) + "\n\n"
                                        + json.dumps(row, ensure_ascii=False) + "\n").encode())
    assert [r.line for r in read_examples(path)] == [1, 3]


@pytest.mark.parametrize(
    ("name", "content", "line", "fragment"),
    [
        ("missing.jsonl", '{"text": "a", "category": "E", "sentiment": "긍정"}\n{"text": "b", "category": "E"}\n',
         2, "missing column(s): sentiment"),
        ("notext.jsonl", '{"category": "E", "sentiment": "긍정"}\n', 1, "text (or title + description)"),
        ("badcat.jsonl", '{"text": "a", "category": "E", "sentiment": "긍정"}\n'
                         '{"text": "b", "category": "FIN", "sentiment": "긍정"}\n', 2, "unknown category label 'FIN'"),
        ("badsent.jsonl", '{"text": "a", "category": "E", "sentiment": "매우좋음"}\n', 1,
         "unknown sentiment label '매우좋음'"),
        ("emptylabel.jsonl", '{"text": "a", "category": "", "sentiment": "긍정"}\n', 1, "unknown category label"),
        ("emptytext.jsonl", '{"title": " ", "description": "", "category": "E", "sentiment": "긍정"}\n', 1,
         "empty text"),
        ("json.jsonl", '{"text": "a", "category": "E", "sentiment": "긍정"}\n{"text": "b", \n', 2, "invalid JSON"),
        ("array.jsonl", '["E", "긍정"]\n', 1, "must be a JSON object"),
        ("split.jsonl", '{"text": "a", "category": "E", "sentiment": "긍정", "split": "holdout"}\n', 1,
         "unknown split 'holdout'"),
        ("header.csv", "title,category\n삼성,E\n", 1, "missing column(s): sentiment"),
        ("badrow.csv", "text,category,sentiment\n가,E,긍정\n나,E,긍정\n다,X,긍정\n", 4, "unknown category label 'X'"),
    ],
)
def test_bad_input_names_file_and_line(tmp_path: Path, name: str, content: str, line: int, fragment: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DatasetError) as info:
        read_examples(path)
    assert info.value.line == line
    assert f"{path}:{line}: " in info.value.message
    assert fragment in info.value.message
    assert isinstance(info.value, InvalidInput)


@pytest.mark.parametrize("content", ["", "\n\n", "text,category,sentiment\n"])
def test_empty_files_are_refused(tmp_path: Path, content: str) -> None:
    for suffix in (".jsonl", ".csv"):
        path = tmp_path / f"empty{suffix}"
        path.write_text(content, encoding="utf-8")
        with pytest.raises(DatasetError, match="empty"):
            read_examples(path)


def test_missing_file_unknown_extension_and_non_utf8(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="file not found"):
        read_examples(tmp_path / "nope.jsonl")
    (tmp_path / "d.xlsx").write_text("x", encoding="utf-8")
    with pytest.raises(DatasetError, match="unsupported file type"):
        read_examples(tmp_path / "d.xlsx")
    (tmp_path / "d.csv").write_bytes("text,category,sentiment\n삼성,E,긍정\n".encode("cp949"))
    with pytest.raises(DatasetError, match="not UTF-8"):
        read_examples(tmp_path / "d.csv")


def _ex(text: str, category: str, sentiment: str, split: str | None, company: str = "") -> Example:
    return Example(text, category, sentiment, split, 1, company)


def test_select_split_and_counts() -> None:
    rows = [_ex("a", "E", "긍정", "train"), _ex("b", "S", "부정", "validation"), _ex("c", "G", "중립", "train")]
    assert [r.text for r in select_split(rows, "train")] == ["a", "c"]
    assert [r.text for r in select_split(rows, "val")] == ["b"]
    with pytest.raises(DatasetError, match="no rows in split 'test'"):
        select_split(rows, "test", "f.jsonl")
    unsplit = [_ex("a", "E", "긍정", None), _ex("b", "S", "부정", None)]
    assert select_split(unsplit, "validation") == unsplit
    assert label_counts(rows) == {"category": {"E": 1, "S": 1, "G": 1, "기타": 0},
                                  "sentiment": {"긍정": 1, "중립": 1, "부정": 1}}


def test_evidence_weights_favour_label_words_and_skip_company_names() -> None:
    rows = ([_ex(f"삼성전자 탄소 배출 감축 계획 {i}", "E", "긍정", None, "삼성전자") for i in range(6)]
            + [_ex(f"삼성전자 노조 파업 장기화 {i}", "S", "부정", None, "삼성전자") for i in range(6)]
            + [_ex(f"카카오 이사회 배당 결정 {i}", "G", "중립", None, "카카오") for i in range(6)])
    evidence = evidence_weights(rows, "category")
    assert evidence["version"] == 1
    assert set(evidence["labels"]) == {"E", "S", "G", "기타"}
    assert {"탄소", "배출"} <= set(evidence["labels"]["E"])
    assert "파업" in evidence["labels"]["S"] and "파업" not in evidence["labels"]["E"]
    assert all(w > 0 for table in evidence["labels"].values() for w in table.values())
    assert not any("삼성" in w or "카카오" in w for table in evidence["labels"].values() for w in table)
    assert evidence["labels"]["기타"] == {}


def test_holdout_keeps_same_wording_headlines_together_and_is_deterministic() -> None:
    from app.ml.datasets import holdout_split, wording_key

    companies = ["삼성전자", "LG전자", "현대차", "카카오", "네이버"]
    wordings = [("{co}, 폐수 무단 방류 적발", "E", "부정"), ("{co} 노조 파업 돌입", "S", "부정"),
                ("[속보] {co} 이사회 배당 확대", "G", "긍정"), ("{co} 3분기 실적 발표", "기타", "중립")]
    rows = [Example(f"{w.format(co=c)} 본문 {n}", cat, sent, "train", n, c, w.format(co=c))
            for n, (c, (w, cat, sent)) in enumerate(
                (c, w) for w in wordings for c in companies for _ in range(3))]
    assert wording_key(rows[0]) == wording_key(rows[5]) == "폐수 무단 방류 적발"
    fit, held = holdout_split(rows, 0.25, seed=3)
    assert len(fit) + len(held) == len(rows) and held
    assert {wording_key(e) for e in fit}.isdisjoint({wording_key(e) for e in held})
    assert holdout_split(rows, 0.25, seed=3) == (fit, held)
    assert holdout_split(rows[:30], 0.25, seed=3) == (rows[:30], [])  # too small to hold anything out


def test_other_columns_are_kept_and_scored_per_group(tmp_path: Path) -> None:
    from app.ml.evaluation import group_scores

    path = _jsonl(tmp_path / "d.jsonl", [
        {"title": "a", "category": "E", "sentiment": "긍정", "writer": "A", "hard": "direction"},
        {"title": "b", "category": "S", "sentiment": "부정", "writer": "A", "hard": ""},
        {"title": "c", "category": "G", "sentiment": "중립", "writer": "B", "hard": "direction", "n": 3},
    ])
    examples = read_examples(path)
    assert examples[0].columns == {"writer": "A", "hard": "direction"}
    assert examples[2].columns["n"] == "3"
    model = {"category": ["E", "S", "E"], "sentiment": ["긍정", "중립", "중립"]}
    fallback = {"category": ["기타", "S", "G"], "sentiment": ["중립", "부정", "중립"]}
    by_writer = group_scores(examples, model, fallback, "writer")
    assert list(by_writer) == ["A", "B"]
    assert by_writer["A"] == {"n": 2, "category_accuracy": 1.0, "sentiment_accuracy": 0.5,
                              "fallback_category_accuracy": 0.5, "fallback_sentiment_accuracy": 0.5}
    assert by_writer["B"]["category_accuracy"] == 0.0
    assert set(group_scores(examples, model, fallback, "hard")) == {"direction", "(empty)"}
