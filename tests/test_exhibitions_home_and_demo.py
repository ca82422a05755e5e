"""The home page features exhibitions, collections and chronicle entries; the
demo builds them all, in both languages, with the review workflow."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page, Workflow, WorkflowState

from exhibitions.models import (
    ChronicleEventPage,
    ExhibitionChapterPage,
    ExhibitionPage,
    ThematicCollectionPage,
)
from home.models import HomePageFeature
from tests import demo_support
from tests.exhibitions_support import build_curated
from tests.factories import (
    ChronicleEventPageFactory,
    ExhibitionPageFactory,
    ThematicCollectionPageFactory,
)

# The demo, built once per test from a bundle written once per run.
demo_bundle = demo_support.demo_bundle
demo = demo_support.demo


@pytest.fixture
def curated(bilingual_site):
    return build_curated(bilingual_site)


def featured_titles(client, url, kind):
    html = client.get(url).content.decode()
    if f'id="featured-{kind}"' not in html:
        return []
    section = html.split(f'id="featured-{kind}"', 1)[1].split("</section>", 1)[0]
    return [
        part.split(">", 1)[1].split("<", 1)[0]
        for part in section.split('class="card__link"')[1:]
    ]


def publish_at(page, when):
    page.first_published_at = when
    page.save(update_fields=["first_published_at"])


def test_without_a_choice_the_home_page_shows_the_newest(client, curated):
    now = timezone.now()
    for n, title in enumerate(["旧展览", "较新的展览", "最新的展览", "再新的展览"]):
        page = ExhibitionPageFactory(parent=curated.exhibitions, title=title)
        publish_at(page, now.replace(year=2020 + n))
    ThematicCollectionPageFactory(parent=curated.collections, title="海关档案选粹")
    ChronicleEventPageFactory(parent=curated.chronicle, title="滨江开埠")
    home = curated.site.home.url
    assert featured_titles(client, home, "exhibitions") == [
        "再新的展览",
        "最新的展览",
        "较新的展览",
    ]
    assert featured_titles(client, home, "collections") == ["海关档案选粹"]
    # Chronicle events only when editors choose them: the home page has
    # 历史上的今天 instead (tests/test_home_page.py).
    assert featured_titles(client, home, "chronicle") == []


def test_editors_choose_what_the_home_page_features(client, curated):
    old = ExhibitionPageFactory(parent=curated.exhibitions, title="旧展览")
    publish_at(old, timezone.now().replace(year=2001))
    ExhibitionPageFactory(parent=curated.exhibitions, title="最新的展览")
    hidden = ExhibitionPageFactory(parent=curated.exhibitions, title="已下线")
    hidden.unpublish()
    home = curated.site.home
    home.features = [
        HomePageFeature(feature=old, sort_order=0),
        HomePageFeature(feature=hidden, sort_order=1),
    ]
    home.save_revision().publish()
    assert featured_titles(client, home.url, "exhibitions") == ["旧展览"]
    # The English home page follows the editors' choice, in English.
    curated.site.translate(old, title="An old exhibition", slug=old.slug)
    assert featured_titles(client, "/en/", "exhibitions") == ["An old exhibition"]


def test_nothing_to_feature_no_section(client, curated):
    html = client.get(curated.site.home.url).content.decode()
    assert 'id="featured-' not in html


# The demo -----------------------------------------------------------------------


def test_the_demo_curates_exhibitions_collections_and_a_chronicle(client, demo):
    exhibitions = ExhibitionPage.objects.live().filter(locale__language_code="zh-hans")
    assert exhibitions.count() >= 2
    used = set()
    for exhibition in exhibitions:
        chapters = ExhibitionChapterPage.objects.child_of(exhibition).live()
        assert chapters.count() >= 2, exhibition.title
        assert exhibition.get_translations().live().exists(), exhibition.title
        for chapter in chapters:
            used |= {block.block_type for block in chapter.body}
            for language in ("zh-hans", "en"):
                translated = chapter.get_translations(inclusive=True).get(
                    locale__language_code=language
                )
                assert client.get(translated.url).status_code == 200, translated.url
    assert used == set(ExhibitionPage._meta.get_field("body").stream_block.child_blocks)

    collections = ThematicCollectionPage.objects.live().filter(
        locale__language_code="zh-hans"
    )
    assert collections.count() == 3
    for collection in collections:
        assert len(collection.hand_picked_records()) >= 5, collection.title
        english = collection.get_translations().get(locale__language_code="en")
        assert client.get(english.url).status_code == 200

    events = ChronicleEventPage.objects.live().filter(locale__language_code="zh-hans")
    assert events.count() >= 30
    assert len({event.decade for event in events}) >= 10
    assert all(event.get_translations().live().exists() for event in events)
    for url in ("/zh-hans/chronicle/", "/en/chronicle/", "/en/", "/zh-hans/"):
        assert client.get(url).status_code == 200, url


def test_the_demo_sets_up_review_and_runs_again_without_duplicates(demo):
    reviewer = get_user_model().objects.get(username="reviewer")
    assert reviewer.groups.filter(name="Reviewers").exists()
    workflow = Workflow.objects.get(name="展览与专题审核")
    exhibitions = Page.objects.get(slug="exhibitions", locale__language_code="zh-hans")
    assert exhibitions.get_workflow() == workflow
    pending = WorkflowState.objects.get(status="in_progress")
    assert pending.content_object.title == "百年商会"
    assert pending.requested_by.username == "editor"
    task = pending.current_task_state.task.specific
    assert task.user_can_access_editor(pending.content_object, reviewer)
    assert list(task.groups.values_list("name", flat=True)) == ["Reviewers"]

    counts = (Page.objects.count(), WorkflowState.objects.count())
    out = io.StringIO()
    call_command("setup_demo", stdout=out)
    assert "Created" not in out.getvalue()
    assert (Page.objects.count(), WorkflowState.objects.count()) == counts
