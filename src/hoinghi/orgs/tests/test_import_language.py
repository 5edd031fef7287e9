"""The file format is Vietnamese whatever language the page is shown in."""

from django.utils import translation

from hoinghi.orgs.exporters import _vietnamese_labels
from hoinghi.orgs.models import Gender, Sector


def test_export_labels_stay_vietnamese_when_english_is_active():
    with translation.override("en"):
        assert _vietnamese_labels(Sector)[Sector.STATE] == "Khu vực nhà nước"
        assert _vietnamese_labels(Gender)[Gender.FEMALE] == "Nữ"


def test_a_units_file_in_vietnamese_imports_while_the_page_is_in_english(
    small_tree, hanoi_organiser, client, upload
):
    from django.urls import reverse

    from hoinghi.orgs.models import ImportStatus
    from hoinghi.orgs.tests.conftest import UNIT_HEADER, xlsx_bytes
    from hoinghi.orgs.tests.test_import_units import NEW_UNITS

    client.post(reverse("set_language"), {"language": "en"})
    try:
        job = upload("units", xlsx_bytes(UNIT_HEADER, NEW_UNITS), small_tree.hanoi).job
        assert job.status == ImportStatus.PREVIEWED, job.errors
    finally:
        translation.activate("vi")
