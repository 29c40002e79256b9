"""What the action plan (actions, the layer above) does for the diagnostic. Filled in `ActionsConfig.ready()`.

- `axe_for_priorite`: `fn(*, actor, contract, priorite) -> Axe` turns a priority into an axe of the plan
  with a first draft sheet, through the action plan's own services (numbering, link, history).
"""

from cls_portal.core.registry import Slot

axe_for_priorite = Slot("diagnostics.registry.axe_for_priorite")
