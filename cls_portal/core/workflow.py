"""One workflow engine: transitions written as data, and one `fire()` that applies them.

A `Workflow` is the table of one status field (a contract's phase, a sheet's status, a funding year's
state...). Each `Transition` says, as data: its name and label, the states it leaves from, the state
it leads to (None: the state stays, e.g. a comment), who may fire it (workflow roles, resolved by the
workflow's `roles(user, obj)`), its guards, whether a comment is required, and the typed history event
it writes. A guard is a prerequisite in words (`label`) with a check returning None when met or the
French reason when not; pages list the guards of the next transition with their state before the user
clicks (`guard_states`), services refuse with the reasons (`DomainError`).

`fire()` locks the row (`select_for_update`, or `lock_for_update` with the version the user started
from), checks who fires it, the state, the comment and the guards, applies the caller's effects, saves
and writes the history event, all in one transaction. Background jobs that must not wait on a lock claim
a row with `claim()`: a conditional UPDATE on the same table (`WHERE state IN sources`), idempotent.

Why our own ~250 lines rather than django-fsm-2 or viewflow.fsm: see docs/workflow.md (guards that
return French reasons listed before proposing, a row lock and a typed history row in the same
transaction, transitions proposed by one role and validated by another, services rather than model
methods).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from . import history
from .concurrency import VersionedModel, bump, lock_for_update
from .errors import DomainError

SYSTEM = "systeme"  # a transition a background job fires (no user)


@dataclass(frozen=True)
class Context:
    """What guards may look at besides the object: who acts (and as what), when, with which comment; and, for
    the caller's `apply`, the state the object leaves (`source`, set by `fire`)."""

    actor: Any = None
    today: dt.date | None = None
    comment: str = ""
    roles: frozenset = frozenset()
    extra: dict = field(default_factory=dict)
    source: Any = None

    def acts_as(self, role: str) -> bool:
        return role in self.roles


@dataclass(frozen=True)
class Guard:
    """A prerequisite of a transition. `check(obj, ctx)` returns None when met, else the French reason."""

    label: str
    check: Callable[[Any, Context], str | None]

    def __call__(self, obj, ctx):
        return self.check(obj, ctx)


@dataclass(frozen=True)
class GuardState:
    label: str
    met: bool
    reason: str = ""


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple
    target: str | None
    by: tuple = ()
    event: str = ""
    guards: tuple = ()
    comment_required: bool = False
    comment_message: str = "Un commentaire est obligatoire pour cette action."
    # Who proposes it (the délégation then validates, which fires it); empty: fired directly.
    proposed_by: tuple = ()
    # A proposed transition that nobody can propose (nobody holds a `proposed_by` role on the object, as the
    # workflow's `has_proposer` says: a contract with no coordinator) is fired directly by `by`, with the same
    # guards, and writes this event instead of `event` (its sentence says there was no proposal). Empty: the
    # transition always waits for a proposal.
    unproposed_event: str = ""
    hints: dict = field(default_factory=dict)  # display only (button style...)

    @property
    def mode(self) -> str:
        return "propose" if self.proposed_by else "direct"

    @property
    def source(self) -> str:
        return self.sources[0]

    @property
    def needs_comment(self) -> bool:
        return self.comment_required

    @property
    def button_class(self) -> str:
        return self.hints.get("button_class", "fr-btn--secondary")


