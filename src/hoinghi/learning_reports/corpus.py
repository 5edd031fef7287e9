"""A labelled corpus of learning reports on the 2018 resolution, generated from fixed seeds: the
copied-text detector's evaluation set, the benchmark's 25,000 reports and the demo's reports.

Honest reports are written from the vocabulary of the resolution (data/nghi-quyet-dai-hoi-xii.txt)
in short phrases put together at random — a topic, what the writer understood of it, where and
with what figures, then the writer's own plans — so two honest reports share the resolution's
words and stock phrases but not long passages. Some honest reports quote the resolution properly
(in quotation marks, attributed). Planted copies, each labelled with its kind and source:

- ``verbatim``: another report as it is;
- ``name_swap``: another report with the writer's name, unit, places and figures replaced;
- ``tone_nfd``: another report in the old tone-mark placement ("hòa", "thủy"), decomposed (NFD),
  some lines in capitals;
- ``synonym``: another report with words swapped for synonyms here and there;
- ``partial``: part of another report (40–70% of its sentences) inside the writer's own text;
- ``paste``: the writer's own text with 30–50% of it pasted from the resolution, unquoted.
"""

import random
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

RESOLUTION_NAME = "nghi-quyet-dai-hoi-xii.txt"
TITLE = "BÀI THU HOẠCH HỌC TẬP, QUÁN TRIỆT NGHỊ QUYẾT ĐẠI HỘI XII CÔNG ĐOÀN VIỆT NAM"
SECTION_TITLES = (
    "I. Những nội dung tiếp thu được",
    "II. Kế hoạch và giải pháp thực hiện nhiệm vụ của bản thân",
)
COPY_KINDS = ("verbatim", "name_swap", "tone_nfd", "synonym", "partial")
HONEST_KINDS = ("honest", "quoting")


@cache
def resolution_text() -> str:
    return (Path(__file__).parent / "data" / RESOLUTION_NAME).read_text(encoding="utf-8")


def _words(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split("|") if part.strip())


