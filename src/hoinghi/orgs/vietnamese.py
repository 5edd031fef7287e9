"""Vietnamese text: alphabetical sort keys, diacritics-insensitive folding, name parts.

The sort key is a string of decimal digits, so that byte order (PostgreSQL's "C" collation,
SQLite's BINARY) and Vietnamese alphabetical order agree on both databases: the database
collation is never asked to understand Vietnamese. A locale collation (ICU "vi-VN") was
rejected because SQLite has none and the two databases would order lists differently.

Each word is keyed as its letters (two digits per letter, in the order
a ă â b c d đ e ê ... y z), then "00", then one tone digit per letter (ngang, huyền, hỏi,
ngã, sắc, nặng): letters decide first, tones only between words with the same letters
("Anh" < "Ánh" < "Ăn"), and a word sorts before its extensions ("An" < "Anh").
"""

import unicodedata

ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
# "00" ends a word, "01" separates words inside one part, digits then letters follow.
_WORD_SPACE = "01"
_RANK = {char: f"{index:02d}" for index, char in enumerate("0123456789" + ALPHABET, start=2)}

# Combining marks: the five tones, and the marks that make a different letter.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_LETTER_MARKS = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}
SORT_KEY_LENGTH = 250


def _letters(text: str) -> list[tuple[str, int]]:
    """Split text into (base letter of the Vietnamese alphabet or other char, tone) pairs."""
    result: list[tuple[str, int]] = []
    for char in unicodedata.normalize("NFD", text.casefold()):
        if unicodedata.combining(char):
            if not result:
                continue
            base, tone = result[-1]
            if char in _TONES:
                result[-1] = (base, _TONES[char])
            elif (base, char) in _LETTER_MARKS:
                result[-1] = (_LETTER_MARKS[base, char], tone)
            continue
        result.append((char, 0))
    return result


def _word_key(text: str) -> str:
    primary: list[str] = []
    tones: list[str] = []
    for char, tone in _letters(text):
        if char.isspace() or char in "-_.,":
            if primary and primary[-1] != _WORD_SPACE:
                primary.append(_WORD_SPACE)
                tones.append("0")
            continue
        rank = _RANK.get(char)
        if rank is None:
            continue  # punctuation and foreign symbols do not take part in the order
        primary.append(rank)
        tones.append(str(tone))
    if primary and primary[-1] == _WORD_SPACE:
        primary.pop()
        tones.pop()
    return "".join(primary) + "00" + "".join(tones)


def sort_key(text: str) -> str:
    """Key that orders free text (a unit's name) in Vietnamese alphabetical order."""
    return _word_key(text)


def name_sort_key(family_name: str, middle_name: str, given_name: str) -> str:
    """Key that orders people the Vietnamese way: given name, then middle, then family name."""
    key = _word_key(given_name) + _word_key(middle_name) + _word_key(family_name)
    return key[:SORT_KEY_LENGTH]


def fold(text: str) -> str:
    """Lower-case text without diacritics, whitespace collapsed: "Hà  Nội" -> "ha noi"."""
    text = text.casefold().replace("đ", "d")
    stripped = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return " ".join(stripped.split())


def search_terms(query: str) -> list[str]:
    """The folded words of a search query; every one must occur in what is found."""
    return fold(query).split()[:8]


def join_full_name(family_name: str, middle_name: str, given_name: str) -> str:
    """Full name as it is written: family, middle, given."""
    parts = (family_name, middle_name, given_name)
    return " ".join(" ".join(part.split()) for part in parts if part and part.strip())


def split_full_name(full_name: str) -> tuple[str, str, str]:
    """Split a full name into (family, middle, given): the first word, the middle words, the last word."""
    words = full_name.split()
    if not words:
        return "", "", ""
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]
