"""The demo's staff logins and their grants."""

from django.db import transaction

from hoinghi.demo.scenario.tree import ROOT_CODE
from hoinghi.orgs.models import Unit

DEMO_PASSWORD = "hoinghi-2018"
# username, full name, role (None: no role, only what a relation gives), unit code, what it is for.
# `badinh` holds no role: it operates the Ba Đình bridge point (conferences' operator relation,
# named by the demo's conference), and sees that point, its roster and its check-in page only.
DEMO_LOGINS = (
    ("admin", "Quản trị hệ thống", "system_admin", ROOT_CODE, "quản trị toàn hệ thống"),
    ("bantochuc", "Ban Tổ chức hội nghị", "organiser", ROOT_CODE, "ban tổ chức Trung ương"),
    ("lanhdao", "Lãnh đạo Tổng Liên đoàn", "viewer", ROOT_CODE, "xem toàn quốc"),
    ("hanoi", "Ban Tổ chức LĐLĐ Hà Nội", "organiser", "LDLD01", "ban tổ chức thành phố Hà Nội"),
    ("giaoduc", "Ban Tổ chức CĐ Giáo dục VN", "organiser", "CDN-GD", "công đoàn ngành Giáo dục"),
    ("badinh", "Kỹ thuật điểm cầu Ba Đình", None, "LDLD01-001", "vận hành điểm cầu quận Ba Đình"),
)


@transaction.atomic
def demo_logins_ensure() -> list[tuple[str, str, str]]:
    """Create (once) the demo's staff users and their grants; return (username, role, unit) rows."""
    from hoinghi.accounts.models import Grant, User
    from hoinghi.accounts.services import grant_create

    admin = User.objects.filter(username="admin").first()
    if admin is None:
        admin = User.objects.create_superuser("admin", password=DEMO_PASSWORD, full_name="Quản trị hệ thống")
    rows = []
    for username, full_name, role, unit_code, purpose in DEMO_LOGINS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username, password=DEMO_PASSWORD, full_name=full_name, is_staff=True
            )
        unit = Unit.objects.get(code=unit_code)
        if role is not None and not Grant.objects.filter(user=user, role=role, unit=unit).exists():
            grant_create(actor=admin, user=user, role=role, unit=unit)
        rows.append((username, purpose, unit.name))
    return rows
