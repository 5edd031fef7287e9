"""The copied-text detector (similarity/) on small texts: folding, quotations, boilerplate, the
references, peers, the shared passages, and the two paths (fold and syllables) agreeing."""

import hashlib
import unicodedata

import numpy as np
import pytest

from hoinghi.learning_reports import corpus, similarity
from hoinghi.learning_reports.similarity import NEW, Detector, canonical, fold, hashing, verdicts

TEXT = (
    "công đoàn cơ sở cần chăm lo đời sống việc làm thu nhập của đoàn viên và người lao động tại "
    "doanh nghiệp ngoài nhà nước, hoà giải tranh chấp và xây dựng quan hệ lao động hài hòa ổn định"
)
RESOLUTION = (
    "Đổi mới tổ chức và hoạt động công đoàn; tập trung đại diện, chăm lo, bảo vệ quyền, lợi ích hợp pháp, "
    "chính đáng của đoàn viên, người lao động; phát triển đoàn viên, xây dựng tổ chức công đoàn vững mạnh; "
    "góp phần xây dựng giai cấp công nhân Việt Nam lớn mạnh, quan hệ lao động hài hòa, ổn định, tiến bộ."
)
OWN = (
    "tôi sẽ cùng ban chấp hành khảo sát từng doanh nghiệp trên địa bàn quận, gặp gỡ người lao động ở "
    "khu nhà trọ vào buổi tối, lập danh sách những nơi chưa có tổ chức công đoàn và báo cáo hằng tháng "
    "với thường trực liên đoàn lao động quận về số đoàn viên mới kết nạp được trong tháng"
)


def test_old_and_new_tone_marks_nfd_case_and_punctuation_are_folded():
    assert canonical("Hoà bình, THỦY lợi! Của mùa") == canonical(
        unicodedata.normalize("NFD", "hòa bình thuỷ lợi của mùa")
    )
    assert (
        canonical("hòa") == canonical("hoà") == "hoà" and canonical("của") == "của"
    )  # u + a has one place for its mark


def test_an_attributed_quotation_does_not_count_and_an_unattributed_one_does():
    assert (
        canonical("Nghị quyết nêu rõ: “kết nạp hai triệu đoàn viên” như vậy") == "nghị quyết nêu rõ như vậy"
    )
    assert canonical("“Kết nạp hai triệu đoàn viên” (Nghị quyết Đại hội XII).") == "nghị quyết đại hội xii"
    assert "kết nạp" in canonical("Tôi viết “kết nạp hai triệu đoàn viên” như vậy")


@pytest.mark.parametrize(
    "text",
    [TEXT, unicodedata.normalize("NFD", RESOLUTION.upper()), "Theo nghị quyết: “a b” c—d…e «f» 5°C g_h"],
)
def test_the_fast_and_the_slow_paths_make_the_same_shingles(text):
    """The bytes split by hashing.py and the syllables of normalising.WORD agree."""
    fast = hashing.positions(fold(text))
    slow = hashing.positions(canonical(text).encode())
    assert np.array_equal(fast, slow)


def test_a_text_pasted_inside_a_longer_report_is_found_in_it():
    detector = Detector()
    detector.add(
        ["mở đầu " + TEXT.upper() + " " + OWN, unicodedata.normalize("NFD", TEXT), OWN.replace("tôi", "em")]
    )
    found = {(finding.text, finding.source) for finding in detector.run()}
    assert (1, 0) in found and (2, 0) in found  # NFD, upper case; a few words swapped
    assert (1, 2) not in found and (2, 1) not in found


def test_a_paste_from_the_resolution_is_flagged_against_it_not_against_a_peer_who_pasted_it_too():
    detector = Detector(references={"nghi-quyet.txt": RESOLUTION})
    detector.add([RESOLUTION + " " + OWN, RESOLUTION + " " + TEXT, OWN])
    findings = detector.run()
    assert {(f.text, f.source) for f in findings if f.is_reference} == {
        (0, "nghi-quyet.txt"),
        (1, "nghi-quyet.txt"),
    }
    # 0 and 2 share OWN (about half of 0): a copy; 0 and 1 share only the resolution: no copy.
    assert {(f.text, f.source) for f in findings if not f.is_reference} == {(0, 2), (2, 0)}
    assert verdicts(findings, 3)[1] == (True, "nghi-quyet.txt", pytest.approx(0.6, abs=0.05))


def test_the_resolution_quoted_with_its_name_is_not_flagged():
    detector = Detector(references={"nghi-quyet.txt": RESOLUTION})
    detector.add([f"Nghị quyết Đại hội XII xác định: “{RESOLUTION}” " + OWN])
    assert detector.run() == []


def test_the_assignments_boilerplate_does_not_make_two_reports_alike():
    prompt = (
        "Những nội dung cơ bản của Nghị quyết Đại hội XII Công đoàn Việt Nam mà đồng chí tiếp thu được, "
        "liên hệ với thực tiễn đơn vị và nhiệm vụ của bản thân"
    )
    first, second = prompt + " tôi sẽ kết nạp thêm đoàn viên", prompt + " em sẽ đối thoại định kỳ"
    plain = Detector()
    plain.add([first, second])
    assert plain.run()  # without the boilerplate taken out, the prompt alone makes them alike
    detector = Detector(boilerplate=[prompt])
    detector.add([first, second])
    assert detector.run() == []


