"""Fixtures shared by every app's tests: a small confederation in the 2018 shape, and a browser.

Browser tests drive Debian's Chromium with Playwright against a live server. Without
/usr/bin/chromium they are skipped on a developer's machine; CI installs it and sets
HOINGHI_REQUIRE_BROWSER=1, which turns a missing browser into a failure.
"""

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from hoinghi.accounts.tests.factories import GrantFactory, UserFactory
from hoinghi.orgs.models import Unit
from hoinghi.orgs.tests.factories import LevelFactory, ProvinceFactory, UnitFactory, UnitKindFactory


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """A fast hasher for `pytest` run by hand too (`make test` sets it through the environment).

    The environment variable reaches the server processes some tests start, which must check the
    hashes the tests made.
    """
    from django.conf import settings
    from django.contrib.auth.hashers import get_hashers, get_hashers_by_algorithm

    os.environ["HOINGHI_TEST_PASSWORD_HASHING"] = "1"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    get_hashers.cache_clear()
    get_hashers_by_algorithm.cache_clear()


@dataclass
class SmallTree:
    """national → {Hà Nội → Ba Đình → CĐCS A, Hồ Chí Minh → Quận 1 → CĐCS B}."""

    national: Unit
    hanoi: Unit
    ba_dinh: Unit
    grassroots_a: Unit
    hcm: Unit
    district_1: Unit
    grassroots_b: Unit


@pytest.fixture
def small_tree(db) -> SmallTree:
    national = UnitKindFactory(
        code="national", name="Tổng Liên đoàn", level=LevelFactory(code="national", rank=0)
    )
    provincial = UnitKindFactory(
        code="provincial",
        name="Liên đoàn Lao động tỉnh, thành phố",
        level=LevelFactory(code="provincial", rank=1),
    )
    district = UnitKindFactory(
        code="district", name="Liên đoàn Lao động quận, huyện", level=LevelFactory(code="district", rank=2)
    )
    grassroots = UnitKindFactory(
        code="grassroots", name="Công đoàn cơ sở", level=LevelFactory(code="grassroots", rank=3)
    )
    top = UnitFactory(code="TLD", name="Tổng Liên đoàn Lao động Việt Nam", kind=national)
    hanoi_province = ProvinceFactory(code="01", name="Thành phố Hà Nội", short_name="Hà Nội")
    hcm_province = ProvinceFactory(code="79", name="Thành phố Hồ Chí Minh", short_name="Hồ Chí Minh")
    hanoi = UnitFactory(
        code="HN",
        name="Liên đoàn Lao động Thành phố Hà Nội",
        kind=provincial,
        parent=top,
        province=hanoi_province,
    )
    ba_dinh = UnitFactory(code="HN-BD", name="Liên đoàn Lao động quận Ba Đình", kind=district, parent=hanoi)
    grassroots_a = UnitFactory(
        code="HN-BD-001", name="Công đoàn Công ty Điện lực Ba Đình", kind=grassroots, parent=ba_dinh
    )
    hcm = UnitFactory(
        code="HCM",
        name="Liên đoàn Lao động Thành phố Hồ Chí Minh",
        kind=provincial,
        parent=top,
        province=hcm_province,
    )
    district_1 = UnitFactory(code="HCM-Q1", name="Liên đoàn Lao động Quận 1", kind=district, parent=hcm)
    grassroots_b = UnitFactory(
        code="HCM-Q1-001", name="Công đoàn Công ty May Sài Gòn", kind=grassroots, parent=district_1
    )
    return SmallTree(top, hanoi, ba_dinh, grassroots_a, hcm, district_1, grassroots_b)


@pytest.fixture
def make_user(db):
    """make_user(role, unit) -> a user holding that one grant (role None: no grant at all)."""

    def make(role: str | None = None, unit: Unit | None = None, **fields):
        user = UserFactory(**fields)
        if role is not None:
            GrantFactory(user=user, role=role, unit=unit)
        return user

    return make


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


CHROMIUM = os.environ.get("HOINGHI_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(
    os.environ.get("HOINGHI_SCREENSHOTS", Path(__file__).resolve().parents[2] / "var" / "screenshots")
)


def _chromium_missing() -> bool:
    return not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM))


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module.

    Playwright's sync API keeps an event loop running in the test's thread, which makes Django
    refuse ORM calls from that thread; those calls are the test's own set-up, not async code,
    so the guard is lifted for the browser tests only.
    """
    if _chromium_missing():
        if os.environ.get("HOINGHI_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium not found at {CHROMIUM}")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE")


@pytest.fixture
def page_for(browser, live_server):
    """page_for(user, width=1280) -> a logged-in page; screenshots go to var/screenshots/.

    Whatever the page's Content-Security-Policy refused (Chromium says so on the console) fails
    the test at its end: every browser test checks the policy of the pages it visits.
    """
    contexts = []
    refused = []

    def make(user=None, *, width: int = 1280, height: int = 900, password: str = "mat-khau-thu-nghiem"):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
        context.on(
            "console",
            lambda message: (
                refused.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        if user is not None:
            page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
            page.fill("#id_username", user.username)
            page.fill("#id_password", password)
            page.click("button[type=submit]")
            page.wait_for_url(f"{live_server.url}/to-chuc/")
        return page

    yield make
    for context in contexts:
        context.close()
    assert refused == [], "the Content-Security-Policy refused something"


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
