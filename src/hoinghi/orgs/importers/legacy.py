"""Text typed in the pre-Unicode Vietnamese fonts (VNI-Windows, TCVN3/ABC), back to Unicode.

Offices still keep lists typed years ago in ".VnTime" (TCVN3) or "VNI-Times": the file holds
Latin-1 characters that only the font drew as Vietnamese, so "Trần Đức Thắng" arrives as
"Traàn Ñöùc Thaéng" (VNI) or "TrÇn §øc Th¾ng" (TCVN3). No maintained PyPI package converts
these (the few that do are unmaintained NLP toolkits or document loaders with heavy
dependencies), so the tables are built here, from the rules of each encoding:

- VNI writes a base letter and then one or two bytes for the marks: "a" + "ø" is "à", "a" +
  "à" is "ầ" (circumflex and grave), "a" + "ê" is "ă"; "ô", "ö", "ñ" are "ơ", "ư", "đ"; the
  i-family and "ỵ" have bytes of their own. Capitals take the marks in capitals ("AØ"), though
  a capital followed by lower-case marks ("Uûy") is read too.
- TCVN3 gives every lower-case letter one byte ("µ" is "à", "Ç" is "ầ"); a capital is the
  capital base letter followed by the lower-case letter's byte ("A¸" is "Á"), and the seven
  capitals Ă Â Ê Ô Ơ Ư Đ have bytes of their own ("¡" ... "§").

Which encoding a file uses is decided once for the file (`detect`), from characters that
Vietnamese written in Unicode never contains; then only the cells whose characters all lie
in Latin-1 are converted, so a Unicode heading above legacy data stays as it is.
"""

import re
import unicodedata

VNI = "VNI"
TCVN3 = "TCVN3"
FONT_NAMES = {VNI: "VNI-Windows (VNI-Times…)", TCVN3: "TCVN3/ABC (.VnTime…)"}

# Tones in Unicode combining marks, in the order: grave, acute, hook, tilde, dot below.
_TONES = ("\u0300", "\u0301", "\u0309", "\u0303", "\u0323")

# --- VNI ---------------------------------------------------------------------------------------

_VNI_TONE = "øùûõï"  # after a plain vowel (a e o u y, ơ, ư)
_VNI_CIRCUMFLEX = "âàáåãä"  # circumflex alone, then with each tone (a e o)
_VNI_BREVE = "êèéúüë"  # breve alone, then with each tone (a)
_VNI_I = "ìíæóò"  # i with each tone: one byte each
_VNI_SINGLE = {"ô": "ơ", "ö": "ư", "ñ": "đ", "î": "ỵ"}


def _compose(base: str, *marks: str) -> str:
    return unicodedata.normalize("NFC", base + "".join(marks))


def _vni_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for lower in (False, True):

        def case(text: str, lower=lower) -> str:
            return text if lower else text.upper()

        for base in "aeouy":
            for tone, mark in zip(_TONES, _VNI_TONE, strict=True):
                table[case(base + mark)] = case(_compose(base, tone))
        for base in ("ô", "ö"):  # ơ and ư, then their tones
            for tone, mark in zip(_TONES, _VNI_TONE, strict=True):
                table[case(base + mark)] = case(_compose(_VNI_SINGLE[base], tone))
        for base in "aeo":
            table[case(base + _VNI_CIRCUMFLEX[0])] = case(_compose(base, "\u0302"))
            for tone, mark in zip(_TONES, _VNI_CIRCUMFLEX[1:], strict=True):
                table[case(base + mark)] = case(_compose(base, "\u0302", tone))
        table[case("a" + _VNI_BREVE[0])] = case("ă")
        for tone, mark in zip(_TONES, _VNI_BREVE[1:], strict=True):
            table[case("a" + mark)] = case(_compose("a", "\u0306", tone))
        for tone, mark in zip(_TONES, _VNI_I, strict=True):
            table[case(mark)] = case(_compose("i", tone))
        for byte, letter in _VNI_SINGLE.items():
            table[case(byte)] = case(letter)
    # A capital typed before lower-case marks ("Uûy ban" for "Ủy ban") is common in real files.
    for key, letter in list(table.items()):
        if len(key) == 2 and key.islower():
            table.setdefault(key[0].upper() + key[1], letter.upper())
    return table


