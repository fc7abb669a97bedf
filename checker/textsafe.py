"""Text from documents and file names made inert for a terminal or a one-line-per-record output."""
from __future__ import annotations

import re

# controls (C0 including newline and tab, DEL, C1), line/paragraph separators, bidi overrides and
# isolates, lone surrogates: each shown as U+FFFD, so a file name can neither start a new line of
# concise output nor send an escape sequence (ESC, OSC) to the terminal
_NOT_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(s) -> str:
    s = "" if s is None else str(s)
    return _NOT_ONE_LINE.sub("\ufffd", s) if _NOT_ONE_LINE.search(s) else s
