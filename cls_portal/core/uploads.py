"""Bounded reading of uploaded files: every upload and every import of the portal goes through here.

An uploaded file is attacker-controlled. Its real type is read from its content (magic bytes, zip
members), never from its extension or the browser's Content-Type. Zip containers (ODT, DOCX, XLSX)
are read with bounded memory:

- the entry count is read from the end-of-central-directory record *before* Python's `zipfile`
  builds one object per entry (a 20 MB zip can declare 400 000 entries);
- each member's declared size, the total and the compression ratio are checked on the central
  directory, before anything is inflated;
- a member is inflated by `inflate_member`, chunk by chunk (64 KiB at most per step), counting what
  really comes out: a member that inflates past its declared size or the cap is refused at that
  point. `zipfile.ZipFile.read()` is never called on an unchecked member: it inflates the whole
  member in one call *before* cutting it at the declared size (the `.odt` whose 1 MB `mimetype`
  inflated to 1 000 MB took the server to 2 GB);
- only "stored" and "deflated" members are accepted (bzip2 and lzma members are inflated in one
  call by `zipfile`, whatever the caller asks for), and no encrypted member.

`verify_zip()` proves every member's real size equals its declared size (and is under the caps):
after it, a library such as openpyxl may read the archive, its own reads are bounded by our caps.

Every refusal is a French `DomainError` on the upload field, shown next to it (never a 500).

    checked = check_upload(request.FILES["fichier"])                          # documents (contracts)
    checked = check_upload(upload, accepted={".pdf"}, field="document")       # funding decisions
    zf = open_zip(fileobj, limits=TABLE_LIMITS); verify_zip(zf, fileobj, limits=TABLE_LIMITS)  # imports
"""

from __future__ import annotations

import hashlib
import io
import math
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings

from .errors import DomainError

MIB = 1024 * 1024
CHUNK = 64 * 1024


@dataclass(frozen=True)
class ZipLimits:
    """What a zip container may hold. `max_ratio` applies to members above `ratio_from_bytes` (a
    tiny member may compress a lot without harm)."""

    max_members: int
    max_member_bytes: int
    max_total_bytes: int
    max_ratio: int = 100
    ratio_from_bytes: int = MIB


# Documents are stored, not parsed: only a few bytes are inflated (the sniff), the limits refuse
# archives no office suite produces (and that would explode on the reader's computer).
DOCUMENT_LIMITS = ZipLimits(max_members=10_000, max_member_bytes=256 * MIB, max_total_bytes=512 * MIB)
# Spreadsheets parsed by the imports: every member is inflated (and parsed by openpyxl, which keeps the
# whole shared string table in memory), so the caps are what bounds an import's memory: an 8 MiB string
# table at the cap costs about 50 MB above the process's own. A real import (1 000 rows) is far below.
TABLE_LIMITS = ZipLimits(max_members=500, max_member_bytes=8 * MIB, max_total_bytes=16 * MIB)

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


class UploadError(DomainError):
    def __init__(self, message: str, *, field: str = "fichier", code: str = "upload"):
        super().__init__(message, field=field, code=code)


@dataclass(frozen=True)
class CheckedFile:
    name: str
    extension: str
    content_type: str
    size: int
    sha256: str


def human_size(n: int) -> str:
    """`20 971 539` -> `20,1 Mo`: rounded *up* (to the tenth), so a file just over a limit never reads
    as equal to it ("20 Mo pour 20 Mo au plus")."""
    if n >= MIB:
        tenths = math.ceil(n * 10 / MIB)
        whole, tenth = divmod(tenths, 10)
        return f"{whole},{tenth} Mo" if tenth else f"{whole} Mo"
    return f"{max(1, math.ceil(n / 1024))} ko"


def limit_size(n: int) -> str:
    """A limit, rounded *down*: `20 Mo`."""
    if n >= MIB:
        tenths = n * 10 // MIB
        whole, tenth = divmod(tenths, 10)
        return f"{whole},{tenth} Mo" if tenth else f"{whole} Mo"
    return f"{max(1, n // 1024)} ko"


def check_size(size: int, limit: int, *, field: str = "fichier") -> None:
    if size > limit:
        raise UploadError(f"Le fichier est trop volumineux ({human_size(size)}) : la taille maximale est de "
                          f"{limit_size(limit)}.", field=field)


def check_name(name: str, *, field: str = "fichier") -> str:
    """The file's name if harmless, else a DomainError (path tricks, control characters, hidden files)."""
    name = unicodedata.normalize("NFC", name or "")
    if (not name or "/" in name or "\\" in name or ".." in name or name.startswith(".")
            or any(unicodedata.category(ch) == "Cc" for ch in name) or len(name) > 200):
        raise UploadError("Le nom du fichier n'est pas valide : renommez-le (lettres, chiffres, tirets) "
                          "puis déposez-le à nouveau.", field=field)
    return name