FAMILY = _words("Nguyễn|Trần|Lê|Phạm|Hoàng|Huỳnh|Phan|Vũ|Võ|Đặng|Bùi|Đỗ|Hồ|Ngô|Dương|Lý|Đinh|Trịnh|Lưu|Tạ")
MIDDLE = _words("Văn|Thị|Hữu|Đức|Minh|Thanh|Ngọc|Quốc|Xuân|Thu|Hồng|Kim|Anh|Quang|Bảo|Thế")
GIVEN = _words(
    "An|Bình|Chi|Dũng|Giang|Hà|Hải|Hạnh|Hiếu|Hòa|Hùng|Hương|Khánh|Lan|Linh|Long|Mai|Nam|Nga|Ngọc|"
    "Phong|Phúc|Phương|Quân|Sơn|Tâm|Thảo|Thắng|Thủy|Trang|Trung|Tuấn|Vân|Việt|Xuân|Yến|Loan|Toàn|Huệ"
)
PLACES = _words(
    "Thăng Long|Nội Bài|Quang Minh|Bắc Thăng Long|Phố Nối|Tiên Sơn|Yên Phong|Quế Võ|Đình Vũ|Tràng Duệ|"
    "Nomura|Hiệp Phước|Tân Thuận|Linh Trung|Sóng Thần|Việt Nam Singapore|Biên Hòa|Amata|Long Thành|"
    "Nhơn Trạch|Dung Quất|Chu Lai|Hòa Khánh|Liên Chiểu|Phú Bài|Gián Khẩu|Khánh Phú|Tam Điệp|Lễ Môn"
)
TRADES = _words(
    "may mặc|da giày|điện tử|chế biến thủy sản|cơ khí|dệt sợi|gỗ nội thất|thực phẩm|vận tải|xây dựng|"
    "bao bì|linh kiện ô tô|dược phẩm|nhựa|thép|xi măng|chè|cao su|giấy|in ấn"
)
POSITIONS = _words(
    "Chủ tịch công đoàn cơ sở|Phó chủ tịch công đoàn cơ sở|Ủy viên ban chấp hành|Trưởng ban tuyên giáo|"
    "Cán bộ chuyên trách|Trưởng ban tổ chức|Chủ nhiệm ủy ban kiểm tra|Phó trưởng ban chính sách pháp luật|"
    "Chủ tịch liên đoàn lao động huyện|Ủy viên thường vụ"
)
CONNECTORS = _words(
    "Trước hết,|Đồng thời,|Bên cạnh đó,|Mặt khác,|Ngoài ra,|Qua đó,|Vì vậy,|Từ thực tế đó,|"
    "Cũng cần nói thêm,|"
    "Thêm một điều,|Nói cụ thể hơn,|Điều tôi thấy rõ là|Thực tế cho thấy|Một lần nữa,|Trong thời gian qua,|"
    "Sau hội nghị,|Khi đọc lại tài liệu,|Theo suy nghĩ của tôi,"
)
SUBJECTS = _words(
    "tôi|bản thân tôi|cá nhân tôi|chúng tôi|ban chấp hành|ban thường vụ|tập thể cán bộ|anh chị em công đoàn|"
    "đội ngũ cán bộ cơ sở|mỗi tổ công đoàn|các tổ trưởng|ban nữ công"
)
VERBS = _words(
    "nhận thức rõ|thấm nhuần|tâm đắc với|thấy cần coi trọng|xác định phải làm tốt|hiểu sâu thêm|"
    "đặc biệt chú ý|rút ra bài học về|nhìn lại|trăn trở nhiều về|thấy còn yếu ở|quyết tâm đổi mới|"
    "sẽ ưu tiên|phải bám sát|cần làm rõ|muốn bàn thêm về|thống nhất cao về|đánh giá lại"
)
TOPICS = _words(
    "phát triển đoàn viên|thành lập công đoàn mới|đối thoại định kỳ|thương lượng tập thể|thỏa ước lao động|"
    "tài chính công đoàn|đoàn phí|kinh phí công đoàn|bồi dưỡng cán bộ|tuyên truyền pháp luật|"
    "an toàn lao động|"
    "bảo hiểm xã hội|tiền lương tối thiểu|bữa ăn ca|nhà ở công nhân|nhà trẻ cho con|phúc lợi đoàn viên|"
    "tranh chấp lao động|ngừng việc tập thể|kiểm tra giám sát|giới thiệu đảng viên|văn hóa doanh nghiệp|"
    "chăm lo Tết|hỗ trợ lao động nữ|tổ tự quản|mạng xã hội|thanh tra nhân dân|khiếu nại tố cáo|"
    "hội nhập quốc tế"
)
PREDICATES = _words(
    "vẫn còn hạn chế|đã có chuyển biến|chưa đồng đều|là việc lâu dài|cần kiên trì|đòi hỏi sáng tạo|"
    "phụ thuộc người đứng đầu|gắn với lợi ích|chưa được quan tâm|làm được khá tốt|mới ở bước đầu|"
    "còn nặng hình thức|phải đi vào thực chất|là thước đo rõ nhất|được công nhân ủng hộ|gặp không ít khó khăn"
)
MODIFIERS = _words(
    "ở cơ sở|tại doanh nghiệp|trong năm tới|ngay từ quý đầu|ở khu nhà trọ|trong ca đêm|giữa hai kỳ đại hội|"
    "theo từng tháng|ở phân xưởng|qua nhóm trò chuyện|bằng việc làm cụ thể|với chủ doanh nghiệp|"
    "cùng chuyên môn|tại bếp ăn|trong giờ nghỉ|sau mỗi đợt kiểm tra|đến từng tổ|vào cuối tuần"
)
REASONS = _words(
    "vì công nhân còn e ngại|do chủ doanh nghiệp chưa hợp tác|bởi cán bộ kiêm nhiệm nhiều việc|"
    "vì lao động thay đổi liên tục|do đơn hàng giảm|vì thiếu kinh phí|bởi nhiều người chưa hiểu luật|"
    "do ca làm việc kéo dài|vì địa bàn rộng|do chưa có kinh nghiệm|bởi thông tin đến chậm"
)
ACTIONS = _words(
    "gặp gỡ|khảo sát|vận động|tập hợp|tổ chức|phối hợp|kiến nghị|đề xuất|theo dõi|kiểm tra|hướng dẫn|"
    "bồi dưỡng|lập danh sách|thăm hỏi|hỗ trợ|đối thoại với|thương lượng với|báo cáo|sơ kết|tuyên truyền cho"
)
OBJECTS = _words(
    "công nhân mới vào|lao động thời vụ|tổ trưởng sản xuất|ban giám đốc|chủ doanh nghiệp|lao động nữ|"
    "đoàn viên khó khăn|người lao động trẻ|các tổ công đoàn|ban nữ công|thanh tra nhân dân|cán bộ mới|"
    "công nhân ở trọ|gia đình đoàn viên|người sử dụng lao động|phòng nhân sự"
)
GOALS = _words(
    "kết nạp thêm {n} đoàn viên|ký mới thỏa ước trước tháng {m}|thu đủ {p}% kinh phí|"
    "tổ chức {k} hội nghị đối thoại|thành lập {k} công đoàn cơ sở|giới thiệu {k} đoàn viên ưu tú|"
    "bồi dưỡng {n} cán bộ|hỗ trợ {n} đoàn viên khó khăn|giảm {k} vụ tranh chấp|đạt loại vững mạnh"
)
MEASURES = _words(
    "đo bằng số đoàn viên mới mỗi quý|đo bằng biên bản đối thoại|tính theo số tiền thu được|"
    "theo danh sách ký nhận|qua phiếu hỏi ý kiến công nhân|theo báo cáo tháng|qua số vụ việc được giải quyết|"
    "bằng kết quả đánh giá cuối năm"
)
# Words a writer puts between the phrases, each in their own way: they make the runs of five
# syllables of two honest reports differ as real writing does.
FILLERS = _words(
    "rất|thật sự|cũng|đã|đang|sẽ|luôn|vẫn|còn|thêm|nhiều|hơn|ngay|hết sức|thường xuyên|kịp thời|"
    "một cách|thực chất|cụ thể|rõ ràng|kiên trì|chủ động|sâu sát|đúng mức|liên tục|nghiêm túc|"
    "từng bước|ít nhiều|phần nào|trước mắt|lâu dài|nhất là|kể cả|chẳng hạn|nói chung|nói riêng|"
    "về lâu dài|trên thực tế|ở đơn vị tôi|tại chỗ|hằng ngày|hằng tuần|mỗi quý|cuối năm|đầu năm|"
    "trong ca|ngoài giờ|tận nơi|trực tiếp|gián tiếp|đồng bộ|linh hoạt|sáng tạo|bền bỉ|quyết liệt|"
    "thiết thực|hiệu quả|đúng hướng|có trọng tâm|có trọng điểm|sát thực tế|phù hợp|khả thi|"
    "cùng lúc|lần lượt|dần dần|từ từ|mạnh mẽ|tích cực|nhanh chóng|chắc chắn|đầy đủ|toàn diện"
)
SYNONYMS = {
    "nâng cao": "tăng cường", "thực hiện": "triển khai", "doanh nghiệp": "công ty",
    "người lao động": "công nhân",
    "vận động": "tuyên truyền", "tổ chức": "tiến hành", "khó khăn": "vất vả", "kiểm tra": "rà soát",
    "đoàn viên": "hội viên", "cần": "phải", "nhiều": "không ít", "tốt": "hiệu quả", "rõ": "sâu sắc",
    "hỗ trợ": "giúp đỡ", "gặp gỡ": "tiếp xúc", "công đoàn": "tổ chức công đoàn", "đề xuất": "kiến nghị",
}  # fmt: skip
_OLD_PLACEMENT = {"oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa", "uý": "úy", "uỳ": "ùy",
                  "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy", "oé": "óe", "oè": "òe"}  # fmt: skip


