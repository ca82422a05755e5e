"""Feeds and the 新开放档案 page, under each language's prefix (portal/urls.py).

Their paths come before Wagtail's pages: no page may be given the slugs
"feeds" or "newly-opened" at the top of the site.
"""

from django.urls import path

from . import atom, views

urlpatterns = [
    path("newly-opened/", views.newly_opened_page, name="newly_opened"),
    path("newly-opened/feed/", atom.NewlyOpenedFeed(), name="newly_opened_feed"),
    path("feeds/exhibitions/", atom.ExhibitionsFeed(), name="exhibitions_feed"),
    path("feeds/collections/", atom.CollectionsFeed(), name="collections_feed"),
]
