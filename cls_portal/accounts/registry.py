"""What the apps above tell accounts about people (they fill these in their `AppConfig.ready()`).

- `invitation_accepted`: `fn(invitation, user, actor)` run inside the acceptance's transaction: what the
  invitation's contract or sheet means for the new member (coordinators of the contract, pilot of the sheet).
- `start_pages`: `fn(user) -> url | None`, asked before the role start pages (`selectors.START_PAGES`): the
  sheet a pilot pilots.
"""

from cls_portal.core.registry import Registry

invitation_accepted = Registry("accounts.registry.invitation_accepted")
start_pages = Registry("accounts.registry.start_pages")
