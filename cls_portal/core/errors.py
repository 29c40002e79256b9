"""Domain errors: raised by services when a business rule is broken, shown to the user in French."""


class DomainError(Exception):
    """A business rule refused the operation. `message` is French and fit for the user.

    `field` (optional) names the form field the message belongs next to.
    """

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class ConcurrentEditError(DomainError):
    """Someone else saved the object since the form was opened (optimistic concurrency)."""

    def __init__(self, message: str | None = None, *, changes: dict | None = None, by=None, at=None):
        super().__init__(
            message
            or "Cette fiche a été modifiée par une autre personne depuis que vous l'avez ouverte. "
            "Vos modifications n'ont pas été enregistrées : vérifiez les changements ci-dessous puis recommencez.",
            code="conflict",
        )
        self.changes = changes or {}
        self.by = by
        self.at = at


def apply_domain_error(form, error: DomainError) -> None:
    """Put a DomainError next to its field (or on the whole form) so the user sees it in place."""
    field = error.field if error.field in getattr(form, "fields", {}) else None
    form.add_error(field, error.message)
