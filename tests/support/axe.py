"""axe-core (pinned in bot/web/package.json) run in a Playwright page: the WCAG 2.1 A/AA violations
that matter (impact serious or critical), one readable line each."""
from __future__ import annotations

from typing import List

import pytest
from playwright.sync_api import Page

from settings import ROOT

AXE = ROOT / "bot" / "web" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def serious_violations(page: Page) -> List[str]:
    """Injected through the DevTools protocol (the page's CSP allows no foreign script), then run."""
    if not AXE.exists():
        pytest.fail(f"{AXE.relative_to(ROOT)} is missing: run `make setup` (it runs npm ci in bot/web)")
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA)
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[node['target'] for node in v['nodes']][:4]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]
