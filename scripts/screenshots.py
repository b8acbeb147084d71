"""Take Chromium screenshots of the main pages for a look (not a test).

Usage: .venv/bin/python scripts/screenshots.py [base_url] [out_dir]
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(sys.argv[2] if len(sys.argv) > 2 else "test-artifacts/screens")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAGES = ["/", "/org/", "/people/", "/users/", "/audit/"]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
        page.goto(f"{BASE}/login/")
        page.screenshot(path=OUT / "login.png")
        page.fill("#id_username", sys.argv[3] if len(sys.argv) > 3 else "xcb_zhuren")
        page.fill("#id_password", "xuncha-demo-2026")
        page.click("button[type=submit].w-100")
        for path in PAGES + sys.argv[4:]:
            page.goto(BASE + path)
            name = path.strip("/").replace("/", "_").replace("?", "_") or "home"
            page.screenshot(path=OUT / f"{name}.png", full_page=True)
        browser.close()


if __name__ == "__main__":
    main()