@dataclass
class Sample:
    """One report of the corpus with its label."""

    name: str  # the file's path in the written set, e.g. "bai/00012.txt"
    writer: str
    unit: str
    sections: dict[str, str]
    kind: str  # honest, quoting, or one of COPY_KINDS, or paste
    source: str | None = None  # the copied report's name, or RESOLUTION_NAME
    pasted: float = 0.0  # paste: share of the syllables from the resolution; partial: share copied
    details: list[str] = field(default_factory=list)  # names and figures a name swap replaces

    @property
    def text(self) -> str:
        learned, plans = self.sections["learned"], self.sections["plans"]
        return (
            f"{TITLE}\n\nHọ và tên: {self.writer}. Đơn vị: {self.unit}.\n\n"
            f"{SECTION_TITLES[0]}\n{learned}\n\n{SECTION_TITLES[1]}\n{plans}\n"
        )

    @property
    def is_copy(self) -> bool:
        return self.kind in COPY_KINDS or self.kind == "paste"


def _sentences(text: str) -> list[str]:
    return [part for part in re.split(r"(?<=[.;])\s+", text) if part]


class Writer:
    """One writer's voice: their name, unit, places and figures, and sentences in their style."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        self.place = rng.choice(PLACES)
        self.trade = rng.choice(TRADES)
        self.company = f"Công ty {self.trade} {rng.choice(PLACES)} {rng.randint(1, 99)}"
        self.unit = f"Công đoàn {self.company}"
        self.position = rng.choice(POSITIONS)
        self.workers = rng.randint(120, 9000)
        self.details = [self.name, self.company, self.place, str(self.workers)]

    def _say(self, *parts: str) -> str:
        """The parts in order, a word of the writer's own (FILLERS) after some of them."""
        rng = self.rng
        words = []
        for part in parts[:-1]:
            words.append(part)
            if rng.random() < 0.6:
                words.append(rng.choice(FILLERS))
        words.append(parts[-1])
        return " ".join(words)

    def _figures(self, template: str) -> str:
        rng = self.rng
        return template.format(
            n=rng.randint(5, 400), m=rng.randint(1, 12), p=rng.randint(80, 99), k=rng.randint(2, 9)
        )

    def learned(self) -> str:
        choice, say = self.rng.choice, self._say
        pattern = self.rng.randrange(6)
        if pattern == 0:
            return (
                say(choice(CONNECTORS), choice(SUBJECTS), choice(VERBS), choice(TOPICS), choice(MODIFIERS))
                + "."
            )
        if pattern == 1:
            return (
                say(choice(SUBJECTS).capitalize(), choice(VERBS), choice(TOPICS) + ",", choice(REASONS)) + "."
            )
        if pattern == 2:
            return say(f"Ở {self.company},", choice(TOPICS), choice(PREDICATES), choice(MODIFIERS) + ",") + (
                f" {choice(REASONS)}."
            )
        if pattern == 3:
            return say(
                choice(CONNECTORS), "việc", choice(TOPICS), choice(PREDICATES), "nên", choice(SUBJECTS),
                choice(VERBS), choice(TOPICS),
            ) + "."  # fmt: skip
        if pattern == 4:
            return say(
                f"Với {self.workers} lao động ngành {self.trade},", choice(TOPICS), choice(PREDICATES), "và",
                choice(TOPICS), choice(PREDICATES),
            ) + "."  # fmt: skip
        return say(choice(CONNECTORS), choice(TOPICS), choice(PREDICATES), choice(MODIFIERS)) + "."

    def plan(self) -> str:
        rng, say = self.rng, self._say
        choice = rng.choice
        when = rng.choice(
            (
                f"Trong quý {rng.randint(1, 4)} năm {rng.randint(2019, 2023)},",
                f"Từ tháng {rng.randint(1, 12)}/2019,",
                f"Trước ngày {rng.randint(1, 28)}/{rng.randint(1, 12)}/{rng.randint(2019, 2023)},",
                "Ngay sau hội nghị,",
            )
        )
        pattern = rng.randrange(3)
        if pattern == 0:
            return say(
                when, choice(SUBJECTS), choice(ACTIONS), choice(OBJECTS), choice(MODIFIERS) + ",", "phấn đấu",
                self._figures(choice(GOALS)),
            ) + "."  # fmt: skip
        if pattern == 1:
            return say(
                choice(ACTIONS).capitalize(), choice(OBJECTS), f"ở {self.place}", choice(MODIFIERS) + ";",
                choice(MEASURES),
            ) + "."  # fmt: skip
        return say(
            "Để làm tốt", choice(TOPICS) + ",", choice(SUBJECTS), "sẽ", choice(ACTIONS), choice(OBJECTS),
            "và",
            choice(ACTIONS), choice(OBJECTS), choice(MODIFIERS),
        ) + "."  # fmt: skip

    def sections(self, syllables: int) -> dict[str, str]:
        learned, plans, count = [], [], 0
        while count < syllables * 0.6:
            sentence = self.learned()
            learned.append(sentence)
            count += sentence.count(" ") + 1
        while count < syllables:
            sentence = self.plan()
            plans.append(sentence)
            count += sentence.count(" ") + 1
        return {"learned": " ".join(learned), "plans": " ".join(plans)}


