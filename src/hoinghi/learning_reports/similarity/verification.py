"""The shared passages as places in the texts (the shares themselves are Detector._verify's).

The passages are found again on the texts a reviewer opens: each syllable covered by a shared
shingle is marked, and runs of marked syllables become (start, end) places in the NFC text for
highlighting.
"""

from dataclasses import dataclass

import numpy as np

from hoinghi.learning_reports.similarity import hashing
from hoinghi.learning_reports.similarity.normalising import syllables


@dataclass(frozen=True)
class Passage:
    start: int  # in the NFC text
    end: int
    syllables: int


MIN_PASSAGE = 8  # syllables: a lone five-syllable stock phrase ("đội ngũ cán bộ cơ sở") is not shown


def passages(text: str, found_in: np.ndarray, excluded: np.ndarray) -> list[Passage]:
    """The runs of `text` whose shingles are in `found_in` (sorted hashes) and not in `excluded`,
    of at least MIN_PASSAGE syllables."""
    words = syllables(text)
    if len(words) < hashing.SHINGLE:
        return []
    starts = hashing.positions(" ".join(word.text for word in words).encode())
    hit = hashing.members(starts, found_in) & ~hashing.members(starts, excluded)
    covered = np.zeros(len(words) + 1, dtype=np.int32)
    for place in np.flatnonzero(hit):  # a shingle marks its five syllables
        covered[place] += 1
        covered[place + hashing.SHINGLE] -= 1
    marked = np.cumsum(covered[:-1]) > 0
    found, run = [], None
    for place in np.flatnonzero(marked):
        if run is not None and place == run[1] + 1:
            run[1] = place
        else:
            if run is not None:
                found.append(Passage(words[run[0]].start, words[run[1]].end, int(run[1] - run[0] + 1)))
            run = [place, place]
    if run is not None:
        found.append(Passage(words[run[0]].start, words[run[1]].end, int(run[1] - run[0] + 1)))
    return [passage for passage in found if passage.syllables >= MIN_PASSAGE]
