"""The rendered site checked the way a person would: opened in headless Chromium, offline.

Chromium is driven over the DevTools protocol (pip websocket-client): every page of the seed's site is loaded
from file://, and the test asserts that every image loads (naturalWidth > 0), that every link in the index pages
points to an existing file, that every in-page link (the table of contents) has its target, and that the console
shows no errors. A screenshot is kept in the test's temporary folder.
"""
from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

import run
from conftest import SEED_SLUG

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium; .ci/run installs it)"
)
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
                  "--window-size=1280,900", "--remote-debugging-port=0"]
IMAGES_JS = """(async () => {
  const images = Array.from(document.images);
  await Promise.all(images.map(img => img.decode().catch(() => null)));
  return JSON.stringify(images.map(img => ({alt: img.alt, width: img.naturalWidth})));
})()"""
MISSING_ANCHORS_JS = """JSON.stringify(Array.from(document.querySelectorAll('a[href^="#"]'))
  .map(a => a.getAttribute('href').slice(1))
  .filter(id => !document.getElementById(id) && !document.getElementById(decodeURIComponent(id))))"""

# Cells tagged `solution` are inside <details>: count them, and those whose code a reader can see.
SOLUTIONS_JS = """JSON.stringify({
  folded: document.querySelectorAll('details.solution').length,
  visible: Array.from(document.querySelectorAll('details.solution .jp-CodeCell'))
    .filter(cell => cell.checkVisibility()).length})"""
PRINT_JS = """JSON.stringify({nav: getComputedStyle(document.querySelector('nav.site-nav')).display,
  prompts: getComputedStyle(document.querySelector('.jp-InputPrompt')).display})"""


class LinkParser(HTMLParser):
    """Collects the href of every <a> in a page."""

    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a" and dict(attrs).get("href"):
            self.hrefs.append(dict(attrs)["href"])


def hrefs(page: Path) -> list[str]:
    """Every link target in an HTML file."""
    parser = LinkParser()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.hrefs


@contextlib.contextmanager
def devtools(profile: Path):
    """Start headless Chromium and yield a DevTools session {ws, next_id, events} on its first page."""
    import websocket

    # Chromium leaves its singleton socket folder in TMPDIR; give it a short one of its own (a Unix socket's path
    # must stay under 108 characters, so not pytest's deep tmp_path) and remove it afterwards.
    scratch = Path(tempfile.mkdtemp(prefix="chr-"))
    process = subprocess.Popen([CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, "TMPDIR": str(scratch)})
    ws = None
    try:
        port_file = profile / "DevToolsActivePort"
        for _ in range(600):  # Chromium writes its port here once it listens
            if port_file.exists() and port_file.read_text().strip():
                break
            if process.poll() is not None:
                raise RuntimeError(f"chromium exited with code {process.returncode}")
            time.sleep(0.1)
        port = int(port_file.read_text().splitlines()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=30) as response:
            target = next(t for t in json.load(response) if t["type"] == "page")
        ws = websocket.create_connection(target["webSocketDebuggerUrl"], timeout=60, suppress_origin=True)
        session = {"ws": ws, "next_id": 0, "events": []}
        for domain in ("Page", "Runtime", "Log"):
            call(session, f"{domain}.enable")
        yield session
    finally:
        if ws is not None:
            ws.close()
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(scratch, ignore_errors=True)


def call(session: dict, method: str, **params) -> dict:
    """Send one DevTools command and return its result; events arriving meanwhile are kept in session."""
    session["next_id"] += 1
    session["ws"].send(json.dumps({"id": session["next_id"], "method": method, "params": params}))
    while True:
        message = json.loads(session["ws"].recv())
        if message.get("id") == session["next_id"]:
            if "error" in message:
                raise RuntimeError(f"{method}: {message['error']}")
            return message.get("result", {})
        session["events"].append(message)


def open_page(session: dict, page: Path) -> None:
    """Navigate to a local file and wait for its load event."""
    session["events"].clear()
    call(session, "Page.navigate", url=page.resolve().as_uri())
    while not any(e.get("method") == "Page.loadEventFired" for e in session["events"]):
        session["events"].append(json.loads(session["ws"].recv()))