def _resolution_passages(rng: random.Random, syllables: int) -> list[str]:
    """Passages of the resolution (whole sentences from a random place) adding up to `syllables`."""
    sentences = [s for s in _sentences(" ".join(resolution_text().split("\n")[2:])) if s.count(" ") >= 6]
    found, count = [], 0
    while count < syllables:
        start = rng.randrange(len(sentences))
        run = sentences[start : start + rng.randint(1, 3)]
        found.append(" ".join(run))
        count += sum(sentence.count(" ") + 1 for sentence in run)
    return found


def _quote(rng: random.Random, passage: str) -> str:
    lead = rng.choice(("Nghị quyết nêu rõ:", "Nghị quyết Đại hội XII xác định:", "Như Nghị quyết đã chỉ rõ,"))
    if rng.random() < 0.3:
        return f"“{passage}” (Nghị quyết Đại hội XII)."
    return f"{lead} “{passage}”."


def _old_marks(text: str) -> str:
    for new, old in _OLD_PLACEMENT.items():
        text = re.sub(new + r"(?![^\W\d_])", old, text)
    return text


def _with_synonyms(rng: random.Random, text: str, rate: float) -> str:
    pattern = re.compile(r"\b(" + "|".join(sorted(SYNONYMS, key=len, reverse=True)) + r")\b")
    return pattern.sub(
        lambda match: SYNONYMS[match.group(1)] if rng.random() < rate else match.group(1), text
    )


