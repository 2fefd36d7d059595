"""The dashboard at /ui in headless Chromium: search → list and charts, refresh with the key → history, phone width.

Screenshots go to the test's tmp dir; `UPDATE_SCREENSHOTS=1` writes them to docs/screenshots instead.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from selenium.webdriver import Chrome
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.browser.conftest import ADMIN_KEY
from tests.integration.apiserver import ApiServer, run_api

pytestmark = [pytest.mark.integration, pytest.mark.slow]

Start = Callable[..., Chrome]
D = "/api/v1/dashboard"


def wait(driver: Chrome, condition: Callable[[Chrome], Any], timeout: float = 60) -> Any:
    return WebDriverWait(driver, timeout, poll_frequency=0.1).until(condition)


def css(driver: Chrome, selector: str) -> list[Any]:
    return list(driver.find_elements(By.CSS_SELECTOR, selector))


def text_of(driver: Chrome, selector: str) -> str:
    return str(driver.find_element(By.CSS_SELECTOR, selector).text)


def open_dashboard(start: Start, server: ApiServer, width: int = 1366, height: int = 900) -> Chrome:
    driver = start(width, height)
    driver.get(f"{server.url}/ui")  # redirected to /ui/
    wait(driver, lambda d: css(d, ".watch-card"))
    wait(driver, lambda d: text_of(d, "#service-status").startswith("정상"))
    return driver


def search(driver: Chrome, company: str) -> None:
    box = driver.find_element(By.ID, "company-input")
    box.clear()
    box.send_keys(company)
    driver.find_element(By.ID, "search-button").click()
    wait(driver, lambda d: css(d, "#article-list li.article") and not d.find_element(By.ID, "results").get_attribute("hidden")
         and d.find_element(By.ID, "result-title").text.startswith(company))


def history_count(driver: Chrome) -> int:
    return int(driver.find_element(By.ID, "history-chart").get_attribute("data-count") or 0)


def js_errors(driver: Chrome) -> list[str]:
    """Console errors other than the expected 404s of companies without history."""
    return [e["message"] for e in driver.get_log("browser")
            if e["level"] == "SEVERE" and "Failed to load resource" not in e["message"]]


def tall_window(driver: Chrome, width: int) -> None:
    """As tall as the page, so element screenshots are not cut at the viewport."""
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(int(height) + 120, 6000))
    time.sleep(0.3)


def test_search_lists_articles_and_draws_both_charts(server: ApiServer, browser: Start, screenshots: Path) -> None:
    driver = open_dashboard(browser, server)
    assert driver.current_url == f"{server.url}/ui/"
    assert driver.title.startswith("ESG 뉴스 대시보드")
    cards = {c.get_attribute("data-company"): c.text for c in css(driver, ".watch-card")}
    assert {"삼성전자", "LG전자"} <= set(cards)

    search(driver, "삼성전자")
    expected = httpx.get(f"{server.url}{D}/companies/삼성전자/latest", timeout=10).json()
    news = expected["analyzed_news"]
    assert text_of(driver, "#result-title") == "삼성전자 분석 결과"

    # The list: first page of articles, each with a link, press, date, badges, confidence and evidence.
    items = css(driver, "#article-list li.article")
    assert len(items) == min(12, len(news)) > 0
    for item, article in zip(items, news, strict=False):
        assert item.get_attribute("data-id") == article["id"]
        link = item.find_element(By.CSS_SELECTOR, "a.title")
        assert link.text == article["title"] and link.get_attribute("href") == article["url"]
        assert link.get_attribute("target") == "_blank" and "noopener" in link.get_attribute("rel")
        assert article["news_source"] in item.find_element(By.CSS_SELECTOR, ".meta").text
        esg = item.find_element(By.CSS_SELECTOR, ".badge.esg").text
        assert esg.split()[0] == article["esg_classification"]["category"]
        assert item.find_element(By.CSS_SELECTOR, ".badge.sentiment").text == article["sentiment_analysis"]["label"]
        assert f"{round(article['esg_classification']['confidence'] * 100)}%" in item.find_element(
            By.CSS_SELECTOR, ".conf").text
        chips = [c.text for c in item.find_elements(By.CSS_SELECTOR, ".evidence .chip")]
        assert chips == article["esg_classification"]["evidence"][:8]
        dup = item.find_elements(By.CSS_SELECTOR, ".badge.dup")
        outlets = len({s["press"] or s["url"] for s in article["sources"]}) or 1
        if outlets > 1:
            assert dup and dup[0].text == f"{outlets}개 언론사"
        else:
            assert not dup
        sources = item.find_elements(By.CSS_SELECTOR, "details.sources")
        assert bool(sources) == (len(article["sources"]) > 1)
        if sources:  # one story card, its outlets behind a click
            assert not sources[0].find_element(By.CSS_SELECTOR, "ul").is_displayed()
            sources[0].find_element(By.CSS_SELECTOR, "summary").click()
            rows = sources[0].find_elements(By.CSS_SELECTOR, "li")
            assert len(rows) == len(article["sources"])
            assert [r.find_element(By.CSS_SELECTOR, "a").get_attribute("href") for r in rows] == [
                s["url"] for s in article["sources"]]
    assert any(len(a["sources"]) > 1 for a in news), "the archive should have stories several outlets reported"

    # Both charts (and the per-category one) drawn from the summary.
    summary = expected["summary"]
    bars = css(driver, "#esg-chart svg rect.bar")
    assert {b.get_attribute("data-label"): int(b.get_attribute("data-count")) for b in bars} == summary["esg_distribution"]
    assert all(b.size["height"] > 0 for b in bars if int(b.get_attribute("data-count")) > 0)
    slices = css(driver, "#sentiment-chart svg path.slice")
    drawn = {s.get_attribute("data-label"): int(s.get_attribute("data-count")) for s in slices}
    assert drawn == {k: v for k, v in summary["sentiment_distribution"].items() if v}
    assert css(driver, "#matrix-chart svg rect.seg")
    assert css(driver, "#sentiment-chart svg .center-label")[0].text == str(summary["total_analyzed"])

    # Exports, filters and "more".
    csv_link = driver.find_element(By.ID, "export-csv").get_attribute("href")
    assert unquote(csv_link).endswith(f"{D}/companies/삼성전자/export?format=csv")
    assert httpx.get(csv_link, timeout=10).content.startswith(b"\xef\xbb\xbf")
    Select(driver.find_element(By.ID, "filter-sentiment")).select_by_value("부정")
    negatives = [a for a in news if a["sentiment_analysis"]["label"] == "부정"]
    wait(driver, lambda d: len(css(d, "#article-list li.article[data-id]")) == min(12, len(negatives)))
    assert {b.text for b in css(driver, "#article-list .badge.sentiment")} <= {"부정"}
    Select(driver.find_element(By.ID, "filter-sentiment")).select_by_value("")
    if len(news) > 12:
        driver.find_element(By.CSS_SELECTOR, ".more-button").click()
        wait(driver, lambda d: len(css(d, "#article-list li.article")) == len(news))
    assert js_errors(driver) == []
    driver.execute_script("window.scrollTo(0, 0)")
    driver.set_window_size(1366, 1500)
    time.sleep(0.3)
    driver.save_screenshot(str(screenshots / "dashboard.png"))


def test_refresh_with_the_admin_key_updates_the_history(server: ApiServer, browser: Start, screenshots: Path) -> None:
    driver = open_dashboard(browser, server)
    search(driver, "삼성전자")
    card = '.watch-card[data-company="삼성전자"]'
    wait(driver, lambda d: "부정 비율" in text_of(d, card))  # the overview picked up the stored result
    driver.find_element(By.CSS_SELECTOR, f"{card} .history-button").click()
    wait(driver, lambda d: history_count(d) >= 1)
    before = history_count(driver)
    assert len(css(driver, "#history-chart svg g.snapshot")) == before
    assert len(css(driver, "#history-chart svg circle.negdot")) == before

    # A wrong key is checked before anything is queued, refused, forgotten, and asked for again.
    button = driver.find_element(By.ID, "admin-key-button")
    assert button.text == "관리자 키" and button.get_attribute("data-admin") == "no"
    driver.find_element(By.ID, "refresh-button").click()
    wait(driver, lambda d: d.find_element(By.ID, "key-dialog").get_attribute("open") is not None)
    driver.find_element(By.ID, "key-input").send_keys("not-the-key")
    driver.find_element(By.ID, "key-save").click()
    wait(driver, lambda d: "관리자 키가 올바르지 않습니다" in text_of(d, "#toast"))
    assert driver.find_element(By.ID, "task-progress").get_attribute("hidden") is not None  # nothing queued
    assert button.text == "관리자 키" and button.get_attribute("data-admin") == "no"  # never "✓" after a refusal
    assert driver.execute_script("return sessionStorage.length") == 0

    driver.find_element(By.ID, "refresh-button").click()
    wait(driver, lambda d: d.find_element(By.ID, "key-dialog").get_attribute("open") is not None)
    driver.find_element(By.ID, "key-input").send_keys(ADMIN_KEY)
    driver.find_element(By.ID, "key-save").click()
    wait(driver, lambda d: d.find_element(By.ID, "admin-key-button").get_attribute("data-admin") == "key")
    assert text_of(driver, "#admin-key-button") == "관리자 키 ✓"
    wait(driver, lambda d: not d.find_element(By.ID, "task-progress").get_attribute("hidden")
         and d.find_element(By.ID, "task-state-text").get_attribute("data-state") in ("PENDING", "STARTED", "SUCCESS"))
    wait(driver, lambda d: d.find_element(By.ID, "task-state-text").get_attribute("data-state") in ("SUCCESS", "FAILURE"),
         timeout=120)
    assert driver.find_element(By.ID, "task-state-text").get_attribute("data-state") == "SUCCESS"
    assert "완료" in text_of(driver, "#task-state-text")
    wait(driver, lambda d: history_count(d) == before + 1)
    assert len(css(driver, "#history-chart svg g.snapshot")) == before + 1
    assert driver.execute_script("return Object.values(sessionStorage)") == [ADMIN_KEY]
    assert driver.execute_script("return localStorage.length") == 0  # the key never outlives the tab
    history = httpx.get(f"{server.url}{D}/companies/삼성전자/history", timeout=10).json()
    assert history["count"] == before + 1
    wait(driver, lambda d: any(s in text_of(d, card) for s in ("▲", "▼", "→")))  # trend vs the previous snapshot
    assert js_errors(driver) == []
    tall_window(driver, 1366)
    driver.find_element(By.ID, "history-section").screenshot(str(screenshots / "dashboard-history.png"))
    driver.find_element(By.CSS_SELECTOR, ".watch-grid").screenshot(str(screenshots / "dashboard-watchlist.png"))


def test_an_analyst_labels_an_article(server: ApiServer, browser: Start) -> None:
    driver = open_dashboard(browser, server)
    driver.execute_script("sessionStorage.setItem('news-service.admin-key', arguments[0])", ADMIN_KEY)
    search(driver, "LG전자")
    first = css(driver, "#article-list li.article")[0]
    article_id = first.get_attribute("data-id")
    title = first.find_element(By.CSS_SELECTOR, "a.title").text
    first.find_element(By.CSS_SELECTOR, ".label-button").click()
    wait(driver, lambda d: d.find_element(By.ID, "label-dialog").get_attribute("open") is not None)
    Select(driver.find_element(By.ID, "label-category")).select_by_value("G")
    Select(driver.find_element(By.ID, "label-sentiment")).select_by_value("부정")
    driver.find_element(By.ID, "label-note").send_keys("이사회 논란")
    driver.find_element(By.CSS_SELECTOR, "#label-form button[type=submit]").click()
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, f'li.article[data-id="{article_id}"] .badge.labeled'))
    labels = httpx.get(f"{server.url}{D}/feedback", headers={"X-API-Key": ADMIN_KEY}, timeout=10).json()["labels"]
    mine = next(label for label in labels if label["article_id"] == article_id)
    assert (mine["category"], mine["sentiment"], mine["note"], mine["company"]) == ("G", "부정", "이사회 논란", "LG전자")
    exported = httpx.get(f"{server.url}{D}/feedback/export", headers={"X-API-Key": ADMIN_KEY}, timeout=10)
    assert any(json.loads(line)["title"] == title for line in exported.text.splitlines())


def test_phone_width_fits_without_horizontal_scrolling(server: ApiServer, browser: Start, screenshots: Path) -> None:
    driver = open_dashboard(browser, server, 390, 844)
    search(driver, "삼성전자")
    driver.find_element(By.CSS_SELECTOR, '.watch-card[data-company="삼성전자"] .history-button').click()
    wait(driver, lambda d: history_count(d) >= 1)
    viewport = driver.execute_script("return document.documentElement.clientWidth")
    assert viewport <= 390
    assert driver.execute_script("return document.documentElement.scrollWidth") <= viewport
    for selector in ("#search-form", "#esg-chart svg", "#sentiment-chart svg", "#matrix-chart svg",
                     "#article-list li.article", ".watch-card", "#history-chart svg"):
        for element in css(driver, selector):
            box = driver.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.left, r.right]",
                                        element)
            assert box[0] >= 0 and box[1] <= viewport + 0.5, (selector, box, viewport)
    charts = [driver.find_element(By.CSS_SELECTOR, f"{c} svg") for c in ("#esg-chart", "#sentiment-chart")]
    assert all(c.size["width"] > 250 for c in charts)  # one chart per row, full width
    assert len({c.location["y"] for c in charts}) == 2
    assert js_errors(driver) == []
    driver.execute_script("window.scrollTo(0, 0)")
    driver.save_screenshot(str(screenshots / "dashboard-phone.png"))
    driver.execute_script("document.getElementById('sentiment-chart').scrollIntoView()")
    time.sleep(0.2)
    driver.save_screenshot(str(screenshots / "dashboard-phone-charts.png"))


def test_empty_and_error_states(server: ApiServer, browser: Start) -> None:
    driver = open_dashboard(browser, server)
    search(driver, "삼성전자")  # a result on screen first: nothing of it may stay behind
    box = driver.find_element(By.ID, "company-input")
    box.clear()
    box.send_keys("없는회사가나다")
    driver.find_element(By.ID, "search-button").click()
    wait(driver, lambda d: d.find_element(By.ID, "result-empty").is_displayed())
    assert "'없는회사가나다' 뉴스를 찾지 못했습니다." in text_of(driver, "#result-empty")
    wait(driver, lambda d: css(d, "#result-empty .covered button"))
    covered = [b.text for b in css(driver, "#result-empty .covered button")]
    source = httpx.get(f"{server.url}/api/v1/system/source", timeout=10).json()
    assert covered == [c["company"] for c in source["archive"]["companies"]] and len(covered) >= 60
    assert "오프라인 아카이브" in text_of(driver, "#result-empty")
    for hidden in ("result-body", "export-csv", "export-json"):  # no zeros, no charts, nothing to export
        assert not driver.find_element(By.ID, hidden).is_displayed(), hidden
    assert css(driver, "#article-list li") == []
    # A covered company is one click away.
    css(driver, "#result-empty .covered button")[0].click()
    wait(driver, lambda d: d.find_element(By.ID, "result-body").is_displayed()
         and text_of(d, "#result-title") == f"{covered[0]} 분석 결과")
    # Never analysed with news: not offered among recent companies either.
    assert "없는회사가나다" not in [li.get_attribute("data-company") for li in css(driver, "#recent-list li")]

    # Past the input's maxlength (set from script): the API's 422 becomes a Korean error with its detail.
    driver.execute_script("document.getElementById('company-input').value = '가'.repeat(150)")
    driver.find_element(By.ID, "search-button").click()
    wait(driver, lambda d: "error" in d.find_element(By.ID, "search-state").get_attribute("class"))
    message = text_of(driver, "#search-state")
    assert message.startswith("입력값을 확인해 주세요.") and "at most 100 characters" in message
    assert driver.find_element(By.ID, "search-button").is_enabled()


def test_watch_list_is_managed_and_recent_companies_are_apart(server: ApiServer, browser: Start, screenshots: Path) -> None:
    driver = open_dashboard(browser, server)
    watched = {c.get_attribute("data-company") for c in css(driver, ".watch-card")}
    search(driver, "SK하이닉스")
    wait(driver, lambda d: "SK하이닉스" in [li.get_attribute("data-company") for li in css(d, "#recent-list li")])
    assert {c.get_attribute("data-company") for c in css(driver, ".watch-card")} == watched  # not a watch card
    assert text_of(driver, "#watch-toggle") == "관심 추가"

    css(driver, '#recent-list li[data-company="SK하이닉스"] .watch-button')[0].click()
    wait(driver, lambda d: d.find_element(By.ID, "key-dialog").get_attribute("open") is not None)
    driver.find_element(By.ID, "key-input").send_keys(ADMIN_KEY)
    driver.find_element(By.ID, "key-save").click()
    card = '.watch-card[data-company="SK하이닉스"]'
    wait(driver, lambda d: css(d, card))
    assert "SK하이닉스" not in [li.get_attribute("data-company") for li in css(driver, "#recent-list li")]
    assert "SK하이닉스" in httpx.get(f"{server.url}{D}/companies", timeout=10).json()["watchlist"]
    assert "%" in text_of(driver, f"{card} .share")
    tall_window(driver, 1366)
    driver.find_element(By.CSS_SELECTOR, ".watch-grid").screenshot(str(screenshots / "dashboard-watchlist.png"))

    css(driver, f"{card} .unwatch-button")[0].click()
    wait(driver, lambda d: not css(d, card))
    assert "SK하이닉스" not in httpx.get(f"{server.url}{D}/companies", timeout=10).json()["watchlist"]
    wait(driver, lambda d: "SK하이닉스" in [li.get_attribute("data-company") for li in css(d, "#recent-list li")])
    assert js_errors(driver) == []


def test_every_screen_shows_the_latest_analysis(server: ApiServer, browser: Start) -> None:
    driver = open_dashboard(browser, server)
    card = '.watch-card[data-company="LG전자"]'
    counts = {}
    for size in ("20", "50", "20"):  # the last one is a cache hit of the first
        Select(driver.find_element(By.ID, "max-results")).select_by_value(size)
        search(driver, "LG전자")
        shown = httpx.get(f"{server.url}{D}/companies/LG전자/latest", timeout=10).json()
        counts.setdefault(size, shown["analysis_metadata"]["analyzed_count"])
        stories = f"{shown['analysis_metadata']['analyzed_count']}건"
        assert f"분석 사건\n{stories}" in text_of(driver, "#kpis")
        wait(driver, lambda d, stories=stories: text_of(d, f"{card} .articles") == stories)
    assert counts["20"] != counts["50"]
    listed = httpx.get(f"{server.url}{D}/companies", timeout=10).json()["companies"]
    entry = next(c for c in listed if c["company"] == "LG전자")
    assert entry["articles"] == counts["20"] and entry["max_results"] == 20
    assert text_of(driver, f"{card} .share") == f"{entry['negative_ratio'] * 100:.1f}%"


def test_labels_colours_and_source_are_explained(server: ApiServer, browser: Start) -> None:
    driver = open_dashboard(browser, server)
    assert "오프라인 아카이브" in text_of(driver, "#service-status")
    search(driver, "삼성전자")
    conf = text_of(driver, "#article-list li.article .conf")
    assert conf.startswith("분류 신뢰도 ") and " · 감성 신뢰도 " in conf
    colours = {
        label: driver.execute_script(
            "const b = document.createElement('span'); b.className = 'badge sentiment bg-' + arguments[0];"
            "document.body.append(b); const c = getComputedStyle(b).backgroundColor; b.remove(); return c;", label)
        for label in ("긍정", "중립", "부정")
    }
    assert colours == {"긍정": "rgb(22, 163, 74)", "중립": "rgb(148, 163, 184)", "부정": "rgb(220, 38, 38)"}
    legend = text_of(driver, ".sentiment-legend")
    assert all(label in legend for label in ("긍정", "중립", "부정"))


@pytest.fixture(scope="module")
def keyless_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    """`make run`'s set-up: no ADMIN_API_KEY, the browser on the server's own machine (loopback)."""
    env = {"NEWS_SOURCE": "archive", "MONITORED_COMPANIES": "삼성전자,LG전자", "MODEL_NAME": "missing-on-purpose"}
    with run_api(env, tmp_path_factory.mktemp("keyless")) as api:
        yield api


def test_local_run_needs_no_key_and_says_so(keyless_server: ApiServer, browser: Start) -> None:
    driver = open_dashboard(browser, keyless_server)
    wait(driver, lambda d: d.find_element(By.ID, "admin-key-button").get_attribute("data-admin") == "loopback")
    assert text_of(driver, "#admin-key-button") == "관리자 ✓ (이 컴퓨터)"
    driver.find_element(By.CSS_SELECTOR, '.watch-card[data-company="삼성전자"] .history-button').click()
    driver.find_element(By.ID, "refresh-button").click()
    wait(driver, lambda d: d.find_element(By.ID, "task-state-text").get_attribute("data-state") in ("SUCCESS", "FAILURE"),
         timeout=120)
    assert driver.find_element(By.ID, "key-dialog").get_attribute("open") is None  # never asked for a key
    assert driver.find_element(By.ID, "task-state-text").get_attribute("data-state") == "SUCCESS"
    # A proxied call is not "this machine", even from loopback.
    proxied = httpx.post(f"{keyless_server.url}{D}/companies/삼성전자/trigger", headers={"X-Forwarded-For": "203.0.113.9"},
                         timeout=10)
    assert proxied.status_code == 403
