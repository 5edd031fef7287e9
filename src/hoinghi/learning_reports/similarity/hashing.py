"""Shingles as hashes, computed for many texts at once with numpy.

A shingle is a run of `SHINGLE` consecutive syllables of a folded text (normalising.fold, UTF-8),
the syllables split from its bytes by the rule of normalising.WORD. Its hash is computed without
a Python step per syllable: each syllable's bytes are read as two 64-bit numbers and mixed,
five syllables' hashes combine into the shingle's, and a final mix spreads the
bits so that the low bits sample shingles evenly (the candidates keep one shingle in
`SAMPLE_EVERY`, the same ones in every text). A hash keeps `HASH_BITS` bits: the candidates'
index sorts (hash, text) as one 64-bit number; 20 million distinct shingles in 2**48 make a
collision unlikely, and one would move a share by one shingle.

Texts are taken in chunks of about `CHUNK_BYTES` so the temporary arrays stay small. The result
for n texts is one array of hashes in the texts' order (repeats kept: sorting 37 million hashes
costs more than everything else, and only the candidates need their texts' distinct shingles)
and n + 1 offsets: text i's shingles are `hashes[offsets[i]:offsets[i + 1]]`.

A text's *sample* — its distinct sampled shingles, sorted, before the boilerplate is taken out —
depends on its text alone: the candidates' index is built from the samples, and the application
stores each submitted version's sample (its `VersionShingles` row) so that an assignment's index
is read back in one query instead of folding and hashing every report again. A stored sample is
used only while its `SIGNATURE_VERSION` is the current one: changing how a text is folded or
hashed changes `REVISION` (a test pins the sample of a fixed text), and the samples are made
again from the texts.
"""

import zlib
from collections.abc import Iterable, Sequence

import numpy as np

from hoinghi.learning_reports.similarity.normalising import PLACEMENT_BYTES

SHINGLE = 5
SAMPLE_EVERY = 8  # the candidates' sample: a shingle whose hash is 0 modulo this
CHUNK_BYTES = 4 << 20
CHUNK_HASHES = 1 << 22
HASH_BITS = 48
HASH_MASK = np.uint64((1 << HASH_BITS) - 1)
REVISION = 1  # of the folding and the hashing: bump it when a text's shingles change
SIGNATURE_VERSION = f"r{REVISION}-s{SHINGLE}-e{SAMPLE_EVERY}-b{HASH_BITS}"

_BREAK = b"\n"  # between two texts of a chunk (a gap like any white space)
# The bytes never part of a syllable: ASCII other than letters and digits. Two more ranges are
# gaps through their lead bytes: U+0080–U+00BF (0xC2 and one byte) and U+2000–U+207F (0xE2
# 0x80/0x81 and one byte).
_ASCII_GAP = np.ones(256, dtype=bool)
_ASCII_GAP[128:] = False
for _first, _last in ((48, 57), (65, 90), (97, 122)):
    _ASCII_GAP[_first : _last + 1] = False
_ALL = np.uint64((1 << 64) - 1)
_WEIGHTS = [np.uint64(w) for w in (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                                   0xD6E8FEB86659FD93, 0xFF51AFD7ED558CCD)]  # fmt: skip


