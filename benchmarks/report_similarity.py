"""Copied text in learning reports (issue 11): a labelled set, precision and recall by kind of
copy, and 25,000 reports in one pass beside a straightforward datasketch MinHash + LSH pipeline.

    python -m benchmarks report_similarity          (BENCH_REPORTS=25000 by default)

1. The set: `BENCH_REPORTS` reports of about 1,500 syllables from `learning_reports.corpus`
   (seed 2018), written under var/bench/report-similarity/ (bai/NNNNN.txt, labels.jsonl, the
   resolution) — planted copies of every kind, pastes of 30–50% from the resolution, honest
   reports and honest reports quoting the resolution properly.
2. Each pipeline runs in a process of its own (its peak memory is that process's maximum
   resident set size) on the texts read from the files: the whole pass, every report against
   every other and against the resolution, timed from the texts in memory to the flags.
   - ours: `similarity.Detector`, the detector of the pages, the task and the command;
   - datasketch: NFC and lower case, 5-syllable shingles as strings, `MinHash(num_perm=128)`
     with `update_batch`, `MinHashLSH(threshold=0.5)`, each report queried and its candidates
     verified by the exact Jaccard of the shingle sets (kept in memory), and the containment of
     each report's shingles in the resolution's (flagged from 0.2, as ours).
   Ours also times one new report checked against the 25,000 (`Detector.check`, median of 20).
3. Both are scored on the labels: recall by kind (a planted pair found either way round; a
   paste flagged against the resolution), recall on planted pairs whose exact Jaccard is ≥ 0.5
   and on pastes of ≥ 30%, and the precision of the flagged reports (flagged with a source
   they were planted with) — honest and quoting reports flagged are the false positives.
"""

import json
import os
import re
import resource
import statistics
import subprocess
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIRECTORY = ROOT / "var" / "bench" / "report-similarity"
REPORTS = int(os.environ.get("BENCH_REPORTS", "25000"))


def _report(**figures) -> None:
    print(json.dumps(figures, ensure_ascii=False), flush=True)