# --- zip containers ------------------------------------------------------------------------------

_EOCD = b"PK\x05\x06"
_LOCAL = b"PK\x03\x04"


def _damaged(field):
    return UploadError("Le fichier est endommagé ou n'est pas un document valide : enregistrez-le de nouveau "
                       "depuis votre logiciel puis déposez-le.", field=field, code="damaged")


def _bomb(field):
    return UploadError("Le fichier a été refusé : son contenu compressé est anormal (il occuperait bien plus "
                       "de place une fois décompressé). Enregistrez-le de nouveau depuis votre logiciel.",
                       field=field)


def _entry_count(fileobj) -> int | None:
    """Entries declared by the end-of-central-directory record (None: no record, not a zip)."""
    fileobj.seek(0, io.SEEK_END)
    size = fileobj.tell()
    tail_len = min(size, 22 + 65535)
    fileobj.seek(size - tail_len)
    tail = fileobj.read(tail_len)
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < 22:
        return None
    (total,) = struct.unpack("<H", tail[at + 10:at + 12])
    return total


def open_zip(fileobj, *, limits: ZipLimits, field: str = "fichier") -> zipfile.ZipFile:
    """Open a zip container after checking its central directory against `limits` (nothing inflated)."""
    count = _entry_count(fileobj)
    if count is None:
        raise _damaged(field)
    if count >= 0xFFFF or count > limits.max_members:  # 0xFFFF: a ZIP64 count, never needed here
        raise UploadError(f"Le fichier contient trop d'éléments ({count}) : {limits.max_members} au plus.",
                          field=field)
    fileobj.seek(0)
    try:
        zf = zipfile.ZipFile(fileobj)
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, struct.error):
        raise _damaged(field) from None
    if len(infos) > limits.max_members:
        raise UploadError(f"Le fichier contient trop d'éléments : {limits.max_members} au plus.", field=field)
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise UploadError("Le fichier est protégé par un mot de passe : enregistrez-le sans protection.",
                              field=field)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise UploadError("Le fichier utilise une méthode de compression non prise en charge : "
                              "enregistrez-le de nouveau depuis votre logiciel.", field=field)
        if info.file_size > limits.max_member_bytes:
            raise _bomb(field) if info.file_size > limits.max_ratio * max(info.compress_size, 1) else UploadError(
                f"Le fichier est trop volumineux une fois décompressé : un de ses éléments occupe "
                f"{human_size(info.file_size)}, {limit_size(limits.max_member_bytes)} au plus.", field=field)
        if info.file_size > limits.ratio_from_bytes and \
                info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise _bomb(field)
        total += info.file_size
    if total > limits.max_total_bytes:
        raise UploadError(f"Le fichier est trop volumineux une fois décompressé ({human_size(total)}) : "
                          f"{limit_size(limits.max_total_bytes)} au plus.", field=field)
    return zf


def inflate_member(zf: zipfile.ZipFile, fileobj, info: zipfile.ZipInfo, *, field: str = "fichier",
                   limit: int | None = None) -> Iterator[bytes]:
    """The member's bytes, chunk by chunk (64 KiB at most each), never more than its declared size.

    Reads the raw compressed bytes after the member's local header and inflates them with zlib,
    bounded per step: a member that holds more than it declares (or than `limit`) is refused as soon
    as the excess appears, having cost at most one chunk.
    """
    cap = info.file_size if limit is None else min(info.file_size, limit)
    fileobj.seek(info.header_offset)
    header = fileobj.read(30)
    if len(header) < 30 or header[:4] != _LOCAL:
        raise _damaged(field)
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    fileobj.seek(info.header_offset + 30 + name_len + extra_len)
    left = info.compress_size
    inflater = zlib.decompressobj(-zlib.MAX_WBITS) if info.compress_type == zipfile.ZIP_DEFLATED else None
    produced = 0
    while left > 0:
        raw = fileobj.read(min(CHUNK, left))
        if not raw:
            raise _damaged(field)
        left -= len(raw)
        pending = raw
        while pending:
            if inflater is None:
                out, pending = pending, b""
            else:
                try:
                    out = inflater.decompress(pending, CHUNK)
                except zlib.error:
                    raise _damaged(field) from None
                pending = inflater.unconsumed_tail
            produced += len(out)
            if produced > info.file_size:
                raise _bomb(field)  # more than declared: a forged header
            if produced > cap:  # the caller asked for less than the member holds (a sniff)
                yield out[:len(out) - (produced - cap)]
                return
            if out:
                yield out
            if inflater is not None and inflater.eof:
                break
    if inflater is not None:
        try:
            tail = inflater.flush()
        except zlib.error:
            raise _damaged(field) from None
        produced += len(tail)
        if produced > info.file_size:
            raise _bomb(field)
        if tail:
            yield tail[:max(0, cap - (produced - len(tail)))]


