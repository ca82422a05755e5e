"""Lighthouse's accessibility, best-practices and SEO audits on every page type.

Lighthouse 12 (npm, pinned by package-lock.json, installed by `make
install-test`) drives Debian's Chromium against the shared demo portal of
conftest.py, one Lighthouse process a page, as a phone (Lighthouse's mobile
preset: what most visitors use). Every page scores at least 95 for
accessibility and best practices; pages meant for search engines score at
least 95 for SEO, and the pages that are not (search results) are shown to
say `noindex` instead. A failure prints the audits that cost the points, with
the elements or resources they found; every report is kept as JSON under
var/test-artifacts/lighthouse/.

Performance is not scored here: it is a timing, measured by the bench step
`lighthouse` (docs/PERFORMANCE.md). The search page's layout shift, a layout
metric, is tested in test_layout_shift.py.
"""

import pytest

from bench import lighthouse
from bench.core import BenchError
from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

MINIMUM = 0.95
ALWAYS = ("accessibility", "best-practices")
INDEXED, NOINDEX, NOT_FOUND = "indexed", "noindex", "not found"
# (name, path, what search engines should do with it). One page of each type
# the portal has, in the demo's content.
PAGES = [
    ("home-zh", "/zh-hans/", INDEXED),
    ("home-en", "/en/", INDEXED),
    ("search-results", "/zh-hans/search/?q=%E7%A0%81%E5%A4%B4", NOINDEX),
    ("search-no-results", "/zh-hans/search/?q=qzxjvwk", NOINDEX),
    ("record-fonds", "/zh-hans/catalogue/120101/J0001/", INDEXED),
    ("record-file", "/zh-hans/catalogue/120101/J0001-002-0001/", INDEXED),
    ("record-item", "/zh-hans/catalogue/120101/J0001-002-0001-0005/", INDEXED),
    ("catalogue-index", "/zh-hans/catalogue/", INDEXED),
    ("exhibition-index", "/zh-hans/exhibitions/", INDEXED),
    ("exhibition", "/zh-hans/exhibitions/harbour/", INDEXED),
    ("chapter", "/zh-hans/exhibitions/harbour/wharves/", INDEXED),
    ("collection-index", "/zh-hans/collections/", INDEXED),
    ("collection", "/zh-hans/collections/customs/", INDEXED),
    ("chronicle-index", "/zh-hans/chronicle/", INDEXED),
    ("chronicle-event", "/zh-hans/chronicle/1862-port-opens/", INDEXED),
    ("standard-page", "/zh-hans/services/", INDEXED),
    ("newly-opened", "/zh-hans/newly-opened/", INDEXED),
    ("not-found", "/zh-hans/no-such-page/", NOT_FOUND),
]


def audit(portal, name, path, *, error_page=False):
    try:
        return lighthouse.run(
            portal.base_url + path,
            categories=["accessibility", "best-practices", "seo"],
            form_factor="mobile",
            report=ARTIFACTS / "lighthouse" / f"{name}.json",
            error_page=error_page,
        )
    except BenchError as error:
        failure = str(error)
    pytest.fail(failure, pytrace=False)


def shortfalls(result, categories):
    """What each category below the minimum lost its points on, as text."""
    lines = []
    for category in categories:
        value = result["categories"][category]["score"]
        if value is None or value < MINIMUM:
            lines.append(f"{category}: {lighthouse.score(result, category)} < 95")
            lines += lighthouse.failing_audits(result, category)
    return lines


@pytest.mark.parametrize(
    ("name", "path", "indexing"), PAGES, ids=[name for name, _, _ in PAGES]
)
def test_lighthouse_scores(portal, name, path, indexing):
    result = audit(portal, name, path, error_page=indexing == NOT_FOUND)
    audits = result["audits"]
    # Lighthouse audited the page asked for, not a redirect or an error page.
    assert result["finalDisplayedUrl"] == portal.base_url + path
    status = audits["http-status-code"]["score"]
    assert status == (0 if indexing == NOT_FOUND else 1), (
        f"{path}: HTTP status audit {status}"
    )

    checked = [*ALWAYS, "seo"] if indexing == INDEXED else list(ALWAYS)
    problems = shortfalls(result, checked)
    if indexing == NOINDEX:
        # Kept out of search engines, and for that reason only: every other
        # SEO audit passes.
        crawlable = audits["is-crawlable"]
        directives = [
            lighthouse.describe(item) for item in crawlable["details"]["items"]
        ]
        if crawlable["score"] != 0 or not any(
            '<meta name="robots" content="noindex' in found for found in directives
        ):
            problems.append(f"{path} is not noindex by its robots meta: {directives}")
        seo = result["categories"]["seo"]["auditRefs"]
        others = [
            audits[ref["id"]]
            for ref in seo
            if ref["weight"] and ref["id"] != "is-crawlable"
        ]
        assert others
        problems += [
            f"seo: {other['id']}: {other['title']}"
            for other in others
            if other["score"] is not None and other["score"] < 1
        ]
    if problems:
        pytest.fail(
            f"Lighthouse (mobile) on {path}:\n" + "\n".join(problems),
            pytrace=False,
        )


def test_the_bench_step_reads_its_figures_from_a_desktop_run(portal):
    """The bench step's part that needs no generated catalogue: Lighthouse's
    desktop preset on the search page, and the figures it prints. Only the
    figures' presence and kind are checked, never a time."""
    result = lighthouse.run(
        portal.base_url + lighthouse.PAGES["search"],
        categories=["performance"],
        form_factor="desktop",
    )
    assert result["configSettings"]["formFactor"] == "desktop"
    figures = lighthouse.performance_figures(result)
    assert set(figures) == {"performance", "CLS", "LCP ms", "TBT ms", "FCP ms"}
    assert 0 <= figures["performance"] <= 100
    assert all(value >= 0 for value in figures.values())