class Workflow:
    """The transition table of `model.<field>` and the one way to apply it."""

    def __init__(self, *, model: type[models.Model], field: str, transitions: Iterable[Transition],
                 roles: Callable[[Any, Any], set] | None = None,
                 has_proposer: Callable[[Any, Transition], bool] | None = None,
                 wrong_state: Callable[[Transition, Any], str] | None = None,
                 unknown: str = "Action inconnue.", refusal: Callable[[list[str]], str] | None = None):
        self.model = model
        self.field = field
        self.transitions: dict[str, Transition] = {}
        for t in transitions:
            if t.name in self.transitions:
                raise ValueError(f"Transition en double : {t.name}")
            self.transitions[t.name] = t
        self._roles = roles
        self._has_proposer = has_proposer
        self._wrong_state = wrong_state
        self._unknown = unknown
        self._refusal = refusal or (lambda reasons: " ".join(reasons))

    # --- reading the table -------------------------------------------------------------------------

    def __getitem__(self, name: str) -> Transition:
        return self.get(name)

    def __contains__(self, name) -> bool:
        return name in self.transitions

    def __iter__(self):
        return iter(self.transitions.values())

    def get(self, name: str) -> Transition:
        try:
            return self.transitions[name]
        except KeyError:
            raise DomainError(self._unknown) from None

    def available(self, state) -> list[Transition]:
        """Transitions that leave from `state`, in table order."""
        return [t for t in self.transitions.values() if state in t.sources]

    def state_of(self, obj):
        return getattr(obj, self.field)

    def roles(self, user, obj) -> set:
        if user is None or not getattr(user, "is_authenticated", False):
            return {SYSTEM}
        return set(self._roles(user, obj)) if self._roles else set()

    def mode_for(self, t: Transition, obj) -> str:
        """How `t` happens on `obj`: "propose" (someone proposes, `by` validates) or "direct". A proposed
        transition with an `unproposed_event` is direct when nobody on `obj` can propose it."""
        if t.mode == "propose" and t.unproposed_event and self._has_proposer is not None \
                and not self._has_proposer(obj, t):
            return "direct"
        return t.mode

    def unproposed(self, t: Transition, obj) -> bool:
        """Whether `t`, normally proposed, is fired directly on `obj` because nobody can propose it."""
        return t.mode == "propose" and self.mode_for(t, obj) == "direct"

    def may_fire(self, user, obj, t: Transition) -> tuple[bool, str]:
        """Whether `user` holds one of the roles that fire `t` (or propose it)."""
        if not t.by or self.roles(user, obj) & set(t.by):
            return True, ""
        return False, "Vous ne pouvez pas effectuer cette action."

    def guard_states(self, t: Transition, obj, ctx: Context | None = None) -> list[GuardState]:
        """Each prerequisite of `t` with its state, for the page (before the user clicks)."""
        ctx = ctx or Context(today=timezone.localdate())
        out = []
        for g in t.guards:
            reason = g(obj, ctx)
            out.append(GuardState(label=g.label, met=reason is None, reason=reason or ""))
        return out

    def failed_guards(self, t: Transition, obj, ctx: Context) -> list[str]:
        """The reasons of the unmet guards, each said once (two guards may share one: an empty plan is neither
        validated nor piloted)."""
        return list(dict.fromkeys(reason for g in t.guards if (reason := g(obj, ctx))))

    def check(self, t: Transition, obj, ctx: Context) -> None:
        """State, comment and guards; raises DomainError with the French reason(s)."""
        if self.state_of(obj) not in t.sources:
            raise DomainError(self._wrong_state(t, obj) if self._wrong_state else
                              f"« {t.label} » n'est pas possible dans l'état actuel.", code="etat")
        if t.comment_required and not (ctx.comment or "").strip():
            raise DomainError(t.comment_message, field="commentaire", code="commentaire")
        reasons = self.failed_guards(t, obj, ctx)
        if reasons:
            err = DomainError(self._refusal(reasons), code="guard")
            err.reasons = reasons  # one per unmet guard, for the page to list them
            raise err

    # --- applying it -------------------------------------------------------------------------------

    def lock(self, pk, *, expected_version=None, submitted=None):
        if expected_version is not None and issubclass(self.model, VersionedModel):
            return lock_for_update(self.model, pk, expected_version=expected_version, submitted=submitted)
        return self.model.objects.select_for_update(of=("self",)).get(pk=pk)

    def fire(self, name: str | Transition, *, pk, actor, comment: str = "", ctx: Context | None = None,
             expected_version=None, submitted=None, check_actor: bool = True,
             apply: Callable[[Any, Context], dict | None] | None = None,
             changes: dict | None = None, history_comment: str | None = None,
             context: dict | None = None, contract_id=None, lock=None, event: str | None = None,
             by_proposal: bool = False):
        """Fire transition `name` on the row `pk` as `actor`; returns the saved object.

        In one transaction: lock the row (`lock(pk)` if given, e.g. with related rows), check who fires
        it (unless `check_actor` is False: the caller already answered 403), the state, the comment and
        the guards; set the target state; `apply(obj, ctx)` performs the transition's effects on the
        locked object (`ctx.source`: the state it left) and returns extra changes for the history (it may
        raise DomainError: nothing is saved); save (with a new version for versioned rows); write the
        transition's history event (or `event`, when the event depends on the outcome: a decision that
        replaces another).

        A proposed transition is fired by the validation of its proposal (`by_proposal`), or directly only
        when nobody on the locked object can propose it (`mode_for`): then its `unproposed_event` is written.
        """
        t = name if isinstance(name, Transition) else self.get(name)
        with transaction.atomic():
            obj = lock(pk) if lock is not None else self.lock(pk, expected_version=expected_version,
                                                              submitted=submitted)
            roles = frozenset(self.roles(actor, obj))
            if ctx is None:
                ctx = Context(actor=actor, today=timezone.localdate(), comment=(comment or "").strip(), roles=roles)
            if check_actor:
                allowed, reason = self.may_fire(actor, obj, t)
                if not allowed:
                    raise DomainError(reason, code="permission")
            if t.mode == "propose" and not by_proposal:
                if self.mode_for(t, obj) != "direct":
                    raise DomainError(f"« {t.label} » doit être proposé puis validé.", code="proposition")
                event = event or t.unproposed_event
            self.check(t, obj, ctx)
            old = self.state_of(obj)
            if t.target is not None:
                setattr(obj, self.field, t.target)
            effects = apply(obj, replace(ctx, source=old)) if apply is not None else None
            if isinstance(obj, VersionedModel):
                bump(obj)
            obj.save()
            all_changes = {self.field: [old, self.state_of(obj)]} if self.state_of(obj) != old else {}
            all_changes.update(changes or {})
            all_changes.update(effects or {})
            if event or t.event:
                history.record(actor=actor, obj=obj, event=event or t.event, changes=all_changes,
                               comment=ctx.comment if history_comment is None else history_comment,
                               context=context, contract_id=contract_id)
            return obj

    def claim(self, name: str, *, filters: dict, q=None, **values) -> int:
        """For background jobs: `UPDATE ... SET state = target WHERE <filters> AND state IN sources`.

        Never waits on a lock and is idempotent (a second run finds nothing to update). Returns the
        number of rows updated; the caller writes history only when it did something.
        """
        t = self.get(name)
        if t.target is not None:
            values[self.field] = t.target
        qs = self.model.objects.filter(**filters, **{f"{self.field}__in": list(t.sources)})
        return (qs.filter(q) if q is not None else qs).update(**values)
