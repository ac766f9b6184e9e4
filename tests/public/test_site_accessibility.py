"""Every page kind of the public site in a real browser (Debian's headless Chromium driven by
Selenium), checked by axe-core against WCAG 2.0/2.1/2.2 A and AA: no violations. A screenshot
of each page kind is kept under $BOARDCLERK_TEST_OUTPUT (CI keeps it as an artefact).

Needs selenium, /usr/bin/chromium with chromedriver, and axe-core (``npm install axe-core``;
.ci/run does it and points $BOARDCLERK_TEST_AXE_JS at axe.min.js). Skipped when one is missing,
unless $BOARDCLERK_REQUIRE_BROWSER is set (CI), when a missing one fails the run."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.public.test_public_site import SIGNING_SECRET, demo  # noqa: F401 - the fixture

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PAGE_KINDS = {
    "organisation": "/",
    "body": "/hwb/",
    "meeting-published": "/hwb/2027-01-07/",
    "meeting-next": "/hwb/2027-03-04/",
    "meeting-unpublished": "/hwb/2027-04-29/",
    "item": "/hwb/items/1/",
    "not-found": "/hwb/2031-01-01/",
    "search": "/search/?q=better+care+fund",
}


def _need(what: str) -> None:
    if os.environ.get("BOARDCLERK_REQUIRE_BROWSER"):
        pytest.fail(f"{what} is required ($BOARDCLERK_REQUIRE_BROWSER) but missing")
    pytest.skip(f"{what} is not installed")


def _axe_js() -> str:
    candidates = [os.environ.get("BOARDCLERK_TEST_AXE_JS", "")]
    candidates += [str(Path.cwd() / "node_modules/axe-core/axe.min.js")]
    for path in candidates:
        if path and Path(path).is_file():
            return Path(path).read_text("utf-8")
    _need("axe-core (axe.min.js)")
    raise AssertionError  # unreachable


@pytest.fixture(scope="module")
def served(demo) -> Iterator[str]:  # noqa: F811 - the fixture imported above
    import datetime as dt

    from agenda.clock import FixedClock
    from agenda.db.engine import make_engine
    from agenda.filestore import LocalFileStore
    from bot.deps import Deps
    from bot.settings import Settings
    from bot.site import site_blueprint

    out, _ = demo
    deps = Deps(
        settings=Settings(signing_secret=SIGNING_SECRET),
        engine=make_engine(f"sqlite:///{out / 'boardclerk-demo.db'}"),
        store=LocalFileStore(out / "data"),
        clock=FixedClock(dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC)),
    )
    app = Flask("site-a11y")
    app.register_blueprint(site_blueprint(deps))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _need("selenium")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if not chromium or not driver_path:
        _need("chromium and chromedriver")
    options = webdriver.ChromeOptions()
    options.binary_location = str(chromium)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1600"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(str(driver_path)), options=options)
    driver.set_script_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.mark.parametrize("kind", sorted(PAGE_KINDS))
def test_every_page_kind_has_no_axe_violations_in_chromium(
    kind: str, served: str, browser, tmp_path: Path
) -> None:
    axe = _axe_js()
    browser.get(served + PAGE_KINDS[kind])
    browser.execute_script(axe)
    violations = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done(r.violations.map(v => [v.id, v.help, v.nodes.map(n => n.html)])))",
        AXE_TAGS,
    )
    shots = Path(os.environ.get("BOARDCLERK_TEST_OUTPUT") or tmp_path) / "site-screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(shots / f"{kind}.png"))
    assert violations == [], violations
