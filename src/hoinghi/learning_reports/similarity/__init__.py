"""Copied text in learning reports: one detector for the pages, the background task and the
`reports-similarity` command (no database here).

Reports on one resolution share its vocabulary and quote it, so a flag needs long shared
passages. The steps:

1. normalising: Unicode NFC, one tone-mark placement ("hoà" = "hòa"), case and punctuation
   folded; properly quoted passages left out;
2. hashing: shingles of `SHINGLE` syllables as 64-bit hashes, for many texts at once (numpy);
3. the assignment's own boilerplate (its prompt and section titles) taken out of every text;
4. the reference texts (the resolution, the conference's materials): the share of a report's
   shingles found in them, its *containment* — pasting 40% of a report from the resolution
   gives a Jaccard of only about 0.09, a containment of about 0.4; flagged from
   `REFERENCE_SHARE`;
5. candidates: an inverted index of sampled shingles (candidates.py), then exact verification
   of each candidate pair: the share of each text found in the other, the references' shingles
   not counted (a passage both pasted from the resolution is not a copy between them); flagged
   from `PEER_SHARE` of either text;
6. the shared passages as places in the texts, for the reviewer (verification.passages).

The candidates' index is built from each text's *sample* (its distinct sampled shingles, none
left out), which depends on the text alone: the application stores it per submitted version and
adds the texts of an assignment by their samples (`Detector.add_samples`), hashing only the
candidates' texts a check verifies; `hashing.SIGNATURE_VERSION` says which algorithm made it.

The figures (precision and recall by kind of copy on a labelled set, 25,000 reports in one pass)
are in docs/benchmarks.md, "Copied text".
"""

import multiprocessing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from hoinghi.learning_reports.similarity import hashing
from hoinghi.learning_reports.similarity.candidates import Index, Samples
from hoinghi.learning_reports.similarity.normalising import canonical, fold, nfc, syllables
from hoinghi.learning_reports.similarity.verification import Passage, passages

__all__ = [
    "Detector",
    "Finding",
    "Passage",
    "canonical",
    "fold",
    "sample",
    "samples",
    "shingles",
    "nfc",
    "syllables",
    "PEER_SHARE",
    "REFERENCE_SHARE",
]

SHINGLE = hashing.SHINGLE
PEER_SHARE = 0.4  # of a report found in another report
REFERENCE_SHARE = 0.2  # of a report found in the reference texts
REFERENCE_LEAST = 0.02  # a reference named in a flag holds at least this much of the report
NEW = -1  # the text of `Detector.check`
TextsOf = Callable[[list[int]], Mapping[int, str]]  # numbers -> texts (Detector.add_samples)


@dataclass(frozen=True)
class Finding:
    """A text sharing long passages with a source: another text (its number) or a reference
    (its name). `share`: of the text's counted shingles, found in the source; `source_share`:
    of the source's, found in the text."""

    text: int
    source: int | str
    share: float
    source_share: float

    @property
    def is_reference(self) -> bool:
        return isinstance(self.source, str)


def _empty() -> np.ndarray:
    return np.zeros(0, dtype=np.uint64)


