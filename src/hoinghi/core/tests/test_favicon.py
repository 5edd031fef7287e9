"""Every browser asks for /favicon.ico: it is answered with the site's icon, and every page
links the icon in its head (issue 17: a 404 on each first visit)."""

import re

import pytest


@pytest.mark.django_db
def test_favicon_ico_is_the_sites_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert "max-age" in response["Cache-Control"]


@pytest.mark.django_db
def test_every_page_links_an_icon_that_is_served(client):
    page = client.get("/tai-khoan/dang-nhap/").content.decode()
    icons = re.findall(r'<link rel="icon" href="([^"]+)"', page)
    assert any(icon.endswith(".svg") for icon in icons)
    for icon in icons:
        response = client.get(icon)
        assert response.status_code == 200, icon
        response.close()
