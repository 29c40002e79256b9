"""The legal pages (issue 14): public."""

from tests.permission_cases import Case
from tests.permission_cases.accounts import EVERYONE_200

CASES = [Case(f"legal:{name}", EVERYONE_200)
         for name in ("legal_notice", "personal_data", "accessibility", "site_map", "help")]
