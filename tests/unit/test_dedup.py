"""Story folding: re-reports of one event fold into one story; look-alike events stay apart."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from app.domain.dedup import assign_stories, cluster, deduplicate
from app.domain.story_features import parse_figure
from app.domain.story_metrics import FoldScore, load_pages, score_page
from tests.conftest import make_article

DEV_PAGES = Path(__file__).resolve().parents[2] / "data" / "stories" / "dev"


def test_groups_reworded_copies_and_counts_them(articles):
    result = deduplicate(articles, 0.75)

    assert result.original_count == 6
    assert result.duplicates_removed == 2
    assert len(result.items) == 4
    re100 = next(a for a in result.items if "RE100" in a.title)
    assert re100.duplicate_count == 1
    assert len(re100.sources) == 2
    assert next(a for a in result.items if "하이닉스" in a.title).duplicate_count == 0


def test_keeps_source_order_of_first_copy(articles):
    result = deduplicate(articles, 0.75)
    assert "RE100" in result.items[0].title
    assert "LG전자" in result.items[1].title
    assert "하이닉스" in result.items[-1].title


def test_a_story_lists_every_source_oldest_first_with_its_time_span():
    wire = make_article("LG화학 여수공장 폐수 무단 방류 적발…과징금 1,628억원",
                        "LG화학 여수공장이 폐수 처리시설을 거치지 않은 폐수를 무단 방류하다 적발돼 과징금 1,628억원을 물게 됐다.",
                        hours_ago=30)
    daily = make_article("'폐수 몰래 버렸다' LG화학에 1천628억 과징금",
                         "환경부는 LG화학 여수공장의 폐수 무단 방류에 과징금 1천628억원을 부과했다고 밝혔다.", hours_ago=24)
    paper = make_article("여수산단 폐수 방류 LG화학, 역대 최대 1628억원 과징금",
                         "LG화학이 여수공장 폐수 무단 방류로 1628억 원의 과징금을 부과받았다. 환경부 처분 가운데 역대 최대다.",
                         hours_ago=6)
    result = deduplicate([paper, daily, wire], 0.75, query="LG화학")
    assert len(result.items) == 1
    story = result.items[0]
    assert story.duplicate_count == 2
    assert [s.url for s in story.sources] == [wire.url, daily.url, paper.url]
    assert story.first_published == wire.published_date
    assert story.last_published == paper.published_date


def test_representative_is_the_most_informative_copy():
    short = make_article("카카오, 개인정보 유출 과징금 151억", "")
    long = make_article("카카오 개인정보 유출에 과징금 151억",
                        "개인정보보호위원회가 카카오에 과징금 151억 원을 부과했다. 역대 최대 규모다.")
    result = deduplicate([short, long], 0.6, query="카카오")
    assert len(result.items) == 1
    assert result.items[0].id == long.id
    assert result.items[0].duplicate_count == 1


def test_exact_url_duplicates_are_removed_even_when_titles_differ():
    a = make_article("제목 하나", url="https://www.hankyung.com/article/1")
    b = make_article("완전히 다른 제목", url="https://hankyung.com/article/1/")
    result = deduplicate([a, b], 0.99)
    assert len(result.items) == 1
    assert result.items[0].duplicate_count == 1
    assert len(result.items[0].sources) == 1


def test_opposite_moves_on_different_days_are_different_stories():
    up = make_article("삼성전자 주가 상승 마감", "외국인 순매수에 반도체 업황 기대가 겹치며 3% 올랐다.", hours_ago=30)
    down = make_article("삼성전자 주가 하락 마감", "기관 매도와 환율 상승 여파로 2% 내렸다.")
    assert len(deduplicate([up, down], 0.75, query="삼성전자").items) == 2


def test_a_headline_is_not_a_duplicate_of_a_longer_different_one():
    a = make_article("삼성전자 실적 발표", "")
    b = make_article("삼성전자 실적 발표 연기 결정에 시장 술렁", "")
    assert len(deduplicate([a, b], 0.75, query="삼성전자").items) == 2


def test_second_and_third_quarter_results_are_different_stories():
    q2 = make_article("현대차 2분기 영업이익 3조6천억원…전년 대비 16% 감소",
                      "현대차가 2분기 영업이익 3조6016억원을 기록했다고 24일 밝혔다.", hours_ago=20)
    q3 = make_article("현대차 3분기 영업이익 2조5천억원…관세 여파 29% 감소",
                      "현대차가 3분기 영업이익 2조5373억원을 기록했다고 30일 밝혔다.")
    assert len(deduplicate([q2, q3], 0.75, query="현대차").items) == 2


def test_a_strike_announced_and_the_strike_settled_are_different_stories():
    announced = make_article("기아 노조, 부분파업 돌입 예고…임금협상 결렬",
                             "기아 노조가 임금협상 결렬을 선언하고 다음 주 부분파업에 들어가겠다고 밝혔다.", hours_ago=24 * 12)
    settled = make_article("기아 노사, 임금협상 잠정 합의…파업 철회",
                           "기아 노사가 밤샘 교섭 끝에 임금협상 잠정합의안을 마련하고 노조는 파업을 철회했다.")
    assert len(deduplicate([announced, settled], 0.75, query="기아").items) == 2


def test_a_fine_and_a_ruling_on_an_older_fine_are_different_stories():
    fine = make_article("공정위, 쿠팡에 과징금 1,628억원…검색 순위 조작",
                        "공정거래위원회가 자체 브랜드 상품을 검색 상위에 올린 쿠팡에 과징금 1,628억원을 부과했다.",
                        hours_ago=24 * 9)
    ruling = make_article("법원, 쿠팡 '갑질' 과징금 33억 취소 판결",
                          "서울고법은 쿠팡이 납품업체에 부당하게 광고를 강요했다며 공정위가 2021년 부과한 과징금 33억원을 취소하라고 판결했다.")
    assert len(deduplicate([fine, ruling], 0.75, query="쿠팡").items) == 2


def test_figures_in_other_notations_are_the_same_figure():
    assert parse_figure("1,628억원") == parse_figure("1천628억원") == parse_figure("1628억 원")
    two = parse_figure("2조5373억원")
    other = parse_figure("2.54조원")
    assert two is not None and other is not None and two.matches(other)
    assert parse_figure("3분기") == parse_figure("3Q")
    assert parse_figure("37%") == parse_figure("37퍼센트")
    assert parse_figure("2027년") is None  # a year is context, not a fact of the event


def test_a_shared_year_does_not_count_as_a_shared_figure():
    a = make_article("쿠팡, 2027년까지 주주환원율 49%로", "쿠팡이 기업가치 제고 계획을 공시했다.")
    b = make_article("쿠팡, 2027년까지 물류센터 3곳 신설", "쿠팡이 물류 투자 계획을 밝혔다.")
    assert len(deduplicate([a, b], 0.75, query="쿠팡").items) == 2


def test_no_chaining_every_member_stays_close_to_its_story():
    # a ~ b and b ~ c, but a and c have nothing in common: b joins one of them, never both.
    similarity = np.array([[1.0, 0.95, 0.0], [0.95, 1.0, 0.9], [0.0, 0.9, 1.0]])
    stories = cluster(similarity, 0.75)
    assert stories[0] != stories[2]
    assert stories[0] == stories[1]


def test_threshold_one_keeps_everything_but_url_copies(articles):
    assert len(deduplicate(articles, 1.0).items) == 6


def test_lower_threshold_merges_more(articles):
    assert len(deduplicate(articles, 0.3).items) <= len(deduplicate(articles, 0.75).items)


def test_empty_and_invalid_threshold():
    assert deduplicate([], 0.75).items == []
    with pytest.raises(ValueError):
        deduplicate([], 1.5)


@pytest.mark.parametrize("title, description", [
    ("&quot;삼성전자&quot; &amp; SK하이닉스 &lt;HBM&gt; 공급", "&apos;HBM&apos; 공급 계약"),
    ("LG전자 신제품 공개", ""),
    ("삼성전자 🚀 주가 급등 😀", "🚀🚀🚀"),
    ("Samsung Electronics Q3 earnings beat estimates", "Samsung posted operating profit of 12.1 trillion won."),
    ("2025 3 4 1,628", "12.5 37 0.16"),
    ("   ", ""),
])
def test_awkward_pages_fold_without_errors(title, description):
    items = [make_article(title, description), make_article(title, description), make_article("다른 기사", "본문")]
    result = deduplicate(items, 0.75, query="삼성전자")
    assert 1 <= len(result.items) <= 3
    assert sum(1 + a.duplicate_count for a in result.items) == 3


def test_dev_pages_fold_their_rereports_and_lose_no_story():
    """The labeled dev pages (data/stories/dev): the figures docs/stories.md reports."""
    total = FoldScore()
    for page in load_pages(DEV_PAGES):
        total.add(score_page(page, assign_stories(page.articles, 0.75, page.query)))
    assert total.stories >= 100 and total.true_pairs + total.missed_pairs >= 300
    assert total.hard_pairs >= 100
    assert total.folded_share >= 0.85
    assert total.precision >= 0.95
    assert total.stories_lost == 0
