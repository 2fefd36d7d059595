"""Headless Chromium (Debian `chromium` + `chromium-driver`) against a real `news-service serve` process."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.integration.apiserver import ROOT, ApiServer, run_api

CHROMIUM = os.environ.get("CHROMIUM_BINARY", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
ADMIN_KEY = "browser-test-admin-key"
FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
    "--lang=ko-KR", "--force-device-scale-factor=1", "--hide-scrollbars",
)


def _require_chromium() -> None:
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not Path(path).exists()]
    if not missing:
        return
    message = (f"browser tests need {' and '.join(missing)}: apt-get install chromium chromium-driver "
               "(.ci/run does this when they are missing)")
    if os.environ.get("SKIP_BROWSER_TESTS") == "1":
        pytest.skip(message)
    pytest.fail(message)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    """The API in embedded mode with the offline archive and an admin key (a fresh process per module)."""
    _require_chromium()
    env = {"NEWS_SOURCE": "archive", "ADMIN_API_KEY": ADMIN_KEY, "MONITORED_COMPANIES": "삼성전자,LG전자"}
    with run_api(env, tmp_path_factory.mktemp("browser")) as api:
        yield api


@pytest.fixture
def browser() -> Iterator[Callable[..., object]]:
    """A factory of Chrome sessions (width, height, extra flags, network log), fresh profiles, all quit after."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    _require_chromium()
    drivers: list[webdriver.Chrome] = []
    profiles: list[str] = []

    def start(
        width: int = 1366, height: int = 900, *, extra_flags: tuple[str, ...] = (), network_log: bool = False
    ) -> webdriver.Chrome:
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in (*FLAGS, *extra_flags):
            options.add_argument(flag)
        profile = tempfile.mkdtemp(prefix="news-ui-")
        profiles.append(profile)
        options.add_argument(f"--user-data-dir={profile}")
        options.add_argument(f"--window-size={width},{height}")
        # The performance log holds every DevTools network event (read with get_log("performance")).
        logs = {"browser": "ALL", **({"performance": "ALL"} if network_log else {})}
        options.set_capability("goog:loggingPrefs", logs)
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        driver.set_page_load_timeout(30)
        drivers.append(driver)
        if width < 500:  # Chrome windows are at least 500 px wide: emulate a phone's viewport instead
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                "width": width, "height": height, "deviceScaleFactor": 1, "mobile": True,
            })
        return driver

    try:
        yield start
    finally:
        for driver in drivers:
            driver.quit()
        for profile in profiles:
            shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    """Where screenshots go: docs/screenshots with UPDATE_SCREENSHOTS=1, else the test's tmp dir."""
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        target = ROOT / "docs" / "screenshots"
        target.mkdir(parents=True, exist_ok=True)
        return target
    return tmp_path
