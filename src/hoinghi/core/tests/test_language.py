"""The interface speaks English when the user picks it, and the English catalog is complete."""

import json
import re
from gettext import GNUTranslations
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from hoinghi.core.catalogue import catalogue_url
from hoinghi.core.permissions import GrantRole
from hoinghi.orgs.models import Gender

CATALOG = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%s")


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


DOMAINS = ["django", "djangojs"]  # the pages' words, and the JavaScript catalogue's (core.catalogue)


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_message_has_an_english_translation(domain):
    entries = _po_entries(CATALOG / f"{domain}.po")
    assert len(entries) > (200 if domain == "django" else 50)
    for entry in entries:
        assert "fuzzy" not in entry.get("flags", ""), entry["msgid"]
        translations = [value for key, value in entry.items() if key.startswith("msgstr")]
        assert translations and all(translations), entry["msgid"]


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_compiled_catalog_matches_the_po(domain):
    with (CATALOG / f"{domain}.mo").open("rb") as mo:
        compiled = GNUTranslations(mo)
    assert compiled.info()["language"] == "en"
    for entry in _po_entries(CATALOG / f"{domain}.po"):
        if "msgid_plural" in entry:
            singular, plural = entry["msgid"], entry["msgid_plural"]
            assert compiled.ngettext(singular, plural, 1) == entry["msgstr[0]"]
            assert compiled.ngettext(singular, plural, 2) == entry["msgstr[1]"]
        else:
            assert compiled.gettext(entry["msgid"]) == entry["msgstr"], entry["msgid"]


@pytest.mark.parametrize("domain", DOMAINS)
def test_translations_keep_the_placeholders(domain):
    for entry in _po_entries(CATALOG / f"{domain}.po"):
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


# --- The JavaScript catalogue -------------------------------------------------------------------

VIETNAMESE_LETTER = re.compile("[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.I)
SCRIPTS = sorted(
    path
    for path in Path(settings.SRC_DIR).glob("*/static/**/*.js")
    if "vendor" not in path.relative_to(settings.SRC_DIR).parts
)


def test_every_page_loads_the_javascript_catalogue_of_its_language(client, organiser):
    assert f'<script src="{catalogue_url("vi")}" defer>' in client.get(reverse("orgs:tree")).content.decode()
    client.post(reverse("set_language"), {"language": "en"})
    assert f'<script src="{catalogue_url("en")}" defer>' in client.get(reverse("orgs:tree")).content.decode()


def test_the_javascript_catalogue_translates_and_is_cached_for_its_version(client):
    english = client.get(catalogue_url("en"))
    assert english.status_code == 200
    assert english["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "Already checked in at %s" in english.content.decode()
    vietnamese = client.get(catalogue_url("vi")).content.decode()
    assert "Already checked in" not in vietnamese  # the source language: gettext returns the msgid
    assert client.get(reverse("javascript_catalogue", args=["en"]) + "?v=old")["Cache-Control"] == "no-cache"
    assert client.get(reverse("javascript_catalogue", args=["fr"])).status_code == 404


BLOCK_COMMENT, LINE_COMMENT = re.compile(r"/\*.*?\*/", re.S), re.compile(r"^\s*//.*$", re.M)
GETTEXT_CALL = re.compile(r"""\bn?gettext\(\s*"(?:[^"\\]|\\.)*"\s*(,\s*"(?:[^"\\]|\\.)*"\s*)?[,)]""")
STRING_LITERAL = re.compile(r""""(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`[^`]*`""")


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: str(path.relative_to(settings.SRC_DIR)))
def test_scripts_take_their_words_from_the_catalogue(script):
    """No Vietnamese in a script's string literals but in those gettext("…") reads (comments aside)."""
    code = LINE_COMMENT.sub("", BLOCK_COMMENT.sub("", script.read_text(encoding="utf-8")))
    code = GETTEXT_CALL.sub("gettext(", code)
    assert [literal for literal in STRING_LITERAL.findall(code) if VIETNAMESE_LETTER.search(literal)] == []
