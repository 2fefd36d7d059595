"""Near-duplicate removal groups copies of a story and keeps the most informative one."""

from __future__ import annotations

import pytest

from app.domain.dedup import deduplicate
from tests.conftest import make_article


def test_groups_reworded_copies_and_counts_them(articles):
    result = deduplicate(articles, 0.75)

    titles = [a.title for a in result.items]
    assert result.original_count == 6
    assert result.duplicates_removed == 2
    assert len(titles) == 4
    re100 = next(a for a in result.items if "RE100" in a.title)
    assert re100.duplicate_count == 1
    assert next(a for a in result.items if "하이닉스" in a.title).duplicate_count == 0


def test_keeps_source_order_of_first_copy(articles):
    result = deduplicate(articles, 0.75)
    assert "RE100" in result.items[0].title
    assert "LG전자" in result.items[1].title
    assert "하이닉스" in result.items[-1].title


def test_representative_is_the_most_informative_copy():
    short = make_article("카카오, 개인정보 유출 과징금", "")
    long = make_article("카카오 개인정보 유출에 과징금", "개인정보보호위원회가 카카오에 과징금 151억 원을 부과했다. 역대 최대 규모다.")
    result = deduplicate([short, long], 0.6)
    assert len(result.items) == 1
    assert result.items[0].id == long.id
    assert result.items[0].duplicate_count == 1


def test_exact_url_duplicates_are_removed_even_when_titles_differ():
    a = make_article("제목 하나", url="https://www.hankyung.com/article/1")
    b = make_article("완전히 다른 제목", url="https://hankyung.com/article/1/")
    result = deduplicate([a, b], 0.99)
    assert len(result.items) == 1
    assert result.items[0].duplicate_count == 1


def test_similar_headlines_with_different_leads_are_kept_apart():
    up = make_article("삼성전자 주가 상승 마감", "외국인 순매수에 반도체 업황 기대가 겹치며 3% 올랐다.")
    down = make_article("삼성전자 주가 하락 마감", "기관 매도와 환율 상승 여파로 2% 내렸다.")
    assert len(deduplicate([up, down], 0.75).items) == 2


def test_a_headline_is_not_a_duplicate_of_a_longer_different_one():
    a = make_article("삼성전자 실적 발표", "")
    b = make_article("삼성전자 실적 발표 연기 결정에 시장 술렁", "")
    assert len(deduplicate([a, b], 0.75).items) == 2


def test_threshold_one_keeps_everything_but_url_copies(articles):
    assert len(deduplicate(articles, 1.0).items) == 6


def test_lower_threshold_merges_more(articles):
    assert len(deduplicate(articles, 0.3).items) <= len(deduplicate(articles, 0.75).items)


def test_empty_and_invalid_threshold():
    assert deduplicate([], 0.75).items == []
    with pytest.raises(ValueError):
        deduplicate([], 1.5)


def test_wire_copy_under_a_new_headline_is_a_duplicate():
    lead = "삼성전자 지분을 보유한 행동주의 펀드가 이사회에 감사위원 분리 선출과 자사주 소각을 요구하는 주주제안 서한을 보냈다."
    a = make_article('삼성전자, 행동주의 펀드 주주제안에 "검토 중"', lead)
    b = make_article('행동주의 펀드, 삼성전자에 주주제안…"이사회 구성 바꿔야"', lead + " 삼성전자는 검토 중이라고 밝혔다.")
    result = deduplicate([a, b], 0.75)
    assert len(result.items) == 1
    assert result.items[0].id == b.id


def test_short_identical_leads_alone_do_not_merge():
    a = make_article("삼성전자 1분기 실적 발표", "삼성전자가 발표했다.")
    b = make_article("LG전자 신제품 공개 행사 개최", "삼성전자가 발표했다.")
    assert len(deduplicate([a, b], 0.75).items) == 2


def test_template_headlines_with_different_figures_are_different_stories():
    a = make_article("삼성전자 분기배당 주당 3,700원…전년 대비 확대", "삼성전자가 분기배당을 결정했다.")
    b = make_article("SK하이닉스 분기배당 주당 3,250원…전년 대비 확대", "SK하이닉스가 분기배당을 결정했다.")
    c = make_article("[속보] 삼성전자 분기배당 주당 3700원…전년 대비 확대", "삼성전자가 분기배당을 결정했다고 밝혔다.")
    result = deduplicate([a, b, c], 0.75)
    assert len(result.items) == 2
    assert {x.duplicate_count for x in result.items} == {1, 0}


def test_a_shared_year_does_not_make_figures_match():
    a = make_article("쿠팡, 2027년까지 주주환원율 49%로", "쿠팡이 기업가치 제고 계획을 공시했다.")
    b = make_article("카카오, 2027년까지 주주환원율 20%로", "카카오가 기업가치 제고 계획을 공시했다.")
    assert len(deduplicate([a, b], 0.6).items) == 2