def read_member_head(zf: zipfile.ZipFile, fileobj, name: str, size: int, *, field: str = "fichier") -> bytes:
    """The first `size` bytes of a member (for a sniff), inflating no more than that."""
    try:
        info = zf.getinfo(name)
    except KeyError:
        return b""
    out = b""
    for chunk in inflate_member(zf, fileobj, info, field=field, limit=size):
        out += chunk
        if len(out) >= size:
            break
    return out[:size]


def verify_zip(zf: zipfile.ZipFile, fileobj, *, limits: ZipLimits, field: str = "fichier") -> None:
    """Inflate every member in bounded chunks (output discarded) and check what really comes out: exactly
    the declared size, under the caps, with the right CRC. Afterwards, reading the archive with another
    library costs at most what `limits` allow."""
    total = 0
    for info in zf.infolist():
        produced, crc = 0, 0
        for chunk in inflate_member(zf, fileobj, info, field=field):
            produced += len(chunk)
            crc = zlib.crc32(chunk, crc)
        total += produced
        if produced != info.file_size or crc != info.CRC:
            raise _damaged(field)
        if total > limits.max_total_bytes:
            raise UploadError(f"Le fichier est trop volumineux une fois décompressé : "
                              f"{limit_size(limits.max_total_bytes)} au plus.", field=field)


# --- type sniffing -----------------------------------------------------------------------------

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def sniff(head: bytes, fileobj, *, field: str = "fichier") -> str | None:
    """The detected kind ("pdf", "png", "jpeg", "odt", "docx", "xlsx") or None. Zip containers are opened
    with `DOCUMENT_LIMITS` (a bomb is refused with its own message) and only their `mimetype` member's
    first bytes are inflated."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(_LOCAL):
        zf = open_zip(fileobj, limits=DOCUMENT_LIMITS, field=field)
        names = set(zf.namelist())
        if "mimetype" in names:
            mimetype = read_member_head(zf, fileobj, "mimetype", len(ODT_MIMETYPE) + 2, field=field).strip()
            return "odt" if mimetype == ODT_MIMETYPE else None
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
    return None


def check_upload(uploaded, *, accepted: set[str] | None = None, field: str = "fichier") -> CheckedFile:
    """Validate an uploaded document: harmless name, accepted extension (`accepted`, default: all of
    `ACCEPTED`), not empty, under `UPLOAD_MAX_BYTES`, content of the kind its extension says (sniffed,
    bounded). Raises `UploadError` (a DomainError on `field`) with a French message."""
    allowed = {ext: ACCEPTED[ext] for ext in (accepted or ACCEPTED)}
    label = ACCEPTED_LABEL if accepted is None else ", ".join(sorted({k.upper() for k, _ in allowed.values()}))
    name = check_name(getattr(uploaded, "name", ""), field=field)
    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if ext not in allowed:
        raise UploadError(f"Ce type de fichier n'est pas accepté. Formats acceptés : {label}.", field=field)
    size = uploaded.size or 0
    if size == 0:
        raise UploadError("Le fichier est vide (0 octet) : vérifiez-le puis déposez-le à nouveau.", field=field)
    check_size(size, settings.UPLOAD_MAX_BYTES, field=field)
    uploaded.seek(0)
    head = uploaded.read(16)
    kind = sniff(head, uploaded, field=field)
    expected_kind, content_type = allowed[ext]
    if kind != expected_kind:
        raise UploadError(
            f"Le contenu du fichier ne correspond pas à son extension « {ext} » : il ne s'agit pas d'un fichier "
            f"{expected_kind.upper()} valide. Formats acceptés : {label}.", field=field)
    uploaded.seek(0)
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return CheckedFile(name=name, extension=ext, content_type=content_type, size=size, sha256=digest.hexdigest())


__all__ = ["ACCEPTED", "ACCEPTED_LABEL", "CheckedFile", "DOCUMENT_LIMITS", "TABLE_LIMITS", "UploadError", "ZipLimits",
           "check_name", "check_size", "check_upload", "human_size", "inflate_member", "limit_size", "open_zip",
           "read_member_head", "sniff", "verify_zip"]
