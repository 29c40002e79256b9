"""The bombs of test_upload_bombs.py are what they claim: `deflate` repeats one compressed MiB, so check that its
stream inflates to exactly prefix + filler + suffix, with the real size and CRC, and stays a bomb (ratio)."""

import zlib

from tests.security import bombs


def test_the_repeated_blocks_inflate_to_exactly_the_declared_content():
    prefix, suffix = b'<?xml version="1.0"?><sst><si><t>', b"</t></si></sst>"
    data, size, crc = bombs.deflate(prefix, b"A", 3, suffix)
    content = prefix + b"A" * (3 * bombs.MIB) + suffix
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    assert inflater.decompress(data) + inflater.flush() == content
    assert inflater.eof and not inflater.unused_data
    assert (size, crc) == (len(content), zlib.crc32(content))
    assert len(data) < size / 900  # deflate's best ratio (about 1 000), as a bomb has


def test_zero_megabytes_is_the_prefix_and_suffix_only():
    data, size, crc = bombs.deflate(b"ab", b"\0", 0, b"cd")
    assert zlib.decompress(data, -zlib.MAX_WBITS) == b"abcd" and (size, crc) == (4, zlib.crc32(b"abcd"))
