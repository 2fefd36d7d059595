"""Label canonicalisation, label-map parsing, evidence helpers and reasoning sentences."""

from __future__ import annotations

import json

import pytest

from app.ml.explain import (
    EvidenceTable,
    category_reasoning,
    choose_evidence,
    merge_wordpieces,
    strip_particle,
    words_from_spans,
)
from app.ml.labels import (
    canonical_label,
    canonicalise,
    is_generic,
    labels_from_config,
    labels_from_encoder,
)


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        ("E", "E"), ("e", "E"), ("환경", "E"), ("환경(E)", "E"), ("환경 (E)", "E"), ("environment", "E"),
        ("Environmental", "E"), (" ENV ", "E"),
        ("S", "S"), ("사회", "S"), ("사회(S)", "S"), ("Social", "S"),
        ("G", "G"), ("지배구조", "G"), ("거버넌스", "G"), ("지배구조(G)", "G"), ("GOVERNANCE", "G"),
        ("기타", "기타"), ("other", "기타"), ("Others", "기타"), ("none", "기타"), ("etc", "기타"), ("N/A", "기타"),
    ],
)
def test_category_spellings(spelling: str, canonical: str) -> None:
    assert canonical_label("category", spelling) == canonical


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        ("긍정", "긍정"), ("positive", "긍정"), ("POSITIVE", "긍정"), ("pos", "긍정"),
        ("중립", "중립"), ("Neutral", "중립"), ("neu", "중립"),
        ("부정", "부정"), ("negative", "부정"), ("NEG", "부정"),
    ],
)
def test_sentiment_spellings(spelling: str, canonical: str) -> None:
    assert canonical_label("sentiment", spelling) == canonical


def test_numbers_are_not_sentiment_labels() -> None:
    assert canonical_label("sentiment", "1") == "1"


def test_unknown_labels_are_kept_and_reported_as_extra() -> None:
    canon, extra = canonicalise("category", ["환경", "social", "FIN", "지배구조", " Tech "])
    assert canon == ["E", "S", "FIN", "G", "Tech"]
    assert extra == ["FIN", "Tech"]


def test_generic_labels_are_detected() -> None:
    assert is_generic(["LABEL_0", "LABEL_1"])
    assert is_generic(["label_0"])
    assert not is_generic(["LABEL_0", "E"])
    assert not is_generic([])


def test_labels_from_config_accepts_string_ids_in_order() -> None:
    assert labels_from_config({"1": "G", "0": "E"}, 2) == ["E", "G"]
    assert labels_from_config({0: "E", 2: "G"}, None) is None  # not dense
    assert labels_from_config({0: "E", 1: "G"}, 3) is None  # disagrees with num_labels
    assert labels_from_config(None, 2) is None


@pytest.mark.parametrize(
    "data",
    [
        {"0": "E", "1": "G", "2": "S"},
        {"classes": ["E", "G", "S"]},
        ["E", "G", "S"],
        {"id2label": {"2": "S", "0": "E", "1": "G"}},
        {"label2id": {"E": 0, "G": 1, "S": 2}},
        {"S": 2, "E": 0, "G": 1},
        {"category": {"0": "E", "1": "G", "2": "S"}, "sentiment": {"0": "부정"}},
    ],
)
def test_label_encoder_shapes(data: object) -> None:
    assert labels_from_encoder(data, "category") == ["E", "G", "S"]


@pytest.mark.parametrize("data", [{}, {"0": "E", "2": "G"}, {"classes": []}, {"a": "b"}, "E,G", 3])
def test_label_encoder_rejects_unusable_shapes(data: object) -> None:
    with pytest.raises(ValueError, match="label_encoder"):
        labels_from_encoder(data, "category")


def test_strip_particle_keeps_short_stems() -> None:
    assert strip_particle("삼성전자가") == "삼성전자"
    assert strip_particle("탄소를") == "탄소"
    assert strip_particle("이사회에서") == "이사회"
    assert strip_particle("주가") == "주가"  # stem would be one character
    assert strip_particle("배출권") == "배출권"


