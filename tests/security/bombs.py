"""Hostile files built in memory: zip bombs (honest and forged headers) as ODT and XLSX.

A zip member is written by hand (local header, data, central directory) so its declared size and CRC
can lie: `zipfile` would refuse to write such a file, an attacker's tool does not.
"""

from __future__ import annotations

import functools
import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

MIB = 1024 * 1024
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


@dataclass
class Member:
    name: str
    compressed: bytes
    method: int  # zipfile.ZIP_STORED or ZIP_DEFLATED
    crc: int
    size: int  # declared uncompressed size


@functools.lru_cache(maxsize=8)
def deflate(prefix: bytes, filler: bytes, megabytes: int, suffix: bytes = b"") -> tuple[bytes, int, int]:
    """(raw deflate stream, real size, CRC) of prefix + `megabytes` MiB of `filler` + suffix, built in
    streaming (the inflated content is never in memory). Each MiB is compressed once and its bytes repeated:
    a full flush after each one leaves the compressor as it started, so every MiB of filler compresses to the
    same byte-aligned blocks (about 1 KB, the ratio of deflate at its best), a valid stream that inflates to
    exactly the same bytes (tests/security/test_bombs_build.py) in a tenth of the time."""
    comp = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = (filler * (MIB // len(filler) + 1))[:MIB]
    parts, crc = [comp.compress(prefix) + comp.flush(zlib.Z_FULL_FLUSH)], zlib.crc32(prefix)
    compressed_block = comp.compress(block) + comp.flush(zlib.Z_FULL_FLUSH) if megabytes else b""
    for _ in range(megabytes):
        parts.append(compressed_block)
        crc = zlib.crc32(block, crc)
    parts += [comp.compress(suffix), comp.flush()]
    crc = zlib.crc32(suffix, crc)
    return b"".join(parts), len(prefix) + megabytes * MIB + len(suffix), crc


def member(name: str, data: bytes, method: int = zipfile.ZIP_DEFLATED) -> Member:
    if method == zipfile.ZIP_STORED:
        return Member(name, data, method, zlib.crc32(data), len(data))
    comp = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return Member(name, comp.compress(data) + comp.flush(), method, zlib.crc32(data), len(data))


def build_zip(members: list[Member]) -> bytes:
    out = io.BytesIO()
    central = []
    for m in members:
        offset = out.tell()
        name = m.name.encode()
        out.write(struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, m.method, 0, 0x21, m.crc,
                              len(m.compressed), m.size, len(name), 0))
        out.write(name)
        out.write(m.compressed)
        central.append(struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, m.method, 0, 0x21, m.crc,
                                   len(m.compressed), m.size, len(name), 0, 0, 0, 0, 0, offset) + name)
    start = out.tell()
    for entry in central:
        out.write(entry)
    size = out.tell() - start
    out.write(struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(central), len(central), size, start, 0))
    return out.getvalue()


def odt_bomb(megabytes: int = 400, *, forged: bool = False) -> bytes:
    """An .odt whose `mimetype` member inflates to `megabytes` MiB. `forged`: its headers declare only
    the 39 bytes of the real mimetype (with their CRC), so a size check on the headers alone passes."""
    data, size, crc = deflate(ODT_MIMETYPE, b"\0", megabytes)
    if forged:
        size, crc = len(ODT_MIMETYPE), zlib.crc32(ODT_MIMETYPE)
    return build_zip([Member("mimetype", data, zipfile.ZIP_DEFLATED, crc, size),
                      member("content.xml", b"<office:document-content/>")])


_MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _xlsx_parts(headers: list[str]) -> dict[str, bytes]:
    """A minimal real workbook (what Excel writes, reduced): one sheet whose cells are shared strings, row 1
    the `headers`, row 2 "x" in every column. The shared string table itself is added by the caller."""
    cols = [chr(65 + i) for i in range(len(headers))]
    row1 = b"".join(b'<c r="%s1" t="s"><v>%d</v></c>' % (c.encode(), i) for i, c in enumerate(cols))
    row2 = b"".join(b'<c r="%s2" t="s"><v>%d</v></c>' % (c.encode(), len(cols)) for c in cols)
    return {
        "[Content_Types].xml": b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        b'<Default Extension="xml" ContentType="application/xml"/>'
        b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        b'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml"'
        b' ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        "_rels/.rels": b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="' + _REL + b'/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": b'<workbook xmlns="' + _MAIN + b'" xmlns:r="' + _REL + b'"><sheets><sheet name="Plan" '
        b'sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'relationships"><Relationship Id="rId1" Type="' + _REL + b'/worksheet" Target="worksheets/sheet1.xml"/>'
        b'<Relationship Id="rId2" Type="' + _REL + b'/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": b'<worksheet xmlns="' + _MAIN + b'"><sheetData><row r="1">' + row1
        + b'</row><row r="2">' + row2 + b"</row></sheetData></worksheet>",
    }


def _sst(body: bytes, count: int) -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="' + _MAIN + b'" count="%d" uniqueCount="%d">'
            % (count, count)) + body + b"</sst>"


def xlsx(headers: list[str]) -> bytes:
    """The same workbook with its real shared string table: it reads back as `headers` then "x"."""
    own = [*headers, "x"]
    body = b"".join(b"<si><t>%s</t></si>" % h.encode() for h in own)
    return build_zip([member(n, d) for n, d in _xlsx_parts(headers).items()]
                     + [member("xl/sharedStrings.xml", _sst(body, len(own)))])


def xlsx_shared_string_bomb(headers: list[str], megabytes: int = 300, *, forged: bool = False) -> bytes:
    """An .xlsx whose `sharedStrings.xml` holds one string of `megabytes` MiB (the 206 KB file of the
    attack held 200 MB). `forged`: the member's headers declare a small, plausible size."""
    own = b"".join(b"<si><t>%s</t></si>" % h.encode() for h in headers)
    prefix = _sst(own + b"<si><t>", len(headers) + 1)[:-len(b"</sst>")]
    data, size, crc = deflate(prefix, b"A", megabytes, b"</t></si></sst>")
    if forged:
        size, crc = 4096, 0
    members = [member(n, d) for n, d in _xlsx_parts(headers).items()]
    members.append(Member("xl/sharedStrings.xml", data, zipfile.ZIP_DEFLATED, crc, size))
    return build_zip(members)


def xlsx_at_the_limits(headers: list[str], strings: int = 280_000) -> bytes:
    """The heaviest spreadsheet the import lets through its zip checks: a shared string table of
    `strings` distinct strings (8.1 MB of XML, just under the 8 MiB member cap, ratio about 11),
    in a file of about 0.8 MB (under the 2 MB upload limit). The sheet's own strings come first."""
    own = b"".join(b"<si><t>%s</t></si>" % h.encode() for h in [*headers, "x"])
    body = own + b"".join(b"<si><t>Ligne %07d</t></si>" % i for i in range(strings))
    members = [member(n, d) for n, d in _xlsx_parts(headers).items()]
    members.append(member("xl/sharedStrings.xml", _sst(body, strings + len(headers) + 1)))
    return build_zip(members)
