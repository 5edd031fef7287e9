"""The interface speaks English when the user picks it, and the English catalog is complete."""

import json
import re
from gettext import GNUTranslations
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from hoinghi.core.permissions import GrantRole
from hoinghi.orgs.models import Gender

CATALOG = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


@pytest.fixture(autouse=True)
def _back_to_the_default_language():
    # LocaleMiddleware activates the request's language and leaves it active in this thread;
    # later tests that build messages outside a request expect Vietnamese.
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def organiser(small_tree, make_user, client):
    user = make_user(GrantRole.ORGANISER, small_tree.national)
    client.force_login(user)
    return user


def test_the_interface_is_vietnamese_by_default(client, organiser):
    page = client.get(reverse("orgs:tree")).content.decode()
    assert "Cây tổ chức" in page
    assert "Organisation tree" not in page
    assert '<html lang="vi">' in page


def test_switching_to_english_translates_the_interface(client, organiser):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("orgs:tree")})
    assert response.status_code == 302
    assert response["Location"] == reverse("orgs:tree")

    page = client.get(reverse("orgs:tree")).content.decode()
    assert '<html lang="en">' in page
    assert "Organisation tree" in page
    assert "Log out" in page
    assert "Cây tổ chức" not in page
    assert "Đăng xuất" not in page
    # Data stays as entered.
    assert "Tổng Liên đoàn Lao động Việt Nam" in page


def test_switching_back_to_vietnamese(client, organiser):
    client.post(reverse("set_language"), {"language": "en"})
    client.post(reverse("set_language"), {"language": "vi"})
    assert "Cây tổ chức" in client.get(reverse("orgs:tree")).content.decode()


def test_plural_forms_are_translated():
    with translation.override("en"):
        assert translation.ngettext("%(total)s cán bộ", "%(total)s cán bộ", 1) % {"total": 1} == "1 official"
        assert translation.ngettext("%(total)s cán bộ", "%(total)s cán bộ", 3) % {"total": 3} == "3 officials"
        assert str(Gender.FEMALE.label) == "Female"


def _po_entries(path: Path) -> list[dict[str, str]]:
    """The .po's entries as {"msgid": …, "msgstr": …, "msgstr[0]": …, "flags": …}, header left out."""
    entries, entry, key = [], {}, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry.get("msgid"):
                entries.append(entry)
            entry, key = {}, None
        elif line.startswith("#,"):
            entry["flags"] = line[2:]
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += json.loads(line)
        else:
            key, value = line.split(" ", 1)
            entry[key] = json.loads(value)
    return entries


def test_every_message_has_an_english_translation():
    entries = _po_entries(CATALOG / "django.po")
    assert len(entries) > 200
    for entry in entries:
        assert "fuzzy" not in entry.get("flags", ""), entry["msgid"]
        translations = [value for key, value in entry.items() if key.startswith("msgstr")]
        assert translations and all(translations), entry["msgid"]


def test_the_compiled_catalog_matches_the_po():
    with (CATALOG / "django.mo").open("rb") as mo:
        compiled = GNUTranslations(mo)
    assert compiled.info()["language"] == "en"
    for entry in _po_entries(CATALOG / "django.po"):
        if "msgid_plural" in entry:
            singular, plural = entry["msgid"], entry["msgid_plural"]
            assert compiled.ngettext(singular, plural, 1) == entry["msgstr[0]"]
            assert compiled.ngettext(singular, plural, 2) == entry["msgstr[1]"]
        else:
            assert compiled.gettext(entry["msgid"]) == entry["msgstr"], entry["msgid"]


def test_translations_keep_the_placeholders():
    for entry in _po_entries(CATALOG / "django.po"):
        wanted = sorted(PLACEHOLDER.findall(entry["msgid"]))
        for key, value in entry.items():
            if key.startswith("msgstr"):
                assert sorted(PLACEHOLDER.findall(value)) == wanted, entry["msgid"]


def test_a_browser_set_to_english_still_gets_vietnamese_unless_the_user_switches(
    client, small_tree, make_user
):
    from django.urls import reverse

    client.force_login(make_user("organiser", small_tree.national))
    page = client.get(reverse("orgs:tree"), headers={"accept-language": "en-US,en;q=0.9"})
    assert "Cây tổ chức" in page.content.decode()
