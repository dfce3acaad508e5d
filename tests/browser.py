"""Headless Chromium for the view's browser tests and benchmark: Debian's chromium and
chromedriver, driven by selenium with both paths given so that selenium-manager never runs
(it would try to download a driver)."""
from __future__ import annotations

import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from api.local_server import LocalServer

CHROMIUM = os.environ.get("NEWSGRAPH_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("NEWSGRAPH_CHROMEDRIVER", "/usr/bin/chromedriver")
LAUNCH_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
)


class BrowserMissing(RuntimeError):
    """Chromium or chromedriver is not installed: the browser tests cannot run."""


def check_browser() -> None:
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not Path(path).is_file()]
    if missing:
        raise BrowserMissing(
            f"{', '.join(missing)} not found: install Debian's chromium and chromium-driver "
            "(`make browser` runs tools/install-chromium.sh) to run the browser tests"
        )


@contextmanager
def chromium(width: int = 1400, height: int = 900) -> Iterator["object"]:
    """A fresh headless Chromium (own user-data dir, removed afterwards) as a selenium driver."""
    check_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="newsgraph-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in LAUNCH_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--window-size={width},{height}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # console messages, for asserts
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@contextmanager
def serve(app) -> Iterator[str]:
    """Run an ASGI app with a real uvicorn server on loopback in a thread; yields its base URL."""
    with LocalServer(app) as server:
        yield server.url


def console_errors(driver) -> list[str]:
    """Console errors since the last call (script errors, Content-Security-Policy refusals)."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def wait_for(driver, script: str, timeout: float = 30.0, poll: float = 0.1):
    """Poll a JavaScript expression (``return ...``) until it is truthy; returns its value."""
    deadline = time.monotonic() + timeout
    while True:
        value = driver.execute_script(script)
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout} s waiting for: {script}")
        time.sleep(poll)
