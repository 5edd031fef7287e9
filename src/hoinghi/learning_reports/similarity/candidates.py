"""Candidate pairs: an inverted index of sampled shingle hashes.

Every text keeps the shingles whose hash is 0 modulo `hashing.SAMPLE_EVERY` (the same shingles
in every text, so a shared passage keeps its share of the sample); two texts are candidates when
they share at least `CANDIDATE_SHARE` of the smaller sample. A sampled shingle found in more
than `MAX_SHARED_BY` texts is a common phrase, not a copy between two people: it makes no pairs
and is not in the samples compared (it still counts when a candidate pair is verified). The
index is one sorted array of (hash, text) — no Python work per shingle — and answers both
questions the detector asks: every pair of an assignment, and the texts one new text meets.

`Samples` answers the second question without the index: the texts' samples in one flat array
(texts added at its end, nothing sorted), looked through for the one new text's sample. Sorting
25,000 reports' samples costs a few tenths of a second, and again whenever a report is added;
looking through them for one text costs a few hundredths. The detector's `check` uses it.
"""

import numpy as np

from hoinghi.learning_reports.similarity import hashing

CANDIDATE_SHARE = 0.2  # of the smaller sample; the verified share flagged is twice that
MIN_SHARED = 2
MAX_SHARED_BY = 40


OWNER_BITS = 64 - hashing.HASH_BITS


class Index:
    def __init__(self, hashes: np.ndarray, owners: np.ndarray, count: int):
        """`hashes[i]` is a sampled shingle of text `owners[i]`, of `count` texts; a shingle
        repeated in one text counts once."""
        if count < (1 << OWNER_BITS):  # one sort of (hash, text) packed in 64 bits
            keys = np.sort((hashes << np.uint64(OWNER_BITS)) | owners.astype(np.uint64))
            if len(keys):
                keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
            self.hashes = keys >> np.uint64(OWNER_BITS)
            self.owners = (keys & np.uint64((1 << OWNER_BITS) - 1)).astype(np.int64)
        else:
            order = np.lexsort((owners, hashes))
            hashes, owners = hashes[order], owners[order].astype(np.int64)
            first = np.concatenate(([True], (hashes[1:] != hashes[:-1]) | (owners[1:] != owners[:-1])))
            self.hashes, self.owners = hashes[first], owners[first]
        # A text's sample, for the share two texts must have in common, counts only the
        # shingles that can make pairs (found in at most MAX_SHARED_BY texts): a report made of
        # common phrases and a few of its own is judged on its own ones.
        starts = np.flatnonzero(np.concatenate(([True], self.hashes[1:] != self.hashes[:-1])))
        lengths = np.diff(np.concatenate((starts, [len(self.hashes)])))
        self.shared_by = np.repeat(lengths, lengths)
        rare = self.shared_by <= MAX_SHARED_BY
        self.sizes = np.bincount(self.owners[rare], minlength=count)

    def pairs(self) -> np.ndarray:
        """Every candidate pair (a < b) as an (n, 2) array."""
        hashes, owners = self.hashes, self.owners
        if len(hashes) < 2:
            return np.zeros((0, 2), dtype=np.int64)
        starts = np.flatnonzero(np.concatenate(([True], hashes[1:] != hashes[:-1])))
        lengths = np.diff(np.concatenate((starts, [len(hashes)])))
        found = []
        for length in np.unique(lengths[(lengths >= 2) & (lengths <= MAX_SHARED_BY)]):
            group_starts = starts[lengths == length]
            members = owners[group_starts[:, None] + np.arange(length)]  # one row a shared shingle
            first, second = np.triu_indices(length, k=1)
            found.append(np.stack((members[:, first].ravel(), members[:, second].ravel()), axis=1))
        if not found:
            return np.zeros((0, 2), dtype=np.int64)
        pairs = np.concatenate(found)
        pairs = np.sort(pairs, axis=1)  # (smaller, larger): a pair counted once whichever came first
        pairs = pairs[pairs[:, 0] != pairs[:, 1]]
        keys = pairs[:, 0] * np.int64(len(self.sizes)) + pairs[:, 1]
        keys, shared = np.unique(keys, return_counts=True)
        first, second = keys // len(self.sizes), keys % len(self.sizes)
        needed = np.maximum(MIN_SHARED, CANDIDATE_SHARE * np.minimum(self.sizes[first], self.sizes[second]))
        keep = shared >= needed
        return np.stack((first[keep], second[keep]), axis=1)

    def meeting(self, sample: np.ndarray) -> np.ndarray:
        """The texts sharing enough of `sample` (one text's sampled hashes, not in the index)."""
        if not len(sample) or not len(self.hashes):
            return np.zeros(0, dtype=np.int64)
        left = np.searchsorted(self.hashes, sample, side="left")
        right = np.searchsorted(self.hashes, sample, side="right")
        rare = (right - left) <= MAX_SHARED_BY
        left, right = left[rare], right[rare]
        sample = sample[rare]
        if not len(left):
            return np.zeros(0, dtype=np.int64)
        runs = right - left
        places = np.repeat(left - np.cumsum(np.concatenate(([0], runs[:-1]))), runs) + np.arange(runs.sum())
        shared = np.bincount(self.owners[places], minlength=len(self.sizes))
        needed = np.maximum(MIN_SHARED, CANDIDATE_SHARE * np.minimum(self.sizes, len(sample)))
        return np.flatnonzero(shared >= needed)


