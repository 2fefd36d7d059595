"""Keyword fallback: categories, sentiment with negation, confidence bounds, output shape."""

from __future__ import annotations

import pytest

from app.domain.models import Article
from app.ml.fallback import NO_KEYWORD_CONFIDENCE, KeywordClassifier
from app.ml.lexicon import CATEGORY_TERMS, SENTIMENT_TERMS


@pytest.fixture(scope="module")
def rules() -> KeywordClassifier:
    return KeywordClassifier(reason="model set 'demo' not usable (models/demo_category: directory missing)")


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("포스코, 온실가스 감축 위해 수소환원제철 투자… 탄소중립 속도", "E"),
        ("화학공장 폐수 무단 방류 적발, 하천 오염 확산", "E"),
        ("건설 현장 추락 사망사고… 중대재해처벌법 적용 검토", "S"),
        ("노조, 임금 협상 결렬에 파업 예고", "S"),
        ("고객 개인정보 수십만 건 해킹 피해", "S"),
        ("이사회, 사외이사 3명 신규 선임… 주주총회 안건 확정", "G"),
        ("전 대표 횡령·배임 혐의로 기소", "G"),
        ("신형 스마트폰 출시, 판매 호조에 분기 매출 증가", "기타"),
    ],
)
def test_categories(rules: KeywordClassifier, text: str, category: str) -> None:
    result = rules.analyze(text).esg_classification
    assert result.category == category
    assert result.evidence, "matched keywords are the evidence"
    assert all(word.casefold() in text.casefold() for word in result.evidence)
    assert result.reasoning.endswith(").") and "분류했습니다" in result.reasoning


def test_no_keyword_gives_other_and_neutral_with_low_confidence(rules: KeywordClassifier) -> None:
    result = rules.analyze("오늘 서울은 대체로 맑겠습니다")
    assert result.esg_classification.category == "기타"
    assert result.esg_classification.confidence == NO_KEYWORD_CONFIDENCE
    assert result.esg_classification.evidence == []
    assert result.sentiment_analysis.label == "중립"
    assert result.sentiment_analysis.confidence < 0.5


def test_weak_hints_alone_do_not_make_an_esg_label(rules: KeywordClassifier) -> None:
    assert rules.analyze("에너지 관련 행사").esg_classification.category == "기타"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("친환경 인증 획득하며 호평, 목표 조기 달성", "긍정"),
        ("공장 화재로 근로자 부상, 생산 차질 우려", "부정"),
        ("개인정보 유출 논란 해소", "긍정"),
        ("그린워싱 우려 불식", "긍정"),
        ("적자 탈출에 성공", "긍정"),
        ("해외 수주 무산", "부정"),
        ("성장 둔화 전망", "부정"),
        ("공장 무사고 1000일 달성", "긍정"),
        ("주주총회 개최 예정", "중립"),
    ],
)
def test_sentiment_with_negation(rules: KeywordClassifier, text: str, label: str) -> None:
    assert rules.analyze(text).sentiment_analysis.label == label


def test_mixed_signals_are_neutral(rules: KeywordClassifier) -> None:
    result = rules.analyze("실적 개선 성공했지만 소송 논란").sentiment_analysis
    assert result.label == "중립"


def test_scores_sum_to_one_and_confidence_is_bounded(rules: KeywordClassifier) -> None:
    texts = [
        "탄소 " * 50 + "달성 " * 50,
        "논란 사고 위반 과징금 적발 횡령 배임 비리 구속 기소 " * 10,
        "",
        "이사회 배당 주주 지분 감사위원 공정위",
    ]
    for result in rules.predict(texts):
        scores = result.sentiment_analysis.scores
        assert set(scores) == {"positive", "neutral", "negative"}
        assert sum(scores.values()) == pytest.approx(1.0)
        assert 0 < result.sentiment_analysis.confidence < 1
        assert 0 < result.esg_classification.confidence < 0.9


def test_confidence_grows_with_the_margin(rules: KeywordClassifier) -> None:
    clear = rules.analyze("탄소 배출 온실가스 재생에너지 RE100").esg_classification
    mixed = rules.analyze("탄소 배출 노조 파업").esg_classification
    assert clear.confidence > mixed.confidence


def test_longest_keyword_wins_over_the_one_inside_it(rules: KeywordClassifier) -> None:
    result = rules.analyze("무재해 기록")
    assert result.esg_classification.evidence == ["무재해"]
    assert result.sentiment_analysis.label == "긍정"


def test_lexicons_are_rich_enough() -> None:
    for label in ("E", "S", "G"):
        assert len(CATEGORY_TERMS[label]) >= 40
    assert len(SENTIMENT_TERMS["긍정"]) >= 30 and len(SENTIMENT_TERMS["부정"]) >= 30


async def test_classify_articles_and_info(rules: KeywordClassifier) -> None:
    articles = [
        Article(id=str(i), title=t, description="", url=f"https://x/{i}", naver_url="", published_date=None,
                news_source="x")
        for i, t in enumerate(["탄소 배출 감축", "노조 파업"])
    ]
    results = (await rules.classify(articles)).results
    assert [r.esg_classification.category for r in results] == ["E", "S"]
    info = rules.info()
    assert info.ml_service_status == "keyword_fallback"
    assert info.reason is not None and "demo" in info.reason
