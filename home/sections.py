"""What the home page shows from the other parts of the portal.

Home depends on no other app of ours, so the apps bring their part themselves,
through two Wagtail hooks (registered in their wagtail_hooks.py):

- `home_page_figures`: fn(request, today) -> [Figure], the archive in figures;
- `home_page_sections`: fn(request, today) -> HomeSection or None, a section
  below the featured pages (newly opened records, 历史上的今天), each with a
  template partial of its own.

A part that has nothing to show returns nothing: the home page never shows an
empty heading.
"""

from dataclasses import dataclass, field

from django.utils import timezone
from wagtail import hooks

from .numbers import grouped


@dataclass(frozen=True)
class Figure:
    number: int
    label: str  # already in the visitor's language
    order: int = 0
    url: str = ""

    @property
    def shown(self):
        return grouped(self.number)


@dataclass(frozen=True)
class HomeSection:
    key: str
    template: str
    order: int = 0
    context: dict = field(default_factory=dict)


def figures(request, today=None):
    today = today or timezone.localdate()
    found = [
        figure
        for fn in hooks.get_hooks("home_page_figures")
        for figure in fn(request, today) or ()
    ]
    return sorted(found, key=lambda figure: figure.order)


def sections(request, today=None):
    today = today or timezone.localdate()
    found = [fn(request, today) for fn in hooks.get_hooks("home_page_sections")]
    return sorted((s for s in found if s), key=lambda section: section.order)
