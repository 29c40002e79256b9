"""Helpers to visit every page of the permission table as a given role and read its forms."""

from html.parser import HTMLParser

from django.urls import reverse

from tests.permission_cases import all_cases


class FormParser(HTMLParser):
    """Collects <form> elements with their method, action and field names (and select options)."""

    def __init__(self):
        super().__init__()
        self.forms, self.links, self._form, self._select = [], [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"method": (a.get("method") or "get").lower(), "action": a.get("action") or "",
                          "fields": {}, "csrf": False, "multipart": "multipart" in (a.get("enctype") or "")}
            self.forms.append(self._form)
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif self._form is not None and tag in ("input", "textarea", "select"):
            name = a.get("name")
            if not name:
                return
            if name == "csrfmiddlewaretoken":
                self._form["csrf"] = True
                return
            kind = a.get("type", tag).lower() if tag == "input" else tag
            self._form["fields"].setdefault(name, {"type": kind, "value": a.get("value", ""), "options": []})
            if tag == "select":
                self._select = self._form["fields"][name]
        elif tag == "option" and self._select is not None and a.get("value"):
            self._select["options"].append(a["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def parse(html: str) -> FormParser:
    parser = FormParser()
    parser.feed(html)
    return parser


def get_pages(world):
    """(case, role, url) for every GET page a signed-in role may open on its own tenant."""
    for case in all_cases():
        if case.method != "get" or case.setup is not None:
            continue  # a case with a setup is a page in an arranged state (no coordinator): its plain case is crawled
        url = reverse(case.name, kwargs=case.kwargs(world.own) if case.kwargs else None) + case.query
        for role, status in case.expected.items():
            if role != "anonymous" and status == 200:
                yield case, role, url
