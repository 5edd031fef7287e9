"""Copied text between learning reports: normalisation, syllable shingles, MinHash + LSH for the
candidates (rensa), then exact verification of each candidate (no database here).

Reports on one resolution share its words, so a flag needs long shared passages: shingles are
runs of `SHINGLE` syllables after folding (Unicode NFC, old and new tone-mark placement made
one — "hoà" = "hòa", "thuỷ" = "thủy" — case and punctuation), and a pair is flagged when the
share of one report's shingles found in the other (containment, not Jaccard: a report pasted
into a longer one keeps a high containment and a low Jaccard) reaches `THRESHOLD`. Passages in
quotation marks do not count (an honest report quotes the resolution).

Not yet here (issue 11 continues): comparison with the resolution and the conference's
materials, the assignment's own boilerplate, the side-by-side view of passages, confirming or
dismissing a flag, the command for a labelled set, and the benchmark-scale pass.
"""

import re
import unicodedata
from dataclasses import dataclass

from rensa import RMinHash, RMinHashLSH

SHINGLE = 5
THRESHOLD = 0.5  # containment flagged
NUM_PERM = 128
NUM_BANDS = 32  # 4 rows a band: pairs with a Jaccard around 0.2 already meet as candidates
SEED = 11

# Tone marks on "oa", "oe", "uy" at a syllable's end made one placement: hòa → hoà, thủy → thuỷ.
_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below
_OLD_PAIR = re.compile(rf"([oOuU])([{_MARKS}])([aAeEyY])(?![^\W\d_])")
_QUOTED = re.compile(r"[\"“][^\"”]{0,2000}[\"”]")
_WORD = re.compile(r"[^\W_]+")


def normalise(text: str) -> list[str]:
    """The syllables of `text`, folded: quotations dropped, NFD to move a tone mark from the
    glide to the vowel of "oa", "oe", "uy" at a syllable's end, then NFC, lower case, no
    punctuation."""
    text = _QUOTED.sub(" ", text)
    decomposed = unicodedata.normalize("NFD", text)
    decomposed = _OLD_PAIR.sub(lambda m: m.group(1) + m.group(3) + m.group(2), decomposed)
    folded = unicodedata.normalize("NFC", decomposed).lower()
    return _WORD.findall(folded)


def shingles(text: str) -> set[str]:
    syllables = normalise(text)
    if len(syllables) < SHINGLE:
        return {" ".join(syllables)} if syllables else set()
    return {" ".join(syllables[n : n + SHINGLE]) for n in range(len(syllables) - SHINGLE + 1)}


def signature(grams: set[str]) -> RMinHash:
    minhash = RMinHash(num_perm=NUM_PERM, seed=SEED)
    minhash.update(sorted(grams))
    return minhash


@dataclass(frozen=True)
class Match:
    other: int  # the other text's key
    containment: float  # share of the new text's shingles found in the other
    other_containment: float  # share of the other's shingles found in the new text


def matches(text: str, others: dict[int, str]) -> list[Match]:
    """The texts of `others` (key → text) sharing enough with `text`: LSH candidates, then the
    exact shares of shingles, flagged when either reaches `THRESHOLD`."""
    grams = shingles(text)
    if not grams:
        return []
    other_grams = {key: shingles(value) for key, value in others.items()}
    index = RMinHashLSH(threshold=0.2, num_perm=NUM_PERM, num_bands=NUM_BANDS)
    for key, value in other_grams.items():
        if value:
            index.insert(key, signature(value))
    found = []
    for key in sorted(index.query(signature(grams))):
        shared = len(grams & other_grams[key])
        match = Match(key, shared / len(grams), shared / len(other_grams[key]))
        if max(match.containment, match.other_containment) >= THRESHOLD:
            found.append(match)
    return found
