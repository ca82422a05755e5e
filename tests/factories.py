"""Factories that read like the archive's own pages and people."""

import datetime

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


# The catalogue ----------------------------------------------------------------


class RepositoryFactory(factory.django.DjangoModelFactory):
    code = factory.Sequence(lambda n: f"12010{n}")
    name = factory.Sequence(lambda n: f"滨江市第{n}档案馆")
    name_en = factory.Sequence(lambda n: f"Binjiang Archives No. {n}")

    class Meta:
        model = "catalogue.Repository"
        django_get_or_create = ("code",)


class RecordFactory(factory.django.DjangoModelFactory):
    repository = factory.SubFactory(RepositoryFactory)
    access_status = "open"
    title = factory.Iterator(
        [
            "关于整顿市区交通秩序的通知",
            "滨江纺织厂一九五六年生产计划",
            "市商会关于筹办国货展览会的函",
            "海关关于码头扩建工程的呈文",
        ]
    )

    class Meta:
        model = "catalogue.Record"


class FondsFactory(RecordFactory):
    level = "fonds"
    reference_code = factory.Sequence(lambda n: f"J{n:04d}")
    title = factory.Iterator(["滨江海关", "滨江市商会", "滨江纺织厂"])


class SeriesFactory(RecordFactory):
    level = "series"
    parent = factory.SubFactory(FondsFactory)
    repository = factory.SelfAttribute("parent.repository")
    reference_code = factory.LazyAttributeSequence(
        lambda o, n: f"{o.parent.reference_code}-{n:03d}"
    )


class FileFactory(RecordFactory):
    level = "file"
    parent = factory.SubFactory(SeriesFactory)
    repository = factory.SelfAttribute("parent.repository")
    reference_code = factory.LazyAttributeSequence(
        lambda o, n: f"{o.parent.reference_code}-{n:04d}"
    )


class ItemFactory(RecordFactory):
    level = "item"
    parent = factory.SubFactory(FileFactory)
    repository = factory.SelfAttribute("parent.repository")
    reference_code = factory.LazyAttributeSequence(
        lambda o, n: f"{o.parent.reference_code}-{n:04d}"
    )


# Exhibitions, thematic collections and the chronicle ---------------------------


class ThemeFactory(factory.django.DjangoModelFactory):
    name = factory.Iterator(["港口与航运", "工商业", "城市生活"])
    slug = factory.Sequence(lambda n: f"theme-{n}")

    class Meta:
        model = "exhibitions.Theme"


class ExhibitionIndexPageFactory(wagtail_factories.PageFactory):
    title = "在线展厅"
    slug = "exhibitions"
    introduction = "用馆藏档案讲述滨江的故事。"

    class Meta:
        model = "exhibitions.ExhibitionIndexPage"


class ExhibitionPageFactory(wagtail_factories.PageFactory):
    title = factory.Iterator(["江海通衢：滨江港百年", "机杼声声：滨江纺织厂七十年"])
    slug = factory.Sequence(lambda n: f"exhibition-{n}")
    introduction = "从开埠到新港落成，一座港口城市的百年。"
    start_date = factory.LazyFunction(lambda: datetime.date(2026, 5, 18))
    end_date = None
    curator = "滨江市档案馆编研处"

    class Meta:
        model = "exhibitions.ExhibitionPage"


class ExhibitionChapterPageFactory(wagtail_factories.PageFactory):
    title = factory.Iterator(["开埠与海关", "码头与航运", "新港建设"])
    slug = factory.Sequence(lambda n: f"chapter-{n}")
    introduction = "一章的导语。"

    class Meta:
        model = "exhibitions.ExhibitionChapterPage"


class ThematicCollectionIndexPageFactory(wagtail_factories.PageFactory):
    title = "专题荟萃"
    slug = "collections"

    class Meta:
        model = "exhibitions.ThematicCollectionIndexPage"


class ThematicCollectionPageFactory(wagtail_factories.PageFactory):
    title = factory.Iterator(["海关档案选粹", "商会与城市商业", "纺织厂的日常"])
    slug = factory.Sequence(lambda n: f"collection-{n}")
    introduction = "档案工作者挑选的一组档案。"

    class Meta:
        model = "exhibitions.ThematicCollectionPage"


class ChronicleIndexPageFactory(wagtail_factories.PageFactory):
    title = "大事记"
    slug = "chronicle"

    class Meta:
        model = "exhibitions.ChronicleIndexPage"


class ChronicleEventPageFactory(wagtail_factories.PageFactory):
    title = factory.Iterator(["滨江开埠", "滨江商会成立", "滨江纺织厂开工"])
    slug = factory.Sequence(lambda n: f"event-{n}")
    start_date = factory.LazyFunction(lambda: datetime.date(1949, 10, 1))
    precision = "day"
    description = "全市各界在江边广场集会。"

    class Meta:
        model = "exhibitions.ChronicleEventPage"
