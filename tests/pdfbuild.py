"""Writes minimal PDF files byte by byte for reader tests (objects numbered from 1, a valid xref)."""
from __future__ import annotations


def serialize_pdf(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    """A PDF whose object N is ``objects[N-1]``; object 1 must be the catalog."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer_extra, xref)
    return bytes(out)
