"""What every page carries: landmarks, a skip link and nothing from elsewhere."""

import re


def page_html(client, path="/zh-hans/services/"):
    return client.get(path).content.decode()


def test_every_page_has_a_skip_link_to_the_main_landmark(client, services_page):
    html = page_html(client)
    assert html.index('class="skip-link" href="#main"') < html.index("<header")
    assert '<main id="main" tabindex="-1">' in html
    assert '<header class="site-header">' in html
    assert '<footer class="site-footer">' in html


def test_navigation_regions_are_labelled(client, services_page):
    html = page_html(client)
    for nav in re.findall(r"<nav[^>]*>", html):
        assert "aria-label=" in nav, nav


def test_loads_nothing_from_other_sites(client, services_page):
    html = page_html(client)
    # What the browser fetches; alternate and canonical links only name
    # addresses (absolute, on the public address), they load nothing.
    tags = re.findall(r"<(?:script|link|img|iframe)[^>]+>", html)
    loaded = [
        re.search(r'(?:src|href)="([^"]+)"', tag).group(1)
        for tag in tags
        if re.search(r'(?:src|href)="', tag)
        and not re.search(r'rel="(?:alternate|canonical)"', tag)
    ]
    assert loaded
    for address in loaded:
        assert address.startswith("/"), address
    assert "<script" not in html


def test_the_description_comes_from_the_introduction(client, services_page):
    html = page_html(client)
    assert '<meta name="description" content="本馆的基本情况。">' in html
    assert "<title>利用服务 – " in html
