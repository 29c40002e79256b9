"""French guillemets hold their words with a no-break space (U+00A0): `« texte »`.

With an ordinary space, a phone (390 px) wrapped the closing » alone onto the next line (the contract page's
« Chronologie ») and left an opening « stranded at a line end. This guard reads every template and every string
literal of the apps' code (f-string parts included; docstrings, comments, migrations and tests aside: no one reads
them on a page) and fails on a space, a tab or a newline just inside a guillemet.

The no-break space is typed as the character itself, in templates and in Python alike (ruff's rules here do not
flag it): `&nbsp;` would print as such in the plain-text e-mails, and `\\u00a0` made a hundred French sentences
hard to read and thirty-six lines too long. It is invisible in a diff: this test is what checks it. U+00A0 is the
portal's one no-break space (`cls_portal.core.formatting.NBSP`, the one the PDF fonts carry): a narrow one
(U+202F) fails too. Text already stored (history comments, notification titles) keeps its old spaces: this
guards the code only.
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ["actions", "bench", "cls_portal", "contracts", "diagnostics", "directory", "funding", "imports", "network",
        "people", "regional", "reports", "resources"]
SKIPPED_DIRS = {".venv", "node_modules", "var", "vendor", "migrations", "__pycache__"}
HOW = "Guillemets à tenir par une espace insécable (U+00A0, le caractère lui-même, comme « ici ») :\n"
# A whitespace other than U+00A0 just after an opening guillemet or just before a closing one.
LOOSE = re.compile(r"(?:«|&laquo;)[^\S\u00a0]|[^\S\u00a0](?:»|&raquo;)")


def _files(pattern: str, roots):
    for root in roots:
        for path in sorted((ROOT / root).rglob(pattern)):
            if path.is_file() and not SKIPPED_DIRS & set(path.relative_to(ROOT).parts):
                yield path


def _templates():
    dirs = sorted({p for p in ROOT.rglob("templates") if p.is_dir()
                   and not SKIPPED_DIRS & set(p.relative_to(ROOT).parts) and p.parts[len(ROOT.parts)] != "tests"})
    return [p for p in _files("*", [d.relative_to(ROOT) for d in dirs])]


def _snippet(text: str, m: re.Match) -> str:
    return text[max(0, m.start() - 25):m.end() + 25].replace("\n", "⏎")


def loose_guillemets_in_text(text: str) -> list[tuple[int, str]]:
    """(line, snippet) of each loose guillemet of `text`."""
    return [(text.count("\n", 0, m.start()) + 1, _snippet(text, m)) for m in LOOSE.finditer(text)]


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the strings that are statements alone: docstrings (module, class, function, attribute)."""
    return {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)}


def loose_guillemets_in_python(source: str, filename: str = "<string>") -> list[tuple[int, str]]:
    """(line, snippet) of each loose guillemet in the string literals of `source`, docstrings aside.

    `ast.walk` reaches the literal parts of an f-string too (`f"« {name} »"` is `"« "`, `name`, `" »"`)."""
    tree = ast.parse(source, filename)
    skipped = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skipped:
            found += [(node.lineno, _snippet(node.value, m)) for m in LOOSE.finditer(node.value)]
    return found


def test_the_guard_sees_loose_guillemets():
    assert [line for line, _ in loose_guillemets_in_python('x = "le contrat « CLS » est signé"')] == [1, 1]
    assert len(loose_guillemets_in_python('x = f"« {name}\\u00a0»"\ny = "«\\u00a0" + name + " »"')) == 2
    assert len(loose_guillemets_in_python('x = "«\\u202fnarrow\\u202f»"')) == 2
    assert loose_guillemets_in_python('x = "«\\u00a0CLS\\u00a0»"') == []
    assert loose_guillemets_in_python('"""Docstring « lu » par les développeurs."""\n# commentaire « aussi »') == []
    assert loose_guillemets_in_python('def f():\n    """« doc »"""\n    return "« texte »"') == [(3, "« texte »")] * 2
    assert [line for line, _ in loose_guillemets_in_text("<p>«\u00a0a\u00a0»</p>\n<p>« {{ b }}\n»</p>")] == [2, 2]
    assert len(loose_guillemets_in_text("&laquo; entité &raquo;")) == 2


def test_templates_hold_guillemets_with_no_break_spaces():
    templates = _templates()
    assert len(templates) > 100 and any(p.suffix == ".txt" for p in templates)  # e-mail bodies are templates too
    offenders = [f"{path.relative_to(ROOT)}:{line}: {snippet}" for path in templates
                 for line, snippet in loose_guillemets_in_text(path.read_text(encoding="utf-8"))]
    assert offenders == [], HOW + "\n".join(offenders)


def test_python_strings_hold_guillemets_with_no_break_spaces():
    sources = list(_files("*.py", APPS))
    assert len(sources) > 200
    offenders = [f"{path.relative_to(ROOT)}:{line}: {snippet}" for path in sources
                 for line, snippet in loose_guillemets_in_python(path.read_text(encoding="utf-8"), str(path))]
    assert offenders == [], HOW + "\n".join(offenders)