def _grown(values: np.ndarray, room: int) -> np.ndarray:
    grown = np.empty(room, dtype=values.dtype)
    grown[: len(values)] = values
    return grown


class Samples:
    """Every text's sampled shingles, `(hash, text)` distinct, in the order the texts were added
    (their numbers ascending): `meeting` finds what `Index(...).meeting` finds, by two scans."""

    LOW_BITS = 22  # a bit table on the low bits of the hashes, as hashing.Membership

    def __init__(self):
        self.size = 0
        self.count = 0  # texts
        self._hashes = np.zeros(0, dtype=np.uint64)
        self._owners = np.zeros(0, dtype=np.int32)
        self._low = np.zeros(0, dtype=np.uint32)  # the low bits of each hash, kept for the scans

    def extend(self, hashes: np.ndarray, owners: np.ndarray, count: int) -> None:
        """Add the samples of the texts numbered from `self.count` to `count` - 1; `owners` are
        their numbers, ascending."""
        end = self.size + len(hashes)
        if not self.size:  # the first texts: their arrays kept as they are
            self._hashes = hashes.astype(np.uint64, copy=False)
            self._owners = owners.astype(np.int32, copy=False)
            self._low = (self._hashes & np.uint64((1 << self.LOW_BITS) - 1)).astype(np.uint32)
            self.size, self.count = end, count
            return
        if end > len(self._hashes):  # room to spare: adding one text copies nothing
            room = max(end, len(self._hashes) * 5 // 4, 1024)
            self._hashes = _grown(self._hashes[: self.size], room)
            self._owners = _grown(self._owners[: self.size], room)
            self._low = _grown(self._low[: self.size], room)
        self._hashes[self.size : end] = hashes
        self._owners[self.size : end] = owners
        self._low[self.size : end] = hashes & np.uint64((1 << self.LOW_BITS) - 1)
        self.size, self.count = end, count

    def _found(self, values: np.ndarray) -> np.ndarray:
        """The places of the entries whose hash is one of `values` (sorted, distinct)."""
        table = np.zeros(1 << self.LOW_BITS, dtype=bool)
        table[(values & np.uint64((1 << self.LOW_BITS) - 1)).astype(np.int64)] = True
        maybe = np.flatnonzero(table[self._low[: self.size]])
        return maybe[hashing.members(self._hashes[maybe], values)]

    def meeting(self, sample: np.ndarray) -> np.ndarray:
        """The texts sharing enough of `sample` (one text's sampled hashes, sorted, distinct)."""
        if not len(sample) or not self.size:
            return np.zeros(0, dtype=np.int64)
        places = self._found(sample)
        hit_hashes, hit_owners = self._hashes[places], self._owners[places]
        values, texts = np.unique(hit_hashes, return_counts=True)
        common = values[texts > MAX_SHARED_BY]  # found in too many texts: not compared
        rare = ~hashing.members(hit_hashes, common)
        kept = len(sample) - len(common)
        shared = np.bincount(hit_owners[rare], minlength=self.count)
        maybe = np.flatnonzero(shared >= MIN_SHARED)
        if not len(maybe):
            return maybe.astype(np.int64)
        # Their sizes: how many of their sampled shingles are found in at most MAX_SHARED_BY texts.
        owners = self._owners[: self.size]
        starts = np.searchsorted(owners, maybe, side="left")
        ends = np.searchsorted(owners, maybe, side="right")
        lengths = ends - starts
        entries = np.repeat(starts - np.cumsum(np.concatenate(([0], lengths[:-1]))), lengths)
        entries += np.arange(lengths.sum())
        theirs = np.unique(self._hashes[entries])
        values, texts = np.unique(self._hashes[self._found(theirs)], return_counts=True)
        rare_theirs = ~hashing.members(self._hashes[entries], values[texts > MAX_SHARED_BY])
        sizes = np.bincount(np.repeat(np.arange(len(maybe)), lengths)[rare_theirs], minlength=len(maybe))
        needed = np.maximum(MIN_SHARED, CANDIDATE_SHARE * np.minimum(sizes, kept))
        return maybe[shared[maybe] >= needed].astype(np.int64)