def _cpu() -> float:
    """CPU seconds of this process and its finished workers: the machine is shared, so the
    wall time alone says little when others run."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- The set --------------------------------------------------------------------------------------


def write_set(directory: Path, count: int) -> float:
    from hoinghi.learning_reports import corpus

    started = time.perf_counter()
    (directory / "bai").mkdir(parents=True, exist_ok=True)
    for old in (directory / "bai").glob("*.txt"):
        old.unlink()
    (directory / corpus.RESOLUTION_NAME).write_text(corpus.resolution_text(), encoding="utf-8")
    (directory / "de-bai.txt").write_text("\n".join((corpus.TITLE, *corpus.SECTION_TITLES)), encoding="utf-8")
    with (directory / "labels.jsonl").open("w", encoding="utf-8") as labels:
        for sample in corpus.generate(count):
            (directory / sample.name).write_text(sample.text, encoding="utf-8")
            label = {
                "file": sample.name,
                "kind": sample.kind,
                "source": sample.source,
                "pasted": sample.pasted,
            }
            labels.write(json.dumps(label, ensure_ascii=False) + "\n")
    return time.perf_counter() - started


def _texts(directory: Path) -> tuple[list[str], list[str]]:
    names = sorted(path.relative_to(directory).as_posix() for path in (directory / "bai").glob("*.txt"))
    return names, [(directory / name).read_text(encoding="utf-8") for name in names]


# --- The pipelines (each in its own process) ------------------------------------------------------


def run_ours(directory: Path, workers: int = 1) -> dict:
    from hoinghi.learning_reports import corpus
    from hoinghi.learning_reports.similarity import Detector

    started = time.perf_counter()
    names, texts = _texts(directory)
    reading = time.perf_counter() - started
    reference = (directory / corpus.RESOLUTION_NAME).read_text(encoding="utf-8")
    boilerplate = (directory / "de-bai.txt").read_text(encoding="utf-8").splitlines()
    started, cpu = time.perf_counter(), _cpu()
    detector = Detector(references={corpus.RESOLUTION_NAME: reference}, boilerplate=boilerplate)
    detector.add(texts, workers=workers)
    indexed = time.perf_counter() - started
    findings = detector.run()
    whole, whole_cpu = time.perf_counter() - started, _cpu() - cpu
    peak = _peak_mib()
    workers_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    new = [sample.text for sample in corpus.generate(20, seed=7, prefix="moi")]
    checks = []
    for text in new:
        began = time.perf_counter()
        detector.check(text)
        checks.append((time.perf_counter() - began) * 1000)
    copied = detector.check(texts[len(texts) // 2] + " và tôi xin hứa sẽ làm tốt")
    return {
        "reading_s": round(reading, 2),
        "index_s": round(indexed, 2),
        "pass_s": round(whole, 2),
        "pass_cpu_s": round(whole_cpu, 2),
        "peak_mib": round(peak),
        "workers": workers,
        "worker_peak_mib": round(workers_peak) if workers > 1 else None,
        "check_one_ms": round(statistics.median(checks), 1),
        "check_one_max_ms": round(max(checks), 1),
        "check_one_finds_copy": any(f.source == len(texts) // 2 for f in copied),
        "pairs": sorted(
            {tuple(sorted((names[f.text], names[f.source]))) for f in findings if not f.is_reference}
        ),
        "reference": sorted({names[f.text] for f in findings if f.is_reference}),
    }


_WORD = re.compile(r"\w+")


def _straight_shingles(text: str) -> set[str]:
    words = _WORD.findall(unicodedata.normalize("NFC", text).lower())
    return {" ".join(words[n : n + 5]) for n in range(len(words) - 4)}


def run_datasketch(directory: Path) -> dict:
    from datasketch import MinHash, MinHashLSH

    from hoinghi.learning_reports import corpus

    started = time.perf_counter()
    names, texts = _texts(directory)
    reading = time.perf_counter() - started
    reference = _straight_shingles((directory / corpus.RESOLUTION_NAME).read_text(encoding="utf-8"))
    started, cpu = time.perf_counter(), _cpu()
    shingles, hashes = [], []
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    for number, text in enumerate(texts):
        grams = _straight_shingles(text)
        minhash = MinHash(num_perm=128)
        minhash.update_batch([gram.encode() for gram in grams])
        lsh.insert(number, minhash)
        shingles.append(grams)
        hashes.append(minhash)
    indexed = time.perf_counter() - started
    pairs, pasted = set(), []
    for number, grams in enumerate(shingles):
        if grams and len(grams & reference) >= 0.2 * len(grams):
            pasted.append(names[number])
        for other in lsh.query(hashes[number]):
            if other > number:
                both = len(grams & shingles[other])
                if both / max(len(grams | shingles[other]), 1) >= 0.5:
                    pairs.add((names[number], names[other]))
    whole, whole_cpu = time.perf_counter() - started, _cpu() - cpu
    return {
        "reading_s": round(reading, 2),
        "index_s": round(indexed, 2),
        "pass_s": round(whole, 2),
        "pass_cpu_s": round(whole_cpu, 2),
        "peak_mib": round(_peak_mib()),
        "pairs": sorted(pairs),
        "reference": sorted(pasted),
    }


# --- Scoring --------------------------------------------------------------------------------------


def _jaccard(first: str, second: str) -> float:
    from hoinghi.learning_reports.similarity import fold

    def grams(text):
        words = fold(text).split()
        return {tuple(words[n : n + 5]) for n in range(len(words) - 4)}

    a, b = grams(first), grams(second)
    return len(a & b) / max(len(a | b), 1)


def score(directory: Path, labels: list[dict], result: dict, jaccards: dict) -> dict:
    from hoinghi.learning_reports import corpus

    found_pairs = {tuple(pair) for pair in result["pairs"]}
    found_reference = set(result["reference"])
    planted = {}
    for label in labels:
        if label["kind"] in corpus.COPY_KINDS:
            planted[tuple(sorted((label["file"], label["source"])))] = label
    recall = defaultdict(lambda: [0, 0])
    for pair, label in planted.items():
        recall[label["kind"]][1] += 1
        recall[label["kind"]][0] += pair in found_pairs
        if jaccards[pair] >= 0.5:
            recall["jaccard≥0.5"][1] += 1
            recall["jaccard≥0.5"][0] += pair in found_pairs
    for label in labels:
        if label["kind"] == "paste":
            recall["paste"][1] += 1
            recall["paste"][0] += label["file"] in found_reference
    # Precision over the flagged reports: a report flagged is right when it belongs to a pair
    # found within one family of planted copies (an original and its copies: two copies of one
    # report are copies of each other too), or is a paste flagged against the resolution.
    family = {}
    for label in labels:
        if label["kind"] in corpus.COPY_KINDS:
            family[label["file"]] = family.setdefault(label["source"], label["source"])
    related = {pair for pair in found_pairs if pair[0] in family and family[pair[0]] == family.get(pair[1])}
    kinds = {label["file"]: label["kind"] for label in labels}
    flagged = set(found_reference) | {name for pair in found_pairs for name in pair}
    right = {name for pair in related for name in pair}
    right |= {name for name in found_reference if kinds[name] == "paste"}
    false = Counter(kinds[name] for name in flagged - right)
    return {
        "recall": {
            kind: f"{hit}/{total} = {100 * hit / max(total, 1):.1f}%" for kind, (hit, total) in recall.items()
        },
        "pair_precision": f"{len(related)}/{len(found_pairs)}",
        "report_precision": f"{100 * len(right) / max(len(flagged), 1):.2f}% ({len(right)}/{len(flagged)})",
        "false_flags_by_kind": dict(false),
    }


def _in_process(which: str, directory: Path) -> dict:
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks.report_similarity", "--pipeline", which, str(directory)],
        cwd=ROOT, capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT / "src")),
    )  # fmt: skip
    if completed.returncode != 0:
        sys.stderr.write(completed.stderr)
        raise SystemExit(f"{which} failed")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--pipeline":
        which, directory = sys.argv[2], Path(sys.argv[3])
        if which == "datasketch":
            result = run_datasketch(directory)
        else:
            result = run_ours(directory, workers=int(which.removeprefix("ours")))
        print(json.dumps(result))
        return
    sys.path.insert(0, str(ROOT / "src"))
    generated = write_set(DIRECTORY, REPORTS)
    labels = [
        json.loads(line) for line in (DIRECTORY / "labels.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    jaccards = {}
    for label in labels:
        if label["source"] and label["kind"] != "paste":
            pair = tuple(sorted((label["file"], label["source"])))
            jaccards[pair] = _jaccard(*((DIRECTORY / name).read_text(encoding="utf-8") for name in pair))
    _report(
        benchmark="report_similarity.set",
        reports=REPORTS,
        kinds=dict(Counter(label["kind"] for label in labels)),
        generated_s=round(generated, 1),
    )
    figures = {}
    pipelines = ["ours1", "ours2"] + ([] if os.environ.get("BENCH_SKIP_DATASKETCH") else ["datasketch"])
    for which in pipelines:
        result = _in_process(which, DIRECTORY)
        figures[which] = result
        shown = {key: value for key, value in result.items() if key not in ("pairs", "reference")}
        _report(
            benchmark=f"report_similarity.{which}",
            reports=REPORTS,
            **shown,
            **score(DIRECTORY, labels, result, jaccards),
        )
    if "datasketch" in figures:
        _report(
            benchmark="report_similarity.ratio",
            time_ratio=round(figures["datasketch"]["pass_s"] / figures["ours1"]["pass_s"], 1),
            time_ratio_two_workers=round(figures["datasketch"]["pass_s"] / figures["ours2"]["pass_s"], 1),
            memory_ratio=round(figures["datasketch"]["peak_mib"] / figures["ours1"]["peak_mib"], 1),
        )


if __name__ == "__main__":
    main()