def test_merge_wordpieces_joins_pieces_and_drops_special_tokens() -> None:
    tokens = ["[CLS]", "삼성", "##전자", "##가", "탄소", "[UNK]", "[SEP]", "[PAD]"]
    words = merge_wordpieces(tokens, [9.0, 0.1, 0.5, 0.2, 0.7, 0.3, 9.0, 9.0])
    assert words == [("삼성전자가", 0.5), ("탄소", 0.7)]


def test_words_from_spans_uses_original_text() -> None:
    text = "LG전자, '탄소' 배출"
    # [CLS] LG ##전자 , ' 탄 ##소 ' 배출 [SEP]
    spans = [None, (0, 2), (2, 4), (4, 5), (6, 7), (7, 8), (8, 9), (9, 10), (11, 13), None]
    scores = [5.0, 0.1, 0.4, 0.0, 0.0, 0.2, 0.9, 0.0, 0.3, 5.0]
    assert words_from_spans(text, spans, scores) == [
        ("LG전자", 0.4), (",", 0.0), ("'", 0.0), ("탄소", 0.9), ("'", 0.0), ("배출", 0.3)
    ]


def test_choose_evidence_prefers_lexicon_words_then_high_scores() -> None:
    words = [("삼성전자가", 0.9), ("탄소", 0.1), ("위해", 5.0), ("줄였다", 0.8), ("2024", 9.0), (",", 9.0)]
    evidence = choose_evidence("E", words, "")
    assert evidence[0] == "탄소"  # lexicon term for E comes first, even with a low lens score
    assert "위해" not in evidence and "2024" not in evidence and "," not in evidence
    assert "삼성전자" in evidence
    assert len(evidence) <= 5


def test_choose_evidence_without_token_scores_uses_the_lexicon_only() -> None:
    assert choose_evidence("G", None, "이사회가 배당 확대를 결의") == ["이사회", "배당"]
    assert choose_evidence("FIN", None, "이사회가 배당 확대를 결의") == []


def test_reasoning_sentences_use_the_right_particle() -> None:
    assert category_reasoning("E", 0.93, ["탄소", "배출권"]) == (
        "'탄소', '배출권' 등 환경 관련 표현을 근거로 환경(E)으로 분류했습니다 (신뢰도 0.93)."
    )
    assert "사회(S)로 분류" in category_reasoning("S", 0.5, ["노조"])
    assert "지배구조(G)로 분류" in category_reasoning("G", 0.5, ["이사회"])
    assert "기타로 분류" in category_reasoning("기타", 0.4, [])
    assert "FIN(으)로 분류" in category_reasoning("FIN", 0.4, ["금리"])
    assert "키워드 규칙" in category_reasoning("E", 0.6, ["탄소"], rules=True)


def test_evidence_table_picks_present_words_by_weight(tmp_path) -> None:
    path = tmp_path / "evidence.json"
    table = {"환경": {"탄소": 2.0, "배출": 1.5, "배출권": 1.8, "RE100": 3.0, "폐수": 2.5, "탄소 중립": 2.2}}
    path.write_text(json.dumps({"version": 1, "labels": table}, ensure_ascii=False), "utf-8")
    evidence = EvidenceTable.load(path)
    assert evidence.has("E")  # label keys are canonicalised
    words = evidence.top_words("E", "삼성전자, re100 가입하고 탄소 중립 위해 배출권 거래")
    assert words == ["RE100", "탄소 중립", "배출권"]  # "탄소"/"배출" are inside words already chosen
    assert evidence.top_words("S", "탄소") == []


@pytest.mark.parametrize("content", ["{", '{"version": 2, "labels": {}}', '{"version": 1, "labels": {"E": 3}}'])
def test_evidence_table_rejects_malformed_files(tmp_path, content: str) -> None:
    path = tmp_path / "evidence.json"
    path.write_text(content, "utf-8")
    with pytest.raises(ValueError, match=r"evidence\.json"):
        EvidenceTable.load(path)