def evaluate(session: dict, expression: str):
    """Evaluate JavaScript in the page and return its (JSON-decoded) value."""
    result = call(session, "Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
    if "exceptionDetails" in result:
        raise RuntimeError(result["exceptionDetails"])
    return json.loads(result["result"]["value"])


def console_errors(events: list[dict]) -> list[str]:
    """Errors the page reported: uncaught exceptions, console.error and browser log entries of level error."""
    errors = []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.exceptionThrown":
            errors.append(params["exceptionDetails"].get("text", "exception"))
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            errors.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            errors.append(params["entry"].get("text", ""))
    return errors


def test_index_links_resolve_to_existing_files(seed_project):
    reports = seed_project / "reports"
    index_pages = [reports / "index.html"] + sorted(reports.glob("*/index.html"))
    assert reports / SEED_SLUG / "index.html" in index_pages
    checked = 0
    for page in index_pages:
        links = hrefs(page)
        assert links, f"{page} has no links"
        for href in links:
            parts = urlsplit(href)
            assert not parts.scheme and not parts.netloc, f"{page.name} links outside the site: {href}"
            if parts.path:
                assert (page.parent / unquote(parts.path)).is_file(), f"{page} links to missing {href}"
                checked += 1
    notebooks = run.notebooks()
    assert checked >= len(notebooks) + 2  # each notebook page, the article index, back to all articles


@needs_chromium
def test_pages_open_in_chromium_with_images_and_no_console_errors(seed_project, tmp_path):
    reports = seed_project / "reports"
    pages = [reports / "index.html", reports / SEED_SLUG / "index.html"] + sorted((reports / SEED_SLUG).glob("0*.html"))
    notebooks = run.notebooks()
    assert len(pages) == 2 + len(notebooks)
    with devtools(tmp_path / "profile") as session:
        for page in pages:
            open_page(session, page)
            images = evaluate(session, IMAGES_JS)
            broken = [image["alt"] for image in images if image["width"] == 0]
            assert not broken, f"{page.name}: images that did not load: {broken}"
            if page.name.startswith("0"):
                assert images, f"{page.name} shows no figure"
                assert all(image["alt"] and image["alt"] != "figure" for image in images), page.name
                assert evaluate(session, MISSING_ANCHORS_JS) == [], f"{page.name}: contents links without target"
                toc = evaluate(session, "JSON.stringify(document.querySelectorAll('nav.toc li').length)")
                assert toc >= 3, f"{page.name} has no table of contents"
            errors = console_errors(session["events"])
            assert not errors, f"{page.name}: console errors {errors}"
        open_page(session, reports / SEED_SLUG / "05_compare_articles.html")
        solutions = sum("solution" in cell.get("metadata", {}).get("tags", []) for cell in json.loads(
            (seed_project / "notebooks" / "05_compare_articles.ipynb").read_text(encoding="utf-8"))["cells"])
        assert solutions >= 2
        assert evaluate(session, SOLUTIONS_JS) == {"folded": solutions, "visible": 0}
        evaluate(session, "document.querySelector('details.solution > summary').click(); '1'")
        assert evaluate(session, SOLUTIONS_JS) == {"folded": solutions, "visible": 1}
        call(session, "Emulation.setEmulatedMedia", media="print")
        assert evaluate(session, PRINT_JS) == {"nav": "none", "prompts": "none"}
        call(session, "Emulation.setEmulatedMedia", media="")
        open_page(session, reports / SEED_SLUG / "01_load_article.html")
        shot = base64.b64decode(call(session, "Page.captureScreenshot", format="png")["data"])
    screenshot = tmp_path / "01_load_article.png"
    screenshot.write_bytes(shot)
    assert shot.startswith(b"\x89PNG") and len(shot) > 10_000


@needs_chromium
def test_console_errors_are_caught(tmp_path):
    """The check above can fail: a page with a script error is reported."""
    page = tmp_path / "broken.html"
    page.write_text("<!DOCTYPE html><html><body><img alt='x' src='missing.png'>"
                    "<script>console.error('deliberate'); undefinedFunction();</script></body></html>")
    with devtools(tmp_path / "profile") as session:
        open_page(session, page)
        errors = console_errors(session["events"])
        images = evaluate(session, IMAGES_JS)
    assert any("deliberate" in e for e in errors)
    assert any("undefinedFunction" in e or "Uncaught" in e for e in errors)
    assert images == [{"alt": "x", "width": 0}]
