"""What the apps above contracts tell it. Filled in their `AppConfig.ready()`; contracts imports none of them.

- `visibility`: `(role, fn)` pairs; `fn(user)` returns the ids (a values queryset) of the extra contracts a
  user of that role reaches (actions: the pilots of a sheet reach its contract).
- `renewal`: `fn(*, actor, old, new) -> int` copies what a new generation takes over from the previous one
  and returns how many items it copied (actions: the unfinished sheets).
- `validated_sheet_statuses`: the sheet statuses that count as validated for the lifecycle guards (actions).
- `dropped_sheet_statuses`: the sheet statuses out of the plan, which the signature guards leave aside (actions:
  an abandoned sheet).
- `amendable_sheet_statuses`: the statuses of a sheet of the signed plan that an avenant may still modify or
  retire (actions: validated, running, postponed; not done, not abandoned).
- `avenant_in_force`: `fn(*, actor, avenant)`, called inside the transaction that puts an avenant in force (at
  its creation or with its last initials) by `actor`; idempotent (actions: each sheet it retires is abandoned).
- `timeline_groups`: `fn(contract, today) -> (title, [timeline.Item]) | None`, extra rows of the
  rétroplanning (actions: the sheets with their period and milestones).
- `meeting_sheets`: `fn(contract) -> {meeting_id: [label]}`, the sheets each meeting worked on (actions).
"""

from cls_portal.core.registry import Registry, Slot

visibility = Registry("contracts.registry.visibility")
renewal = Registry("contracts.registry.renewal")
validated_sheet_statuses = Slot("contracts.registry.validated_sheet_statuses")
dropped_sheet_statuses = Slot("contracts.registry.dropped_sheet_statuses")
amendable_sheet_statuses = Slot("contracts.registry.amendable_sheet_statuses")
avenant_in_force = Registry("contracts.registry.avenant_in_force")
timeline_groups = Registry("contracts.registry.timeline_groups")
meeting_sheets = Registry("contracts.registry.meeting_sheets")
