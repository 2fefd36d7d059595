"""Press name from the article URL's domain."""

from __future__ import annotations

import pytest

from app.adapters.press import PRESS_BY_DOMAIN, UNKNOWN_PRESS, press_name


def test_table_covers_many_outlets() -> None:
    assert len(set(PRESS_BY_DOMAIN.values())) >= 70


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.chosun.com/economy/2024/01/01/ABC/", "조선일보"),
        ("https://www.hankyung.com/article/2024010112345", "한국경제"),
        ("https://www.mk.co.kr/news/business/10912345", "매일경제"),
        ("https://www.yna.co.kr/view/AKR20240101000100003", "연합뉴스"),
        ("https://www.sedaily.com/NewsView/29XYZ", "서울경제"),
        ("https://www.etnews.com/20240101000001", "전자신문"),
        ("https://zdnet.co.kr/view/?no=20240101", "지디넷코리아"),
        ("https://www.news1.kr/articles/5300000", "뉴스1"),
        ("https://www.esgeconomy.com/news/articleView.html?idxno=1", "ESG경제"),
        ("https://www.impacton.net/news/articleView.html?idxno=1", "임팩트온"),
        ("https://www.energy-news.co.kr/news/articleView.html?idxno=1", "에너지신문"),
        ("https://www.kmib.co.kr/article/view.asp?arcid=1", "국민일보"),
    ],
)
def test_known_outlets(url: str, expected: str) -> None:
    assert press_name(url) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://biz.chosun.com/it-science/2024/01/01/X/", "조선비즈"),
        ("https://m.biz.chosun.com/it-science/2024/01/01/X/", "조선비즈"),
        ("https://m.chosun.com/economy/2024/01/01/X/", "조선일보"),
        ("https://biz.heraldcorp.com/view.php?ud=1", "헤럴드경제"),
        ("https://news.heraldcorp.com/view.php?ud=1", "헤럴드경제"),
        ("https://imnews.imbc.com/news/2024/econo/article/1_1.html", "MBC"),
        ("https://news.kbs.co.kr/news/view.do?ncd=1", "KBS"),
        ("https://m.mk.co.kr/news/business/1", "매일경제"),
        ("https://moneys.mt.co.kr/news/mwView.php?no=1", "머니S"),
        ("https://news.mt.co.kr/mtview.php?no=1", "머니투데이"),
        ("HTTPS://WWW.HANKYUNG.COM./article/1", "한국경제"),
    ],
)
def test_subdomains_map_to_their_outlet(url: str, expected: str) -> None:
    assert press_name(url) == expected


def test_unknown_domain_is_the_host_without_www() -> None:
    assert press_name("https://www.some-local-press.co.kr/news/1") == "some-local-press.co.kr"
    assert press_name("https://news.some-local-press.co.kr/1") == "news.some-local-press.co.kr"


def test_suffix_match_does_not_cross_label_boundaries() -> None:
    # "notchosun.com" ends with "chosun.com" as a string but is another site.
    assert press_name("https://www.notchosun.com/1") == "notchosun.com"


@pytest.mark.parametrize("url", ["", "garbage", "http://", "http://[::1", "/relative/path"])
def test_garbage_url(url: str) -> None:
    assert press_name(url) == UNKNOWN_PRESS
