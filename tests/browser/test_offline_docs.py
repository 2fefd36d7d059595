"""/docs, /redoc and /ui/ in headless Chromium with no route to the internet: every request stays on the server.

The browser reaches the server as `docs.test` (any other host name resolves to nothing), so pages render only
from what this server serves, and Swagger UI's localhost exemptions (its validator badge) do not apply.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from selenium.common.exceptions import TimeoutException
from selenium.webdriver import Chrome

from tests.browser.test_dashboard import css, wait
from tests.integration.apiserver import ApiServer

pytestmark = [pytest.mark.integration, pytest.mark.slow]

HOST = "docs.test"
OFFLINE = (f"--host-resolver-rules=MAP {HOST} 127.0.0.1, MAP * ~NOTFOUND",)

# page → (a CSS selector that exists only once the page has rendered the API or dashboard, an asset it loads)
PAGES = {
    "/docs": ('.opblock-summary-path[data-path="/api/v1/search/news"]', "/docs/assets/swagger-ui-bundle.js"),
    "/redoc": ('[data-section-id*="operation/"]', "/docs/assets/redoc.standalone.js"),
    "/ui/": (".watch-card", "/ui/js/app.js"),
}


def sent_requests(driver: Chrome) -> list[str]:
    """The URLs the page requested (DevTools `Network.requestWillBeSent`), less those its CSP stopped unsent."""
    requested: dict[str, str] = {}
    blocked: set[str] = set()
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        params = message["params"]
        if message["method"] == "Network.requestWillBeSent":
            requested[params["requestId"]] = params["request"]["url"]
        elif message["method"] == "Network.loadingFailed" and params.get("blockedReason") == "csp":
            blocked.add(params["requestId"])
    return [url for request_id, url in requested.items() if request_id not in blocked]


def foreign(urls: list[str], origin: str) -> list[str]:
    """The URLs that are neither on `origin` (blob: URLs included) nor `data:`."""
    return [u for u in urls if urlsplit(u).scheme != "data" and not u.removeprefix("blob:").startswith(origin + "/")]


@pytest.mark.parametrize("page", list(PAGES))
def test_page_renders_with_no_request_leaving_the_server(
    page: str, server: ApiServer, browser: Callable[..., Chrome]
) -> None:
    rendered, asset = PAGES[page]
    origin = f"http://{HOST}:{urlsplit(server.url).port}"
    driver = browser(extra_flags=OFFLINE, network_log=True)
    driver.get("about:blank")
    driver.get_log("performance")  # drop what Chrome's own start page loaded
    driver.get(origin + page)
    # A page that needs the internet never renders here; the network log below then says why.
    with contextlib.suppress(TimeoutException):
        wait(driver, lambda d: css(d, rendered), timeout=30)

    urls = sent_requests(driver)
    assert foreign(urls, origin) == [], f"{page} reached outside {origin}"
    assert origin + asset in urls  # the log saw the page's own requests: an empty log proves nothing
    assert css(driver, rendered), f"{page} did not render"
    if page == "/docs":
        assert not css(driver, ".errors-wrapper"), driver.find_element("css selector", ".errors-wrapper").text
    violations = [e["message"] for e in driver.get_log("browser") if "Content Security Policy" in e["message"]]
    assert all("cdn.redoc.ly/redoc/logo-mini.svg" in v for v in violations), violations