def test_a_new_text_is_checked_against_the_indexed_ones():
    detector = Detector(references={"nq": RESOLUTION})
    detector.add(
        [TEXT + " " + OWN, "phát triển đoàn viên trong khu công nghiệp bằng cách gặp gỡ người lao động"]
    )
    found = detector.check(OWN + " và thêm vài chữ của riêng tôi cho khác đi một chút")
    assert [(f.text, f.source) for f in found] == [(NEW, 0)] and found[0].share > 0.8


def test_the_shared_passages_are_places_in_the_text():
    detector = Detector(references={"nq": RESOLUTION})
    text = "Mở đầu riêng của tôi. " + unicodedata.normalize("NFD", OWN) + " Kết luận riêng."
    [passage] = detector.passages(text, OWN)
    shown = unicodedata.normalize("NFC", text)[passage.start : passage.end]
    assert shown.startswith("tôi sẽ cùng ban chấp hành") and shown.endswith("trong tháng")
    [pasted] = detector.passages("Theo tôi, " + RESOLUTION, "nq")
    assert pasted.syllables == len(canonical(RESOLUTION).split())


def test_the_shingles_of_a_fixed_text_are_pinned_to_the_algorithms_version():
    """Stored samples are trusted while their SIGNATURE_VERSION is the current one: a change to
    the folding or the hashing that moves these shingles must bump hashing.REVISION (and then
    this pin), so that every stored sample is made again from its text."""
    hashes = similarity.shingles(unicodedata.normalize("NFD", TEXT.upper()) + " " + RESOLUTION + " " + OWN)
    digest = hashlib.sha256(hashes.astype("<u8").tobytes()).hexdigest()[:16]
    assert (hashing.SIGNATURE_VERSION, len(hashes), digest) == ("r1-s5-e8-b48", 158, "138a575e8ba61862")
    stored = hashing.sample_bytes(similarity.sample(hashes))
    assert np.array_equal(hashing.sample_from_bytes(stored), similarity.sample(hashes))


def test_the_samples_hashed_together_are_each_texts_own():
    texts = [TEXT, "", RESOLUTION, "một hai", OWN * 3]
    assert [s.tolist() for s in similarity.samples(texts)] == [
        similarity.sample(similarity.shingles(text)).tolist() for text in texts
    ]


def test_a_detector_of_stored_samples_finds_what_one_of_the_texts_finds():
    """The index read back from stored samples: the same candidates' index, the same findings,
    and only the candidates' texts asked for and hashed."""
    texts = ["\n\n".join(sample.sections.values()) for sample in corpus.generate(400, syllables=300)]
    indexed, new = texts[:340], texts[340:]
    references, boilerplate = {"nq": corpus.resolution_text()}, [corpus.TITLE, *corpus.SECTION_TITLES]
    from_texts = Detector(references=references, boilerplate=boilerplate)
    from_texts.add(indexed)
    asked: list[int] = []

    def texts_of(numbers: list[int]) -> dict[int, str]:
        asked.extend(numbers)
        return {number: indexed[number] for number in numbers}

    from_samples = Detector(references=references, boilerplate=boilerplate)
    stored = [hashing.sample_bytes(sample) for sample in similarity.samples(indexed)]
    from_samples.add_samples(*hashing.samples_from_bytes(stored), texts=texts_of)
    assert len(from_samples.hashes) == 0  # no text hashed to build it
    found = [from_texts.check(text) for text in new]  # the samples looked through
    assert [from_samples.check(similarity.shingles(text)) for text in new] == found
    assert sum(map(len, found)) >= 5  # the corpus plants copies of the earlier reports
    assert 0 < len(asked) == len(set(asked)) < 60  # each candidate's text once, not the 340
    assert all(
        np.array_equal(a, b)
        for a, b in zip(
            (from_texts.index().hashes, from_texts.index().owners),
            (from_samples.index().hashes, from_samples.index().owners),
            strict=True,
        )
    )
    assert [from_samples.check(similarity.shingles(text)) for text in new] == found  # with the index
    with pytest.raises(ValueError):
        from_samples.run()


def test_looking_through_the_samples_meets_the_texts_the_sorted_index_meets():
    """candidates.Samples (used by `check`) against candidates.Index: common hashes (in more than
    MAX_SHARED_BY texts), texts added in two steps, queries sharing much, little or nothing."""
    from hoinghi.learning_reports.similarity.candidates import MAX_SHARED_BY, Index, Samples

    rng = np.random.default_rng(7)
    vocabulary = rng.integers(0, 1 << 48, size=3000, dtype=np.uint64)
    texts = [
        np.unique(rng.choice(vocabulary[: rng.integers(40, 3000)], size=rng.integers(0, 120)))
        for _ in range(400)
    ]
    texts = [np.union1d(text, vocabulary[:10]) if n % 3 == 0 else text for n, text in enumerate(texts)]
    owners = np.repeat(np.arange(400), [len(text) for text in texts])
    hashes = np.concatenate(texts)
    index = Index(hashes, owners, 400)
    flat = Samples()
    split = int(np.searchsorted(owners, 250))
    flat.extend(hashes[:split], owners[:split], 250)
    flat.extend(hashes[split:], owners[split:], 400)
    queries = [texts[5], texts[399][:20], np.union1d(texts[7][:30], vocabulary[:50]), texts[0][:0]]
    queries += [np.unique(rng.choice(vocabulary, size=rng.integers(1, 200))) for _ in range(40)]
    met = [flat.meeting(query).tolist() for query in queries]
    assert met == [index.meeting(query).tolist() for query in queries]
    assert sum(map(len, met)) > 40 and np.unique(hashes, return_counts=True)[1].max() > MAX_SHARED_BY