def _segment_counts(mask: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    running = np.concatenate(([0], np.cumsum(mask, dtype=np.int64)))
    return running[offsets[1:]] - running[offsets[:-1]]


_FORKED_TEXTS: list[str] = []  # read by the forked workers of `_fingerprints_forked`


def _fingerprint_part(bounds: tuple[int, int, object]) -> tuple:
    start, end, dropped = bounds
    texts = (fold(text) for text in _FORKED_TEXTS[start:end])
    return hashing.fingerprints(texts, dropped=dropped, with_samples=True)


def _joined(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """(hashes, offsets) of consecutive parts as one."""
    offsets, base = [np.zeros(1, dtype=np.int64)], 0
    for part_hashes, part_offsets in parts:
        offsets.append(part_offsets[1:] + base)
        base += len(part_hashes)
    hashes = np.concatenate([part for part, _ in parts]) if parts else _empty()
    return hashes, np.concatenate(offsets)


def _fingerprints_forked(texts: list[str], workers: int, dropped) -> tuple:
    """hashing.fingerprints of the texts (with their samples) in `workers` forked processes,
    each a contiguous part (the texts reach them by the fork, not by pickling)."""
    global _FORKED_TEXTS
    step = -(-len(texts) // workers)
    bounds = [(start, min(start + step, len(texts)), dropped) for start in range(0, len(texts), step)]
    _FORKED_TEXTS = texts
    try:
        with multiprocessing.get_context("fork").Pool(len(bounds)) as pool:
            parts = pool.map(_fingerprint_part, bounds)
    finally:
        _FORKED_TEXTS = []
    hashes, offsets = _joined([part[:2] for part in parts])
    samples, sample_offsets = _joined([part[2:] for part in parts])
    return hashes, offsets, samples, sample_offsets


def shingles(text: str) -> np.ndarray:
    """One text's distinct shingle hashes, sorted, none left out: what `Detector.check` takes
    in place of the text, and whose `sample` the application stores."""
    return hashing.of_text(fold(text))


def sample(hashes: np.ndarray) -> np.ndarray:
    """The sample of a text's distinct shingles (`shingles`): the ones the candidates index."""
    return hashing.sampled(hashes)


def samples(texts: Iterable[str]) -> list[np.ndarray]:
    """Each text's sample (as `sample(shingles(text))`), the texts hashed together."""
    found, offsets = hashing.fingerprints((fold(text) for text in texts), only_samples=True)
    return [found[offsets[n] : offsets[n + 1]] for n in range(len(offsets) - 1)]


class Detector:
    """Texts numbered in the order they are added, compared with each other and with the
    reference texts. `run` finds every flag among them; `check` one new text against them.

    A text is added by its text (`add`: folded and hashed, its shingles kept) or by its stored
    sample (`add_samples`: only the sample is kept, for the candidates' index; the text of a
    candidate is asked for, and hashed, when a check has to verify it). `check` gives the same
    findings either way; `run` needs the texts."""

    def __init__(self, *, references: Mapping[str, str] | None = None, boilerplate: Iterable[str] = ()):
        boilerplate_hashes, _ = hashing.fingerprints(fold(text) for text in boilerplate)
        self.ignored = hashing.Membership(boilerplate_hashes)
        references = dict(references or {})
        self.reference_texts = references
        self.reference_names = list(references)
        hashes, offsets = hashing.fingerprints(fold(text) for text in references.values())
        self.references = [
            np.unique(self._counted(hashes[offsets[n] : offsets[n + 1]])) for n in range(len(references))
        ]
        self.in_references = hashing.Membership(
            np.concatenate(self.references) if self.references else _empty()
        )
        self.hashes = _empty()
        self.offsets = np.zeros(1, dtype=np.int64)
        self.samples = _empty()  # each text's sample (hashing.py), none left out
        self.sample_offsets = np.zeros(1, dtype=np.int64)
        self._by_sample = np.zeros(0, dtype=bool)  # added by its sample: no shingles kept
        self._texts_of: TextsOf | None = None
        self._index: Index | None = None
        self._flat = Samples()  # the counted samples, looked through by `check`
        self._excluded: hashing.Membership | None = None
        self._distinct: dict[int, np.ndarray] = {}

    def _counted(self, hashes: np.ndarray) -> np.ndarray:
        return hashes[~self.ignored(hashes)] if len(self.ignored) else hashes

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def _remember(self, number: int, hashes: np.ndarray) -> np.ndarray:
        if len(self._distinct) > 50_000:
            self._distinct.clear()
        self._distinct[number] = hashes
        return hashes

    def _load(self, numbers: list[int]) -> None:
        """The counted shingles of texts added by their samples, from their texts."""
        numbers = [n for n in numbers if n not in self._distinct and self._by_sample[n]]
        if not numbers:
            return
        texts = self._texts_of(numbers) if self._texts_of is not None else {}
        for number in numbers:  # a text no longer there shares nothing
            self._remember(number, self._counted(shingles(texts.get(number, ""))))

    def text_hashes(self, number: int) -> np.ndarray:
        """Text `number`'s counted shingles, distinct and sorted."""
        found = self._distinct.get(number)
        if found is None:
            if self._by_sample[number]:
                self._load([number])
                return self._distinct[number]
            start, end = self.offsets[number], self.offsets[number + 1]
            found = self._remember(number, np.unique(self.hashes[start:end]))
        return found

    def sample_of(self, number: int) -> np.ndarray:
        """Text `number`'s sample (distinct, sorted, none left out): what the application stores."""
        return self.samples[self.sample_offsets[number] : self.sample_offsets[number + 1]]

    def _append(self, hashes, offsets, samples, sample_offsets, *, by_sample: bool) -> range:
        first = len(self)
        self.hashes = np.concatenate((self.hashes, hashes)) if len(self.hashes) else hashes
        self.offsets = np.concatenate((self.offsets, offsets[1:] + self.offsets[-1]))
        self.samples = np.concatenate((self.samples, samples)) if len(self.samples) else samples
        sample_offsets = sample_offsets[1:] + self.sample_offsets[-1]
        self.sample_offsets = np.concatenate((self.sample_offsets, sample_offsets))
        self._by_sample = np.concatenate((self._by_sample, np.full(len(offsets) - 1, by_sample)))
        self._index = None
        return range(first, len(self))

    def add(self, texts: Iterable[str], *, workers: int = 1) -> range:
        """Index more texts; returns their numbers. `workers` > 1 folds and hashes them in that
        many forked processes (the command and the benchmark; not inside a web or task process,
        whose database connections must not be forked)."""
        if workers > 1:
            found = _fingerprints_forked(list(texts), workers, self.ignored)
        else:
            texts = (fold(text) for text in texts)
            found = hashing.fingerprints(texts, dropped=self.ignored, with_samples=True)
        return self._append(*found, by_sample=False)

    def add_samples(self, samples: np.ndarray, offsets: np.ndarray, *, texts: TextsOf) -> range:
        """Index more texts by their samples (`sample_of`, `similarity.samples`; text i's is
        `samples[offsets[i]:offsets[i + 1]]`); returns their numbers. `texts(numbers)`: the texts
        of texts added by their samples, by number (the last function given serves them all),
        for the candidates a check verifies; a number missing from its answer is a text no
        longer there, which shares nothing."""
        self._texts_of = texts
        no_shingles = np.zeros(len(offsets), dtype=np.int64)
        return self._append(
            _empty(), no_shingles, samples.astype(np.uint64, copy=False), offsets, by_sample=True
        )

    # The references --------------------------------------------------------------------------

    def _reference_findings(self, number: int, hashes: np.ndarray) -> list[Finding]:
        """`hashes`: the text's distinct counted shingles."""
        if not len(hashes) or not len(self.in_references):
            return []
        if np.count_nonzero(self.in_references(hashes)) < REFERENCE_SHARE * len(hashes):
            return []
        found = []
        for name, reference in zip(self.reference_names, self.references, strict=True):
            shared = len(np.intersect1d(hashes, reference, assume_unique=True))
            if shared >= REFERENCE_LEAST * len(hashes):
                found.append(Finding(number, name, shared / len(hashes), shared / max(len(reference), 1)))
        return sorted(found, key=lambda finding: -finding.share)

    def _reference_suspects(self) -> np.ndarray:
        """The texts whose shingles, repeats counted, are near `REFERENCE_SHARE` in the
        references or above: the exact share (distinct shingles) is taken of these only."""
        totals = np.diff(self.offsets)
        inside = _segment_counts(self.in_references(self.hashes), self.offsets)
        return np.flatnonzero(inside >= 0.75 * REFERENCE_SHARE * np.maximum(totals, 1))

    # The peers -------------------------------------------------------------------------------

    def index(self) -> Index:
        if self._index is None:
            kept = ~self.in_references(self.samples)
            if len(self.ignored):
                kept &= ~self.ignored(self.samples)
            owners = np.repeat(np.arange(len(self), dtype=np.int64), np.diff(self.sample_offsets))
            self._index = Index(self.samples[kept], owners[kept], len(self))
        return self._index

    def _counted_samples(self) -> Samples:
        """The texts' samples without the boilerplate and the references' shingles, for the
        candidates of `check`: the texts added since the last call appended."""
        done = self._flat.count
        if done < len(self):
            start = self.sample_offsets[done]
            hashes = self.samples[start:]
            owners = np.repeat(
                np.arange(done, len(self), dtype=np.int32), np.diff(self.sample_offsets[done:])
            )
            if self._excluded is None:  # the boilerplate's and the references' shingles: one look-up
                self._excluded = hashing.Membership(
                    np.union1d(self.ignored.sorted, self.in_references.sorted)
                )
            kept = ~self._excluded(hashes)
            self._flat.extend(hashes[kept], owners[kept], len(self))
        return self._flat

    def _verify(self, first: int, hashes: np.ndarray, second: int) -> list[Finding]:
        other = self.text_hashes(second)
        if not len(hashes) or not len(other):
            return []
        both = np.intersect1d(hashes, other, assume_unique=True)
        shared = len(both) - np.count_nonzero(self.in_references(both))
        share, other_share = shared / len(hashes), shared / len(other)
        found = []
        if share >= PEER_SHARE:
            found.append(Finding(first, second, share, other_share))
        if other_share >= PEER_SHARE and first != NEW:
            found.append(Finding(second, first, other_share, share))
        return found

    # The passes ------------------------------------------------------------------------------

    def run(self, *, progress: Callable[[int, int], None] | None = None) -> list[Finding]:
        """Every flag among the indexed texts: each text against the references, every pair.
        `progress(done, total)` is called as the candidate pairs are verified."""
        if self._by_sample.any():
            raise ValueError("Detector.run needs every text added by its text (add), not by its sample")
        found = []
        if self.references:
            for number in self._reference_suspects().tolist():
                found.extend(self._reference_findings(number, self.text_hashes(number)))
        pairs = self.index().pairs()
        for done, (first, second) in enumerate(pairs.tolist()):
            found.extend(self._verify(first, self.text_hashes(first), second))
            if progress is not None and done % 1000 == 0:
                progress(done, len(pairs))
        if progress is not None:
            progress(len(pairs), len(pairs))
        return found

    def check(self, text: str | np.ndarray, *, among: Iterable[int] | None = None) -> list[Finding]:
        """One new text (not indexed), or its `shingles`, against the references and the indexed
        texts (or only those numbered in `among`). Its findings have `text == NEW`."""
        hashes = self._counted(text if isinstance(text, np.ndarray) else shingles(text))
        if not len(hashes):
            return []
        found = self._reference_findings(NEW, hashes) if self.references else []
        sample = hashing.sampled(hashes)
        sample = sample[~self.in_references(sample)]
        allowed = None if among is None else set(among)
        # The sorted index when `run` has built it (a look-up), else the samples looked through:
        # in a worker, every check follows an added text, and sorting again would cost more.
        finder = self._index if self._index is not None else self._counted_samples()
        others = finder.meeting(sample).tolist()
        others = [other for other in others if allowed is None or other in allowed]
        self._load(others)  # the texts added by their samples, read at once
        for other in others:
            found.extend(self._verify(NEW, hashes, other))
        return found

    # For the reviewer ------------------------------------------------------------------------

    def passages(self, text: str, source: str, *, of_reference: bool = False) -> list[Passage]:
        """The passages of `text` found in `source` — another text, or a reference's name — the
        boilerplate left out; between two reports, the references' passages left out too.
        `of_reference`: `text` is a reference, `source` a report (the reference's side)."""
        if source in self.reference_names:
            found_in = self.references[self.reference_names.index(source)]
            return passages(text, found_in, self.ignored.sorted)
        found_in = self._counted(hashing.of_text(fold(source)))
        if of_reference:
            return passages(text, found_in, self.ignored.sorted)
        excluded = np.union1d(self.ignored.sorted, self.in_references.sorted)
        return passages(text, found_in, excluded)


def verdicts(findings: Iterable[Finding], count: int) -> list[tuple[bool, int | str | None, float]]:
    """Per text: (flagged, the source holding the largest share of it, that share)."""
    best: list[tuple[bool, int | str | None, float]] = [(False, None, 0.0)] * count
    for finding in findings:
        if finding.text >= 0 and finding.share > best[finding.text][2]:
            best[finding.text] = (True, finding.source, finding.share)
    return best
