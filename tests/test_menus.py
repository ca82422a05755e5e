import pytest
from django.core.exceptions import ValidationError

from home.models import Menu, MenuItem
from tests.factories import MenuFactory, MenuItemFactory, StandardPageFactory


def main_menu_html(client, path):
    html = client.get(path).content.decode()
    start = html.index('<nav class="menu menu--main"')
    return html[start : html.index("</nav>", start)]


def test_main_navigation_lists_the_menu_of_the_visitors_language(
    client, bilingual_site, services_page
):
    chinese = MenuFactory(locale=bilingual_site.zh)
    MenuItemFactory(menu=chinese, link_page=bilingual_site.home, label="首页")
    MenuItemFactory(menu=chinese, link_page=services_page)
    english = MenuFactory(
        locale=bilingual_site.en, translation_key=chinese.translation_key
    )
    MenuItemFactory(
        menu=english,
        link_page=services_page.get_translation(bilingual_site.en),
    )

    nav = main_menu_html(client, "/zh-hans/")
    assert 'aria-label="主导航"' in nav
    assert '<a class="menu__link" href="/zh-hans/" aria-current="page">首页</a>' in nav
    assert '<a class="menu__link" href="/zh-hans/services/">利用服务</a>' in nav

    nav = main_menu_html(client, "/en/services/")
    assert (
        '<a class="menu__link" href="/en/services/" aria-current="page">'
        "Using the archives</a>"
    ) in nav
    assert "首页" not in nav


def test_an_untranslated_menu_falls_back_to_chinese_with_localized_links(
    client, bilingual_site, services_page
):
    chinese = MenuFactory(locale=bilingual_site.zh)
    MenuItemFactory(menu=chinese, link_page=services_page)

    nav = main_menu_html(client, "/en/")
    assert 'href="/en/services/">Using the archives</a>' in nav


def test_unpublished_pages_are_left_out(client, bilingual_site, services_page):
    draft = StandardPageFactory(parent=bilingual_site.home, title="筹备中", live=False)
    menu = MenuFactory(locale=bilingual_site.zh)
    MenuItemFactory(menu=menu, link_page=draft)
    MenuItemFactory(menu=menu, link_page=services_page)

    nav = main_menu_html(client, "/zh-hans/")
    assert "筹备中" not in nav
    assert "利用服务" in nav


def test_footer_links_may_point_outside_the_portal(client, bilingual_site):
    footer = MenuFactory(locale=bilingual_site.zh, purpose=Menu.Purpose.FOOTER)
    MenuItemFactory(
        menu=footer, link_url="https://www.saac.gov.cn/", label="国家档案局"
    )
    html = client.get("/zh-hans/").content.decode()
    assert 'aria-label="页脚链接"' in html
    assert (
        '<a class="menu__link" href="https://www.saac.gov.cn/">国家档案局</a>' in html
    )


@pytest.mark.django_db
def test_a_menu_item_needs_exactly_one_target(bilingual_site):
    with pytest.raises(ValidationError):
        MenuItem(label="空链接").clean()
    with pytest.raises(ValidationError):
        MenuItem(link_page=bilingual_site.home, link_url="/zh-hans/").clean()
    with pytest.raises(ValidationError):
        MenuItem(link_url="https://www.saac.gov.cn/").clean()
    MenuItem(link_url="https://www.saac.gov.cn/", label="国家档案局").clean()
