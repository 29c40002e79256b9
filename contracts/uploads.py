"""Upload checks: the file's real type is read from its content (magic bytes, zip members), never
trusted from its extension or the browser's Content-Type. Every refusal is a French DomainError."""

from __future__ import annotations

import hashlib
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings

from cls_portal.core.errors import DomainError

ACCEPTED = {
    ".pdf": ("pdf", "application/pdf"),
    ".odt": ("odt", "application/vnd.oasis.opendocument.text"),
    ".docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".png": ("png", "image/png"),
    ".jpg": ("jpeg", "image/jpeg"),
    ".jpeg": ("jpeg", "image/jpeg"),
}
ACCEPTED_LABEL = "PDF, ODT, DOCX, XLSX, PNG ou JPEG"


@dataclass(frozen=True)
class CheckedFile:
    name: str
    extension: str
    content_type: str
    size: int
    sha256: str


def _human(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} Mo".replace(".", ",")


def check_name(name: str) -> str:
    """The file's name if harmless, else a DomainError (path tricks, control characters, hidden files)."""
    name = unicodedata.normalize("NFC", name or "")
    if (not name or "/" in name or "\\" in name or ".." in name or name.startswith(".")
            or any(unicodedata.category(ch) == "Cc" for ch in name) or len(name) > 200):
        raise DomainError("Le nom du fichier n'est pas valide : renommez-le (lettres, chiffres, tirets) "
                          "puis déposez-le à nouveau.", field="fichier")
    return name


def sniff(head: bytes, fileobj) -> str | None:
    """The detected kind ("pdf", "png", "jpeg", "odt", "docx", "xlsx") or None."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        fileobj.seek(0)
        try:
            with zipfile.ZipFile(fileobj) as zf:
                names = set(zf.namelist())
                if "mimetype" in names:
                    mimetype = zf.read("mimetype").strip()
                    if mimetype == b"application/vnd.oasis.opendocument.text":
                        return "odt"
                    return None
                if "[Content_Types].xml" in names:
                    if "word/document.xml" in names:
                        return "docx"
                    if "xl/workbook.xml" in names:
                        return "xlsx"
        except (zipfile.BadZipFile, OSError, KeyError, RuntimeError):
            return None
    return None


def check_upload(uploaded) -> CheckedFile:
    """Validate an uploaded file. Raises DomainError (field "fichier") with a French message."""
    name = check_name(getattr(uploaded, "name", ""))
    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if ext not in ACCEPTED:
        raise DomainError(f"Ce type de fichier n'est pas accepté. Formats acceptés : {ACCEPTED_LABEL}.",
                          field="fichier")
    size = uploaded.size or 0
    if size == 0:
        raise DomainError("Le fichier est vide (0 octet) : vérifiez-le puis déposez-le à nouveau.", field="fichier")
    limit = settings.UPLOAD_MAX_BYTES
    if size > limit:
        raise DomainError(f"Le fichier est trop volumineux ({_human(size)}) : la taille maximale est de "
                          f"{_human(limit)}.", field="fichier")
    uploaded.seek(0)
    head = uploaded.read(16)
    kind = sniff(head, uploaded)
    expected_kind, content_type = ACCEPTED[ext]
    if kind != expected_kind:
        raise DomainError(
            f"Le contenu du fichier ne correspond pas à son extension « {ext} » : il ne s'agit pas d'un fichier "
            f"{expected_kind.upper()} valide. Formats acceptés : {ACCEPTED_LABEL}.", field="fichier")
    uploaded.seek(0)
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return CheckedFile(name=name, extension=ext, content_type=content_type, size=size, sha256=digest.hexdigest())
