"""axe-core (npm `axe-core`, vendored in tests/browser/vendor, MPL-2.0) run inside the page.

`assert_accessible(page)` fails on any violation of serious or critical impact.
"""

from pathlib import Path

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe-core-4.14.1.min.js").read_text(encoding="utf-8")
BLOCKING_IMPACTS = {"serious", "critical"}


def axe_violations(page, impacts=BLOCKING_IMPACTS) -> list[dict]:
    """The violations of the given impacts (None: all of them)."""
    # Runtime evaluation is not subject to the page's CSP (an injected <script> tag would be).
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations'],"
        " runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
    )
    return [v for v in result["violations"] if impacts is None or v.get("impact") in impacts]


def assert_accessible(page):
    violations = axe_violations(page)
    details = "\n".join(
        f"- [{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])} élément(s), ex. {v['nodes'][0]['target']})"
        for v in violations
    )
    assert not violations, f"Violations d'accessibilité sur {page.url} :\n{details}"