def _mix(values: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: every input bit moves every output bit."""
    values = values ^ (values >> np.uint64(30))
    values *= np.uint64(0xBF58476D1CE4E5B9)
    values ^= values >> np.uint64(27)
    values *= np.uint64(0x94D049BB133111EB)
    return values ^ (values >> np.uint64(31))


def _gaps(data: np.ndarray) -> np.ndarray:
    is_gap = _ASCII_GAP[data]
    last = len(data) - 1
    lead = np.flatnonzero(data == 0xC2)
    is_gap[lead] = True
    is_gap[np.minimum(lead + 1, last)] = True
    lead = np.flatnonzero(data == 0xE2)
    lead = lead[(data[np.minimum(lead + 1, last)] | 1) == 0x81]
    for step in range(3):
        is_gap[np.minimum(lead + step, last)] = True
    return is_gap


_PLACEMENT_RULES = [
    (np.frombuffer(old, dtype=np.uint8), np.frombuffer(new, dtype=np.uint8))
    for old, new in PLACEMENT_BYTES.items()
]


# Where a pair may stand: its first three bytes looked up in a table of 2**24.
_PLACEMENT_STARTS = np.zeros(1 << 24, dtype=bool)
for _old, _new in _PLACEMENT_RULES:
    _PLACEMENT_STARTS[(int(_old[0]) << 16) | (int(_old[1]) << 8) | int(_old[2])] = True


def _one_placement(data: np.ndarray, text_starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The bytes with every tone-mark pair of `normalising.PLACEMENT_BYTES` in its one form
    (a form one byte shorter leaves a byte that is taken out), and the texts' new starts."""
    if len(data) < 4:
        return data, text_starts
    wide = data.astype(np.uint32)
    places = np.flatnonzero(_PLACEMENT_STARTS[(wide[:-2] << 16) | (wide[1:-1] << 8) | wide[2:]])
    places = places[places < len(data) - 3]
    if not len(places):
        return data, text_starts
    data = data.copy()
    removed = []
    for old, new in _PLACEMENT_RULES:
        match = places
        for step in range(len(old)):
            match = match[data[match + step] == old[step]]
        if not len(match):
            continue
        for step in range(len(new)):
            data[match + step] = new[step]
        if len(new) < len(old):
            removed.append(match + len(new))
    if removed:
        gone = np.sort(np.concatenate(removed))
        keep = np.ones(len(data), dtype=bool)
        keep[gone] = False
        data = data[keep]
        text_starts = text_starts - np.searchsorted(gone, text_starts)
    return data, text_starts


def _syllable_hashes(padded: bytes, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Each syllable's hash from its bytes: the first 16 bytes read as two 64-bit numbers (a
    Vietnamese syllable has at most 9 bytes), masked to the syllable's length, mixed with the
    length; the rare longer run (a number, a web address) gets its remaining bytes' CRC too."""
    buffer = np.frombuffer(padded, dtype=np.uint8)
    words = np.ndarray(shape=(len(buffer) - 8,), dtype="<u8", buffer=buffer, strides=(1,))
    lengths = (ends - starts).astype(np.uint64)
    first = words[starts] & (_ALL >> (np.uint64(64) - np.uint64(8) * np.minimum(lengths, np.uint64(8))))
    rest = np.minimum(lengths, np.uint64(16)) - np.minimum(lengths, np.uint64(8))
    second = np.where(
        rest > 0,
        words[starts + 8] & (_ALL >> (np.uint64(64) - np.uint64(8) * np.maximum(rest, np.uint64(1)))),
        0,
    ).astype(np.uint64)
    with np.errstate(over="ignore"):
        hashes = _mix(first ^ _mix(second ^ (lengths * _WEIGHTS[0])))
        for place in np.flatnonzero(lengths > 16).tolist():
            tail = zlib.crc32(padded[starts[place] + 16 : ends[place]])
            hashes[place] = _mix(hashes[place] ^ np.uint64(tail))
    return hashes


def _chunk(folded: Sequence[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """Every shingle's hash in the order of the texts, and the offsets of each text's."""
    offsets = np.zeros(len(folded) + 1, dtype=np.int64)
    text_starts = np.zeros(len(folded), dtype=np.int64)
    if len(folded) > 1:
        text_starts[1:] = np.cumsum([len(part) + 1 for part in folded[:-1]])
    data, text_starts = _one_placement(np.frombuffer(_BREAK.join(folded), dtype=np.uint8), text_starts)
    if not len(data):
        return np.zeros(0, dtype=np.uint64), offsets
    padded = data.tobytes() + bytes(24)
    is_word = ~_gaps(data)
    before = np.zeros(len(data), dtype=bool)
    before[1:] = is_word[:-1]
    after = np.zeros(len(data), dtype=bool)
    after[:-1] = is_word[1:]
    starts = np.flatnonzero(is_word & ~before)
    ends = np.flatnonzero(is_word & ~after) + 1
    count = len(starts) - SHINGLE + 1
    if count <= 0:
        return np.zeros(0, dtype=np.uint64), offsets
    syllables = _syllable_hashes(padded, starts, ends)
    with np.errstate(over="ignore"):
        combined = syllables[:count] * _WEIGHTS[0]
        for step in range(1, SHINGLE):
            combined += syllables[step : step + count] * _WEIGHTS[step]
        shingles = _mix(combined) & HASH_MASK
    owners = np.searchsorted(text_starts, starts, side="right") - 1
    owner = owners[:count]
    whole = owner == owners[SHINGLE - 1 :]  # the run does not cross into the next text
    shingles, owner = shingles[whole], owner[whole]
    offsets[1:] = np.cumsum(np.bincount(owner, minlength=len(folded)))
    return shingles, offsets


def _distinct_per_text(hashes: np.ndarray, owners: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Each text's distinct hashes, sorted, as (hashes, offsets); `owners[i]` is the text of
    `hashes[i]`, of `count` texts, in order."""
    if count < (1 << (64 - HASH_BITS)):  # one sort of (text, hash) packed in 64 bits
        keys = np.unique((owners.astype(np.uint64) << np.uint64(HASH_BITS)) | hashes)
        hashes, owners = keys & HASH_MASK, (keys >> np.uint64(HASH_BITS)).astype(np.int64)
    else:
        order = np.lexsort((hashes, owners))
        hashes, owners = hashes[order], owners[order]
        first = np.concatenate(([True], (hashes[1:] != hashes[:-1]) | (owners[1:] != owners[:-1])))
        hashes, owners = hashes[first], owners[first]
    offsets = np.zeros(count + 1, dtype=np.int64)
    offsets[1:] = np.cumsum(np.bincount(owners, minlength=count))
    return hashes, offsets


def fingerprints(
    folded: Iterable[bytes], *, dropped=None, with_samples: bool = False, only_samples: bool = False
) -> tuple:
    """The shingle hashes of each folded text in order, as (hashes, offsets); `dropped` (a
    Membership) leaves out the shingles in it, chunk by chunk. `with_samples`: also each text's
    sample (its distinct sampled shingles, sorted, none dropped) as (samples, sample offsets);
    `only_samples`: the samples alone (the hashes are not kept: an eighth of the memory)."""
    with_samples = with_samples or only_samples
    parts, offsets, chunk, size, base = [], [np.zeros(1, dtype=np.int64)], [], 0, 0
    sample_parts, sample_offsets, sample_base = [], [np.zeros(1, dtype=np.int64)], 0

    def flush():
        nonlocal chunk, size, base, sample_base
        hashes, local = _chunk(chunk)
        if with_samples:
            places = sampled_places(hashes)
            owners = np.searchsorted(local, places, side="right") - 1
            sample, sample_local = _distinct_per_text(hashes[places], owners, len(chunk))
            sample_parts.append(sample)
            sample_offsets.append(sample_local[1:] + sample_base)
            sample_base += len(sample)
            if only_samples:
                chunk, size = [], 0
                return
        if dropped is not None and len(dropped):
            kept = ~dropped(hashes)
            local = np.concatenate(([0], np.cumsum(kept, dtype=np.int64)))[local]
            hashes = hashes[kept]
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
    samples = np.concatenate(sample_parts) if sample_parts else np.zeros(0, dtype=np.uint64)
    if only_samples:
        return samples, np.concatenate(sample_offsets)
    hashes = np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint64)
    if not with_samples:
        return hashes, np.concatenate(offsets)
    return hashes, np.concatenate(offsets), samples, np.concatenate(sample_offsets)


def positions(folded: bytes) -> np.ndarray:
    """The hash of the shingle starting at each syllable of one folded text (repeats kept)."""
    return _chunk([folded])[0]


def of_text(folded: bytes) -> np.ndarray:
    """One folded text's distinct shingle hashes, sorted."""
    return np.unique(_chunk([folded])[0])


class Membership:
    """Which hashes are in a set: a bit table on the low bits first (one memory read a hash),
    then an exact look-up for the few the table lets through."""

    TABLE_BITS = 22

    def __init__(self, hashes: np.ndarray):
        self.sorted = np.unique(hashes)
        self.table = np.zeros(1 << self.TABLE_BITS, dtype=bool)
        self.table[(self.sorted & np.uint64((1 << self.TABLE_BITS) - 1)).astype(np.int64)] = True

    def __len__(self) -> int:
        return len(self.sorted)

    def __call__(self, values: np.ndarray) -> np.ndarray:
        if not len(self.sorted) or not len(values):
            return np.zeros(len(values), dtype=bool)
        if len(values) > CHUNK_HASHES:  # in slices: the temporaries of 37 million hashes add up
            return np.concatenate(
                [self(values[start : start + CHUNK_HASHES]) for start in range(0, len(values), CHUNK_HASHES)]
            )
        low = values & np.uint64((1 << self.TABLE_BITS) - 1)
        found = self.table[low.view(np.int64)]  # the same numbers, no copy
        maybe = np.flatnonzero(found)
        if len(maybe):
            candidates = values[maybe]
            places = np.minimum(np.searchsorted(self.sorted, candidates), len(self.sorted) - 1)
            found[maybe] = self.sorted[places] == candidates
        return found


def members(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """Which of `values` are in `sorted_set` (sorted, distinct): a boolean array."""
    if not len(sorted_set) or not len(values):
        return np.zeros(len(values), dtype=bool)
    places = np.minimum(np.searchsorted(sorted_set, values), len(sorted_set) - 1)
    return sorted_set[places] == values


def sampled_places(hashes: np.ndarray) -> np.ndarray:
    """Where the sampled shingles are (their hash is 0 modulo SAMPLE_EVERY), slice by slice."""
    every = np.uint64(SAMPLE_EVERY - 1)  # a power of two
    return np.concatenate(
        [np.flatnonzero((hashes[start : start + CHUNK_HASHES] & every) == 0) + start
         for start in range(0, max(len(hashes), 1), CHUNK_HASHES)]
    )  # fmt: skip


def sampled(hashes: np.ndarray) -> np.ndarray:
    return hashes[sampled_places(hashes)]


SAMPLE_BYTES = HASH_BITS // 8  # a stored hash: its 48 bits, little-endian


def sample_bytes(sample: np.ndarray) -> bytes:
    """A sample as stored: each hash in `SAMPLE_BYTES` little-endian bytes."""
    wide = sample.astype("<u8", copy=False).view(np.uint8).reshape(-1, 8)
    return wide[:, :SAMPLE_BYTES].tobytes()


def samples_from_bytes(stored: list) -> tuple[np.ndarray, np.ndarray]:
    """Stored samples (bytes, in order) as one array of hashes and n + 1 offsets."""
    lengths = np.fromiter((len(data) // SAMPLE_BYTES for data in stored), dtype=np.int64, count=len(stored))
    offsets = np.zeros(len(stored) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    narrow = np.frombuffer(b"".join(stored), dtype=np.uint8).reshape(-1, SAMPLE_BYTES)
    wide = np.zeros((len(narrow), 8), dtype=np.uint8)
    wide[:, :SAMPLE_BYTES] = narrow
    return wide.view("<u8").reshape(-1).astype(np.uint64, copy=False), offsets


def sample_from_bytes(data) -> np.ndarray:
    return samples_from_bytes([data])[0]
