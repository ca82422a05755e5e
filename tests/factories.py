"""Factories that read like the archive's own pages and people."""

import factory
import wagtail_factories
from django.contrib.auth import get_user_model

from home.models import HomePage, Menu, MenuItem, StandardPage


class HomePageFactory(wagtail_factories.PageFactory):
    title = "滨江市档案馆"
    introduction = "保存城市记忆，服务社会公众。"

    class Meta:
        model = HomePage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = factory.Iterator(["馆藏介绍", "利用服务", "关于本馆", "阅览室须知"])
    introduction = "本馆的基本情况。"

    class Meta:
        model = StandardPage


class MenuFactory(factory.django.DjangoModelFactory):
    purpose = Menu.Purpose.MAIN

    class Meta:
        model = Menu


class MenuItemFactory(factory.django.DjangoModelFactory):
    menu = factory.SubFactory(MenuFactory)
    sort_order = factory.Sequence(int)

    class Meta:
        model = MenuItem


class UserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"archivist{n}")
    password = factory.django.Password("a-long-test-password")

    class Meta:
        model = get_user_model()


def site_with_home(**fields):
    """A HomePage under the root that the default site serves (as in production)."""
    from wagtail.models import Page, Site

    root = Page.get_first_root_node()
    fields.setdefault("slug", "home-zh")
    home = HomePageFactory(parent=root, **fields)
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    # Wagtail's placeholder "Welcome" page would otherwise stay beside it.
    root.get_children().exclude(pk=home.pk).delete()
    return site, home