def _interleave(rng: random.Random, own: list[str], inserted: list[str]) -> str:
    places = sorted(rng.randrange(len(own) + 1) for _ in inserted)
    result, last = [], 0
    for place, passage in zip(places, inserted, strict=True):
        result.extend(own[last:place])
        result.append(passage)
        last = place
    result.extend(own[last:])
    return " ".join(result)


def _copy(rng: random.Random, kind: str, original: Sample, writer: Writer, syllables: int) -> Sample:
    sections = dict(original.sections)
    pasted = 1.0
    if kind == "name_swap":
        for old, new in zip(original.details, writer.details, strict=True):
            sections = {key: text.replace(old, new) for key, text in sections.items()}
    elif kind == "tone_nfd":
        sections = {key: unicodedata.normalize("NFD", _old_marks(text)) for key, text in sections.items()}
        sections["learned"] = sections["learned"].upper() if rng.random() < 0.5 else sections["learned"]
    elif kind == "synonym":
        sections = {key: _with_synonyms(rng, text, rng.uniform(0.15, 0.35)) for key, text in sections.items()}
    elif kind == "partial":
        pasted = rng.uniform(0.4, 0.7)
        own = writer.sections(int(syllables * (1 - pasted)))
        for key in sections:
            theirs = _sentences(original.sections[key])
            keep = max(1, int(len(theirs) * pasted))
            start = rng.randrange(len(theirs) - keep + 1)
            sections[key] = _interleave(rng, _sentences(own[key]), [" ".join(theirs[start : start + keep])])
    return Sample("", writer.name, writer.unit, sections, kind, original.name, pasted, writer.details)


def _paste(rng: random.Random, writer: Writer, syllables: int) -> Sample:
    share = rng.uniform(0.3, 0.5)
    own = writer.sections(int(syllables * (1 - share)))
    passages = _resolution_passages(rng, int(syllables * share))
    half = len(passages) // 2 or 1
    sections = {
        "learned": _interleave(rng, _sentences(own["learned"]), passages[:half]),
        "plans": _interleave(rng, _sentences(own["plans"]), passages[half:]),
    }
    return Sample("", writer.name, writer.unit, sections, "paste", RESOLUTION_NAME, share, writer.details)


def _quoting(rng: random.Random, writer: Writer, syllables: int) -> Sample:
    share = rng.uniform(0.1, 0.3)
    own = writer.sections(int(syllables * (1 - share)))
    quotes = [_quote(rng, passage) for passage in _resolution_passages(rng, int(syllables * share))]
    sections = {"learned": _interleave(rng, _sentences(own["learned"]), quotes), "plans": own["plans"]}
    return Sample("", writer.name, writer.unit, sections, "quoting", None, 0.0, writer.details)


def generate(
    count: int,
    *,
    seed: int = 2018,
    syllables: int = 1500,
    copies: float = 0.04,
    pastes: float = 0.02,
    quoting: float = 0.06,
    prefix: str = "bai",
) -> Iterator[Sample]:
    """`count` reports, the same for the same arguments. A copy follows the report it copies
    (a copy's source is an earlier report, as it would be submitted later)."""
    rng = random.Random(seed)
    written: list[Sample] = []
    width = len(str(count))
    for number in range(count):
        writer = Writer(rng)
        draw = rng.random()
        size = int(syllables * rng.uniform(0.85, 1.15))
        honest = [sample for sample in written[-2000:] if sample.kind in HONEST_KINDS]
        if draw < copies and honest:
            sample = _copy(rng, COPY_KINDS[number % len(COPY_KINDS)], rng.choice(honest), writer, size)
        elif draw < copies + pastes:
            sample = _paste(rng, writer, size)
        elif draw < copies + pastes + quoting:
            sample = _quoting(rng, writer, size)
        else:
            sample = Sample(
                "", writer.name, writer.unit, writer.sections(size), "honest", None, 0.0, writer.details
            )
        sample.name = f"{prefix}/{number:0{width}d}.txt"
        written.append(sample)
        yield sample
