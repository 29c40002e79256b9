"""Funding figures for the regional view, read from the funding app once its models exist.

Kept apart so the dashboard works (with posts counted from the contracts' coordinators) while the
funding models are not there, and switches to the yearly coordination posts when they are.
"""

from __future__ import annotations


def funding_models():
    """The funding app's models the dashboard reads, or None while they do not exist."""
    from django.apps import apps

    try:
        return apps.get_app_config("funding").get_model("AnneeFinancement")
    except LookupError:
        return None


def dashboard_funding(contracts, year: int) -> dict | None:
    """ARS commitment for `year` and coordination posts filled/vacant, or None without funding data."""
    if funding_models() is None:
        return None
    return None  # replaced when the funding models land (see funding/models.py)


def filter_coordination(qs, value: str, year: int):
    """Contracts whose coordination post is filled ("pourvu") or vacant ("vacant")."""
    from .selectors import has_coordinator

    return qs.filter(has_coordinator()) if value == "pourvu" else qs.filter(~has_coordinator())


def contracts_without_dialogue(contracts, year: int):
    """Ids of `contracts` with no dialogue de gestion held in `year`, or None without funding data."""
    if funding_models() is None:
        return None
    return None  # replaced when the funding models land
