"""docs/seeds.md maps each requirement of the source documents to a page and a test: it must not drift.

Every path it names is a URL of the portal, every test it names exists, every row has a status, a partial or
left row says what is missing, and the summary table counts the rows as they are.
"""

import re
from collections import Counter
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parents[2]
MAP = ROOT / "docs" / "seeds.md"
ROW = re.compile(r"^\| ([NCGDF])(\d+) \| (.+) \| (covered|partial|left)(.*?) \| (.+?) \| (.+?) \|$")
SUMMARY = re.compile(r"^\| ([NCGDF]) — .+ \| (\d+) \| (\d+) \| (\d+) \| (\d+) \|$")


def _url_paths() -> set[str]:
    paths = set()

    def walk(patterns, prefix):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                paths.add("/" + re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", prefix + str(entry.pattern)))

    walk(get_resolver().url_patterns, "")
    return paths


def parse(text: str):
    rows, summary, other = [], {}, []
    for line in text.splitlines():
        if m := ROW.match(line):
            rows.append(m.groups())
        elif m := SUMMARY.match(line):
            summary[m.group(1)] = tuple(int(x) for x in m.groups()[1:])
        elif re.match(r"^\| [NCGDF]\d+ ", line):
            other.append(line)
    return rows, summary, other


def problems(text: str, urls: set[str]) -> list[str]:
    rows, summary, other = parse(text)
    found = [f"row not in the expected shape: {line[:60]}" for line in other]
    ids = Counter(f"{doc}{n}" for doc, n, *_ in rows)
    found += [f"{rid} appears {count} times" for rid, count in ids.items() if count > 1]
    counts = {}
    for doc, n, _req, status, why, page, test in rows:
        rid = f"{doc}{n}"
        c = counts.setdefault(doc, Counter())
        c["all"] += 1
        c[status] += 1
        if status in ("partial", "left") and not why.startswith(":"):
            found.append(f"{rid} is {status} without saying why")
        if status == "left":
            continue
        for path in re.findall(r"`(/[^`]*)`", page):
            if path.split("?")[0] not in urls:
                found.append(f"{rid}: {path} is not a page of the portal")
        if not re.search(r"`/", page):
            found.append(f"{rid}: no page named")
        refs = re.findall(r"`(tests/[^`]+)`", test)
        if not refs:
            found.append(f"{rid}: no test named")
        for ref in refs:
            file, _, name = ref.partition("::")
            if not (ROOT / file).is_file():
                found.append(f"{rid}: {file} does not exist")
            elif name and not re.search(rf"^\s*def {re.escape(name)}\(", (ROOT / file).read_text(), re.M):
                found.append(f"{rid}: {ref} does not exist")
    for doc, (total, covered, partial, left) in summary.items():
        c = counts.get(doc, Counter())
        if (total, covered, partial, left) != (c["all"], c["covered"], c["partial"], c["left"]):
            found.append(f"summary of {doc} says {total}/{covered}/{partial}/{left}, the rows say "
                         f"{c['all']}/{c['covered']}/{c['partial']}/{c['left']}")
    if set(summary) != set(counts):
        found.append(f"documents in the summary {sorted(summary)} differ from the rows {sorted(counts)}")
    return found


def test_every_requirement_names_a_live_page_and_an_existing_test():
    assert problems(MAP.read_text(), _url_paths()) == []


def test_the_totals_are_the_sum_of_the_documents():
    text = MAP.read_text()
    _rows, summary, _other = parse(text)
    total = re.search(r"^\| \*\*total\*\* \| \*\*(\d+)\*\* \| \*\*(\d+)\*\* \| \*\*(\d+)\*\* \| \*\*(\d+)\*\* \|$",
                      text, re.M)
    assert total, "the summary has no total line"
    assert tuple(int(x) for x in total.groups()) == tuple(sum(v[i] for v in summary.values()) for i in range(4))


@pytest.mark.parametrize("line, expected", [
    ("| N1 | x | covered | `/nowhere/` | `tests/core/test_seeds_map.py` |", "is not a page"),
    ("| N1 | x | covered | `/cls/<pk>/` | `tests/core/test_seeds_map.py::test_missing` |", "does not exist"),
    ("| N1 | x | partial | `/cls/<pk>/` | `tests/core/test_seeds_map.py` |", "without saying why"),
    ("| N1 | x | covered | `/cls/<pk>/` | — |", "no test named"),
])
def test_the_check_fails_on_a_broken_row(line, expected):
    text = "| N — doc | 1 | 1 | 0 | 0 |\n" + line
    assert any(expected in p for p in problems(text, _url_paths()))