# --- TCVN3 -------------------------------------------------------------------------------------

# Each row: the letter without tone, then with grave, acute, hook, tilde, dot below.
_TCVN3_ROWS = {
    "a": "aµ¸¶·¹",
    "ă": "¨»¾¼½Æ",
    "â": "©ÇÊÈÉË",
    "e": "eÌÐÎÏÑ",
    "ê": "ªÒÕÓÔÖ",
    "i": "i×ÝØÜÞ",
    "o": "oßãáâä",
    "ô": "«åèæçé",
    "ơ": "¬êíëìî",
    "u": "uïóñòô",
    "ư": "\u00adõøö÷ù",
    "y": "yúýûüþ",
}
_TCVN3_CAPITALS = {"ă": "¡", "â": "¢", "ê": "£", "ô": "¤", "ơ": "¥", "ư": "¦", "đ": "§"}


def _tcvn3_table() -> dict[str, str]:
    table: dict[str, str] = {"®": "đ", "§": "Đ"}
    for base, row in _TCVN3_ROWS.items():
        capital_base = _TCVN3_CAPITALS.get(base, base.upper())
        for position, byte in enumerate(row):
            letter = _compose(base, _TONES[position - 1]) if position else base
            if byte != letter:
                table[byte] = letter
            if position:  # a toned capital: the capital base, then the lower-case letter's byte
                table[capital_base + byte] = letter.upper()
        if base in _TCVN3_CAPITALS:
            table[_TCVN3_CAPITALS[base]] = base.upper()
    return table


_TABLES = {VNI: _vni_table(), TCVN3: _tcvn3_table()}
_PATTERNS = {
    name: re.compile("|".join(re.escape(key) for key in sorted(table, key=len, reverse=True)))
    for name, table in _TABLES.items()
}
# Characters that Vietnamese in Unicode never holds, but each legacy encoding writes often.
_TCVN3_EVIDENCE = frozenset("¡¢£¤¥¦§¨©ª«¬\u00ad®µ¶·¸¹»¼½¾×Þßþ÷")
_VNI_EVIDENCE = frozenset("øØûÛïÏñÑöÖåÅäÄëËüÜæÆîÎ")
_VNI_PAIR = re.compile(r"[aeiouyAEIOUY][øùûõïâàáåãäêèéúüëØÙÛÕÏÂÀÁÅÃÄÊÈÉÚÜË]")


def _is_candidate(text: str) -> bool:
    """Latin-1 beyond ASCII only: what a legacy font's text looks like once read."""
    return not text.isascii() and max(text) <= "\u00ff"


def detect(texts) -> str | None:
    """The legacy encoding of a file's text cells, or None when they are Unicode.

    Decided on the whole file: a cell of Unicode Vietnamese (any letter past Latin-1) counts
    against, a cell with a character only a legacy encoding writes counts for. TCVN3 wins
    over VNI when both seem present, since its marks are not letters at all.
    """
    unicode_cells = tcvn3 = vni = 0
    for text in texts:
        if not isinstance(text, str) or text.isascii():
            continue
        if not _is_candidate(text):
            unicode_cells += 1
            continue
        characters = set(text)
        if characters & _TCVN3_EVIDENCE:
            tcvn3 += 1
        elif characters & _VNI_EVIDENCE or _VNI_PAIR.search(text):
            vni += 1
    if tcvn3 and tcvn3 >= vni and tcvn3 > unicode_cells:
        return TCVN3
    if vni and vni > unicode_cells:
        return VNI
    return None


def convert(text: str, encoding: str) -> str:
    """`text` read in `encoding`, in Unicode (NFC); text beyond Latin-1 is already Unicode."""
    if not isinstance(text, str) or not _is_candidate(text):
        return text
    table = _TABLES[encoding]
    return _PATTERNS[encoding].sub(lambda match: table[match.group(0)], text)


def convert_rows(rows: list[tuple[int, list]], encoding: str) -> list[tuple[int, list]]:
    return [(number, [convert(cell, encoding) for cell in cells]) for number, cells in rows]


def sheet_encoding(rows: list[tuple[int, list]]) -> str | None:
    return detect(cell for _number, cells in rows for cell in cells)
