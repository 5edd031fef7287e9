"""A reviewer opens a copied-text flag in Chromium on a 390 px phone: both texts, the shared
passage marked on each side, nothing wider than the screen, and the flag dismissed with a
reason."""

import pytest

from hoinghi.conftest import screenshot
from hoinghi.core.permissions import GrantRole
from hoinghi.learning_reports.models import FlagStatus, SimilarityFlag
from hoinghi.learning_reports.tests.conftest import submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ORIGINAL = (
    "Công đoàn cơ sở cần chăm lo đời sống việc làm thu nhập của đoàn viên và người lao động tại doanh "
    "nghiệp ngoài nhà nước trong giai đoạn mới, thương lượng thoả ước lao động tập thể có lợi hơn"
)


def test_a_reviewer_reads_a_flag_side_by_side_on_a_phone_and_dismisses_it(
    page_for, marking, small_tree, make_user, live_server
):
    reviewer = make_user(GrantRole.REVIEWER, small_tree.hanoi)
    submit(marking, "Chi", text=ORIGINAL)
    submit(marking, "Lan", text="Theo tôi thì " + ORIGINAL.replace("thoả", "thỏa") + " và tôi sẽ làm ngay.")
    flag = SimilarityFlag.objects.get()

    page = page_for(reviewer, width=390, height=844)
    page.goto(f"{live_server.url}/bai-thu-hoach/trung-lap/{flag.pk}/")
    first, second = page.locator(".compared").all()
    assert first.locator("mark").first.text_content().startswith("Công đoàn cơ sở cần chăm lo")
    assert second.locator("mark").first.text_content().startswith("Công đoàn cơ sở cần chăm lo")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    screenshot(page, "learning-report-flag-phone")
    page.get_by_label("Không phải sao chép (bác bỏ cảnh báo)").check()
    page.fill("#reason", "Cùng chép một đoạn tài liệu của ban tổ chức")
    page.get_by_role("button", name="Ghi kết luận").click()
    page.get_by_text("Đã ghi kết luận về đoạn trùng.").wait_for()
    flag.refresh_from_db()
    assert (flag.status, flag.decided_by) == (FlagStatus.DISMISSED, reviewer)
