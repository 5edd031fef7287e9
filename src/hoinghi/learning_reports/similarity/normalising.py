"""Folding a report's text into the syllables the detector compares.

Two texts that differ only in Unicode form (NFC or NFD), in where the tone mark of "oa", "oe",
"uy" sits at a syllable's end ("hoà" = "hòa", "thuỷ" = "thủy"), in case or in punctuation fold
to the same syllables. Passages properly quoted — in quotation marks, with an attribution near
them ("Nghị quyết nêu rõ: “…”", "“…” (Nghị quyết Đại hội XII)") — are left out: an honest report
quotes the resolution. A quotation with no attribution near it counts like any other text, so
putting a copied report in quotation marks does not hide it.

`fold` is the fast path used on every report (whole-text operations, no Python work per
syllable): it leaves the punctuation in, and hashing.py splits the bytes into syllables with the
same rule as `WORD` here. `syllables` is the slow path for the texts a reviewer looks at: the
same syllables, each with its place in the NFC text, for highlighting; `canonical` joins them.
A syllable is a run of characters other than white space, ASCII punctuation, U+0080–U+00BF
(no-break space, «, », °...) and U+2000–U+207F (dashes, curly quotation marks, …).
"""

import re
import unicodedata
from dataclasses import dataclass

_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # grave, acute, tilde, hook above, dot below


def _placements() -> dict[str, str]:
    """Old placement → new: "òa" → "oà", "óe" → "oé", "úy" → "uý" (lower case, NFC)."""
    pairs = {}
    for vowel, glides in (("o", "ae"), ("u", "y")):
        for mark in _MARKS:
            for glide in glides:
                old = unicodedata.normalize("NFC", vowel + mark + glide)
                pairs[old] = vowel + unicodedata.normalize("NFC", glide + mark)
    return pairs


_PLACEMENTS = _placements()
# The old placement only happens at a syllable's end ("hòa"; "hoàn" never had the choice), and
# "òa", "óe", "úy"... followed by another letter is no Vietnamese: each pair is made one form
# wherever it stands, on the UTF-8 bytes, by hashing.py (in numpy: a regular expression over
# every text cost more than all the rest of the folding). The form kept is the new placement
# where both have as many bytes, else the shorter (õe, ùy, ũy). "của", "mùa" (u + a) are not
# in the table: their mark has one place.
PLACEMENT_BYTES = {}
for _old, _new in _PLACEMENTS.items():
    _old_bytes, _new_bytes = _old.encode(), _new.encode()
    if len(_old_bytes) >= len(_new_bytes):
        PLACEMENT_BYTES[_old_bytes] = _new_bytes
    else:
        PLACEMENT_BYTES[_new_bytes] = _old_bytes
WORD = re.compile(r"[^\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\xbf\u2000-\u207f\s]+")
_QUOTATION = re.compile(r"“[^“”]{1,3000}”|\"[^\"]{1,3000}\"")
# Who is quoted: words that attribute a quotation, looked for just before or just after it.
_ATTRIBUTION = re.compile(
    r"nghị\s+quyết|văn\s+kiện|đại\s+hội|điều\s+lệ|chỉ\s+thị|nêu\s+rõ|chỉ\s+rõ|khẳng\s+định|"
    r"xác\s+định|đề\s+ra|nhấn\s+mạnh|theo\s|trích|bác\s+hồ|chủ\s+tịch|tổng\s+liên\s+đoàn|báo\s+cáo",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?;\n]")
ATTRIBUTION_REACH = 80  # characters before the opening or after the closing quotation mark


def nfc(text: str) -> str:
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def quotations(text: str) -> list[tuple[int, int]]:
    """The properly quoted passages of an NFC text: (start, end), quotation marks included."""
    found = []
    for match in _QUOTATION.finditer(text):
        # Within the quotation's own sentence: an earlier sentence's "Nghị quyết nêu rõ" does not
        # attribute the next quotation.
        before = _SENTENCE_END.split(text[max(0, match.start() - ATTRIBUTION_REACH) : match.start()])[-1]
        after = _SENTENCE_END.split(text[match.end() : match.end() + ATTRIBUTION_REACH], maxsplit=1)[0]
        if _ATTRIBUTION.search(before) or _ATTRIBUTION.search(after):
            found.append(match.span())
    return found


def _without_quotations(text: str) -> str:
    if "“" not in text and '"' not in text:
        return text
    spans = quotations(text)
    if not spans:
        return text
    parts, last = [], 0
    for start, end in spans:
        parts.append(text[last:start])
        parts.append(" \n ")  # a quotation also breaks the run of syllables around it
        last = end
    parts.append(text[last:])
    return "".join(parts)


def _one_placement(word: str) -> str:
    """The slow path's tone-mark placement for one syllable (hashing.py does every text's at
    once, to the same form)."""
    data = word.encode()
    for old, new in PLACEMENT_BYTES.items():
        if old in data:
            data = data.replace(old, new)
    return data.decode()


def fold(text: str) -> bytes:
    """The text folded for hashing, as UTF-8: quotations out, NFC, lower case; punctuation
    still in (hashing.py treats it as space), and the tone-mark placements (hashing.py makes
    them one)."""
    return _without_quotations(nfc(text)).lower().encode()


def canonical(text: str) -> str:
    """The text's counted syllables, folded, separated by single spaces."""
    return " ".join(syllable.text for syllable in syllables(text))


@dataclass(frozen=True, slots=True)
class Syllable:
    text: str  # folded
    start: int  # in the NFC text
    end: int


def syllables(text: str) -> list[Syllable]:
    """The counted syllables of a text with their places in `nfc(text)` (quotations skipped)."""
    text = nfc(text)
    spans = quotations(text)
    found, quoted = [], 0
    for match in WORD.finditer(text):
        while quoted < len(spans) and spans[quoted][1] <= match.start():
            quoted += 1
        if quoted < len(spans) and spans[quoted][0] <= match.start():
            continue
        found.append(Syllable(_one_placement(match.group().lower()), match.start(), match.end()))
    return found
