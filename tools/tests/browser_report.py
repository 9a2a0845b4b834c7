#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Open report pages in a real browser and check that they render.

Debian's Chromium (headless) driven by Debian's chromedriver through
Selenium (package python3-selenium; run with /usr/bin/python3, the Debian
interpreter that has it). For each page:
  - it loads from file:// with every network name unresolvable, so a page
    that is not self-contained fails (the failed load is a console error);
  - the browser console holds no error and no warning (uncaught exceptions,
    failed resources, CSP and parser complaints all land there);
  - each element named by --expect (a data-testid) is present, displayed
    and has a non-empty box; --min NAME=N asks for at least N of them;
  - --screenshot FILE saves a PNG of the page (README/docs screenshots).

usage: browser_report.py PAGE.html [--expect ID,...] [--min ID=N ...]
                         [--screenshot FILE] [--width W] [--height H]
exit: 0 every check passed, 1 a check failed, 2 the browser could not be
started (Chromium or chromedriver missing: said, never skipped).
"""
import argparse
import os
import sys

CHROMIUM = "/usr/bin/chromium"
DRIVER = "/usr/bin/chromedriver"


def fail_env(msg):
    print(f"browser_report: {msg}", file=sys.stderr)
    sys.exit(2)


def start(width, height):
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        fail_env("Selenium is missing (Debian package python3-selenium; "
                 "ci/deps.sh installs it): run with /usr/bin/python3")
    for p in (CHROMIUM, DRIVER):
        if not os.access(p, os.X_OK):
            fail_env(f"{p} is missing (Debian packages chromium and "
                     "chromium-driver; ci/deps.sh installs them)")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu",
              "--disable-dev-shm-usage", f"--window-size={width},{height}",
              # no network: any name resolves to nothing, so an external
              # script, font or image fails to load and is reported
              "--host-resolver-rules=MAP * ~NOTFOUND",
              "--allow-file-access-from-files"):
        opts.add_argument(a)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    try:
        return webdriver.Chrome(service=Service(DRIVER), options=opts)
    except Exception as e:  # selenium raises many kinds
        fail_env(f"cannot start headless Chromium: {e}")


def check_page(drv, page, expect, mins, shot):
    from selenium.webdriver.common.by import By
    errors = []
    url = "file://" + os.path.abspath(page)
    drv.get(url)
    state = drv.execute_script("return document.readyState")
    if state != "complete":
        errors.append(f"document not loaded (readyState {state})")
    for entry in drv.get_log("browser"):
        if entry.get("level") in ("SEVERE", "WARNING"):
            errors.append(f"console {entry['level']}: {entry['message']}")
    ids = list(expect) + [k for k in mins if k not in expect]
    for tid in ids:
        els = drv.find_elements(By.CSS_SELECTOR, f'[data-testid="{tid}"]')
        want = mins.get(tid, 1)
        if len(els) < want:
            errors.append(f"{tid}: {len(els)} element(s), want at least {want}")
            continue
        # rendered: a box with some extent (a horizontal arrow has no
        # height), not display:none or visibility:hidden up the tree
        seen = drv.execute_script(
            "const e = arguments[0], r = e.getBoundingClientRect();"
            "for (let p = e; p && p.nodeType === 1; p = p.parentNode) {"
            "  const s = getComputedStyle(p);"
            "  if (s.display === 'none' || s.visibility === 'hidden')"
            "    return 'hidden'; }"
            "return (r.width > 0 || r.height > 0) ? 'ok' :"
            "  'box ' + r.width + 'x' + r.height;", els[0])
        if seen != "ok":
            errors.append(f"{tid}: not rendered ({seen})")
    if shot:
        h = drv.execute_script(
            "return Math.min(document.documentElement.scrollHeight, 2400)")
        w = drv.get_window_size()["width"]
        drv.set_window_size(w, max(int(h), 600))
        if not drv.save_screenshot(shot):
            errors.append(f"screenshot {shot} not written")
    return errors


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pages", nargs="+")
    ap.add_argument("--expect", default="",
                    help="comma list of data-testid values that must render")
    ap.add_argument("--min", action="append", default=[],
                    help="ID=N: at least N elements with that data-testid")
    ap.add_argument("--screenshot", help="PNG of the (first) page")
    ap.add_argument("--width", type=int, default=1280)
    ap.add_argument("--height", type=int, default=900)
    a = ap.parse_args()
    expect = [x for x in a.expect.split(",") if x]
    mins = {}
    for m in a.min:
        k, _, v = m.partition("=")
        if not k or not v.isdigit():
            fail_env(f"--min takes ID=N, not '{m}'")
        mins[k] = int(v)
    for p in a.pages:
        if not os.path.isfile(p):
            fail_env(f"{p}: no such page")
    drv = start(a.width, a.height)
    bad = 0
    try:
        for i, p in enumerate(a.pages):
            errs = check_page(drv, p, expect, mins,
                              a.screenshot if i == 0 else None)
            if errs:
                bad += 1
                print(f"FAIL {p}")
                for e in errs:
                    print(f"  {e}")
            else:
                print(f"ok   {p}")
    finally:
        drv.quit()
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
