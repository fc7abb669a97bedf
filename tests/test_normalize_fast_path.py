"""The fast normaliser (str.translate + whitespace runs) gives the same text and offset map as a plain per-character reference."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.normalize import _BRACKETS, _KEEP_SPACE, normalize


def reference_pass1(original: str):
    """The straightforward definition: map each kept char, drop whitespace, re-insert one space
    between Latin letters/digits (never between two digits)."""
    chars, starts, ends = [], [], []
    for i, ch in enumerate(original):
        if ch.isspace() or ch in "\u200b\ufeff":
            continue
        code = ord(ch)
        chars.append(chr(code - 0xFEE0) if 0xFF01 <= code <= 0xFF5E else _BRACKETS.get(ch, ch))
        starts.append(i)
        ends.append(i + 1)
    out_c, out_s, out_e = [], [], []
    for k, ch in enumerate(chars):
        if k and starts[k] > ends[k - 1]:
            gap = original[ends[k - 1]:starts[k]]
            if gap.strip(" \t\r\n\u3000\u00a0\u200b\ufeff") == "" and _KEEP_SPACE.match(chars[k - 1]) \
                    and _KEEP_SPACE.match(ch) and not (chars[k - 1].isdigit() and ch.isdigit()):
                out_c.append(" ")
                out_s.append(ends[k - 1])
                out_e.append(starts[k])
        out_c.append(ch)
        out_s.append(starts[k])
        out_e.append(ends[k])
    return "".join(out_c), tuple(out_s), tuple(out_e)


ALPHABET = st.sampled_from(list("ab1２３ ，。；：（）％　\t\n\u200b\ufeff\u00a0\u2003〔〕【】—．Ａｚ9 0元"))


@settings(max_examples=500, deadline=None)
@given(st.lists(ALPHABET, max_size=30).map("".join))
def test_fast_path_matches_reference_without_numerals(text):
    n = normalize(text)
    assert (n.text, n.starts, n.ends) == reference_pass1(text)


def test_spaces_and_offsets_on_a_tender_line():
    n = normalize("投标保证金 ：人民币 8 万元，支持 Windows 10 与 IPv6")
    assert n.text == "投标保证金:人民币8万元,支持Windows 10与IPv6"
    s = n.text.index("8万元")
    assert n.excerpt(s, s + 3) == "8 万元"
