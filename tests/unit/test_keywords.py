"""Korean keyword extraction keeps compounds whole and drops stop words and the company name."""

from __future__ import annotations

import pytest

from app.domain.keywords import KeywordExtractor


@pytest.fixture(scope="module")
def extractor() -> KeywordExtractor:
    return KeywordExtractor()


def test_compounds_and_latin_terms_stay_whole(extractor):
    [words] = extractor.nouns(["LG에너지솔루션, 폐배터리 재활용 공장 착공… RE100 달성 속도"])
    assert "폐배터리" in words
    assert "재활용" in words
    assert "RE100" in words
    assert "LG에너지솔루션" in words


def test_stop_words_and_particles_are_dropped(extractor):
    [words] = extractor.nouns(["[속보] 삼성전자가 오늘 탄소중립 계획을 발표했다"])
    assert "속보" not in words and "오늘" not in words and "발표" not in words
    assert "탄소중립" in words
    assert all(not w.endswith("가") for w in words)


def test_top_keywords_ranks_by_article_count_and_excludes_company(extractor):
    texts = ["삼성전자 탄소중립 선언", "삼성전자 탄소중립 로드맵 공개", "삼성전자 노조 파업"]
    top = extractor.top_keywords(texts, exclude=["삼성전자"], limit=3)
    assert top[0] == "탄소중립"
    assert "삼성전자" not in top
