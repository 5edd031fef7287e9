"""Shingles as 64-bit hashes, computed for many texts at once with numpy.

A shingle is a run of `SHINGLE` consecutive syllables of a folded text (normalising.fold). Its
hash is computed from the bytes without a Python step per syllable: a polynomial prefix hash of
the bytes gives each syllable's hash in one subtraction, five syllables' hashes combine into the
shingle's, and a final mix spreads the bits so that the low bits sample shingles evenly (the
candidates keep one shingle in `SAMPLE_EVERY`, the same ones in every text). Texts are taken in
chunks of about `CHUNK_BYTES` so the temporary arrays stay small.

The result for n texts is one array of hashes and n + 1 offsets: text i's shingles, sorted and
without repeats, are `hashes[offsets[i]:offsets[i + 1]]`.
"""

from collections.abc import Iterable, Sequence

import numpy as np

SHINGLE = 5
SAMPLE_EVERY = 8  # the candidates' sample: a shingle whose hash is 0 modulo this
CHUNK_BYTES = 4 << 20

_SPACE, _BREAK = 32, 10
_BASE = np.uint64(0x100000001B3)  # odd, so invertible modulo 2**64
_BASE_INVERSE = np.uint64(pow(0x100000001B3, -1, 1 << 64))
_WEIGHTS = [np.uint64(w) for w in (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                                   0xD6E8FEB86659FD93, 0xFF51AFD7ED558CCD)]  # fmt: skip


def _mix(values: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: every input bit moves every output bit."""
    values = values ^ (values >> np.uint64(30))
    values *= np.uint64(0xBF58476D1CE4E5B9)
    values ^= values >> np.uint64(27)
    values *= np.uint64(0x94D049BB133111EB)
    return values ^ (values >> np.uint64(31))


class _Powers:
    """BASE**i and BASE**-i modulo 2**64, grown on demand."""

    def __init__(self) -> None:
        self.up = self.down = np.ones(0, dtype=np.uint64)

    def ensure(self, length: int) -> None:
        if len(self.up) >= length:
            return
        length = max(length, 2 * len(self.up))
        with np.errstate(over="ignore"):
            self.up = np.cumprod(np.full(length, _BASE, dtype=np.uint64), dtype=np.uint64) * _BASE_INVERSE
            self.down = np.cumprod(np.full(length, _BASE_INVERSE, dtype=np.uint64), dtype=np.uint64) * _BASE


_POWERS = _Powers()


def _in_order(folded: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Every shingle's hash in the order of the texts, and the text it belongs to."""
    encoded = [text.encode() for text in folded]
    data = np.frombuffer(b"\n".join(encoded), dtype=np.uint8)
    empty = np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    if not len(data):
        return empty
    text_starts = np.zeros(len(encoded), dtype=np.int64)
    if len(encoded) > 1:
        text_starts[1:] = np.cumsum([len(part) + 1 for part in encoded[:-1]])
    _POWERS.ensure(len(data) + 1)
    is_word = (data != _SPACE) & (data != _BREAK)
    edges = np.diff(np.concatenate(([0], is_word.view(np.int8), [0])))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    count = len(starts) - SHINGLE + 1
    if count <= 0:
        return empty
    with np.errstate(over="ignore"):
        prefix = np.zeros(len(data) + 1, dtype=np.uint64)
        np.cumsum(data.astype(np.uint64) * _POWERS.up[: len(data)], dtype=np.uint64, out=prefix[1:])
        syllables = _mix((prefix[ends] - prefix[starts]) * _POWERS.down[starts])
        combined = syllables[:count] * _WEIGHTS[0]
        for step in range(1, SHINGLE):
            combined += syllables[step : step + count] * _WEIGHTS[step]
        shingles = _mix(combined)
    owners = np.searchsorted(text_starts, starts, side="right") - 1
    owner = owners[:count]
    whole = owner == owners[SHINGLE - 1 :]  # the run does not cross into the next text
    return shingles[whole], owner[whole]


def _chunk(folded: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    shingles, owner = _in_order(folded)
    order = np.lexsort((shingles, owner))
    shingles, owner = shingles[order], owner[order]
    first = np.ones(len(shingles), dtype=bool)
    first[1:] = (shingles[1:] != shingles[:-1]) | (owner[1:] != owner[:-1])
    shingles, owner = shingles[first], owner[first]
    offsets = np.searchsorted(owner, np.arange(len(folded) + 1), side="left")
    return shingles, offsets.astype(np.int64)


def positions(folded: str) -> np.ndarray:
    """The hash of the shingle starting at each syllable of one folded text (repeats kept)."""
    return _in_order([folded])[0]


def fingerprints(folded: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
    """The sorted distinct shingle hashes of each folded text, as (hashes, offsets)."""
    parts, offsets, chunk, size, base = [], [np.zeros(1, dtype=np.int64)], [], 0, 0

    def flush():
        nonlocal chunk, size, base
        hashes, local = _chunk(chunk)
        parts.append(hashes)
        offsets.append(local[1:] + base)
        base += len(hashes)
        chunk, size = [], 0

    for text in folded:
        chunk.append(text)
        size += len(text) + 1
        if size >= CHUNK_BYTES:
            flush()
    if chunk:
        flush()
    hashes = np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint64)
    return hashes, np.concatenate(offsets)


def of_text(folded: str) -> np.ndarray:
    """One folded text's sorted distinct shingle hashes."""
    return _chunk([folded])[0]


def members(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """Which of `values` are in `sorted_set` (sorted, distinct): a boolean array."""
    if not len(sorted_set) or not len(values):
        return np.zeros(len(values), dtype=bool)
    places = np.searchsorted(sorted_set, values)
    places[places == len(sorted_set)] = 0
    return sorted_set[places] == values


def sampled(hashes: np.ndarray) -> np.ndarray:
    return hashes[(hashes % np.uint64(SAMPLE_EVERY)) == 0]
