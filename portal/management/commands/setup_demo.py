"""Build the bilingual demo portal, or complete it: safe to run again.

What exists is left alone (an editor may have changed it); only what is missing
is created, so a second run adds nothing twice.
"""

import io
import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.models import Locale, Page, Site
from wagtail.rich_text import RichText

from catalogue.importers.base import Bundle, import_records
from catalogue.importers.csv import read_csv
from catalogue.models import Repository
from catalogue.pages import CatalogueIndexPage
from home.models import (
    ArchiveImage,
    ArchiveSettings,
    HomePage,
    Menu,
    MenuItem,
    StandardPage,
)
from portal.demo import catalogue, content

DEMO_USERS = [
    # username, superuser?, groups
    ("editor", False, ["Editors", "Moderators"]),
    ("admin", True, []),
]


def stream(blocks):
    """Demo body blocks as StreamField values (rich text as RichText)."""
    return [
        (kind, RichText(value) if kind == "paragraph" else value)
        for kind, value in blocks
    ]


class Command(BaseCommand):
    help = "Create the bilingual demo portal (missing parts only) and print logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--port",
            default=os.environ.get("PORT", "8000"),
            help="Port shown in the printed addresses.",
        )

    def handle(self, *args, **options):
        with transaction.atomic():
            zh = Locale.get_default()
            en, _ = Locale.objects.get_or_create(language_code="en")
            home = self.ensure_home(zh, en)
            pages = {"@home": home}
            for key, parent_key, zh_fields, en_fields in content.PAGES:
                parent = pages[parent_key or "@home"]
                pages[key] = self.ensure_page(parent, key, zh_fields, en_fields, en)
            pages["@catalogue"] = self.ensure_catalogue(home, en)
            for purpose, keys in content.MENUS.items():
                self.ensure_menu(purpose, [pages[key] for key in keys], zh, en)
            self.ensure_settings(home)
        logins = self.ensure_users()
        self.report(options["port"], logins)

    # Pages ---------------------------------------------------------------

    def ensure_home(self, zh, en):
        home = HomePage.objects.filter(locale=zh).first()
        site = Site.objects.filter(is_default_site=True).first()
        if home is None:
            root = Page.get_first_root_node()
            # Wagtail's placeholder page holds the site until the home page does.
            placeholders = root.get_children().filter(
                content_type__app_label="wagtailcore", content_type__model="page"
            )
            fields = content.HOME["zh"]
            home = HomePage(
                title=fields["title"],
                slug=fields["slug"],
                locale=zh,
                introduction=fields["introduction"],
                body=stream(fields["body"]),
            )
            root.add_child(instance=home)
            home.save_revision().publish()
            if site is None:
                site = Site(hostname="localhost", port=80, is_default_site=True)
            site.root_page = home
            site.site_name = content.ARCHIVE["archive_name"]
            site.save()
            for placeholder in placeholders:
                placeholder.delete()
            self.stdout.write(f"Created the home page: {home.title}")
        self.ensure_translation(home, content.HOME["en"], en)
        return home

    def ensure_page(self, parent, slug, zh_fields, en_fields, en):
        page = parent.get_children().filter(slug=slug).specific().first()
        if page is None:
            page = StandardPage(
                title=zh_fields["title"],
                slug=slug,
                locale=parent.locale,
                introduction=zh_fields["introduction"],
                body=stream(zh_fields["body"]),
            )
            parent.add_child(instance=page)
            page.save_revision().publish()
            self.stdout.write(f"Created page: {page.title}")
        self.ensure_translation(page, en_fields, en)
        return page

    def ensure_translation(self, page, fields, locale):
        if page.has_translation(locale):
            return page.get_translation(locale)
        translated = page.copy_for_translation(locale).specific
        for name, value in fields.items():
            setattr(translated, name, stream(value) if name == "body" else value)
        translated.save_revision().publish()
        self.stdout.write(f"Created translation: {translated.title}")
        return translated

    # The catalogue -----------------------------------------------------------

    def ensure_catalogue(self, home, en):
        """The catalogue page, and the demo records imported as an archive would."""
        page = CatalogueIndexPage.objects.filter(locale=home.locale).first()
        if page is None:
            fields = catalogue.PAGE["zh"]
            page = CatalogueIndexPage(locale=home.locale, **fields)
            home.add_child(instance=page)
            page.save_revision().publish()
            self.stdout.write(f"Created page: {page.title}")
        self.ensure_translation(page, catalogue.PAGE["en"], en)

        bundle_root = settings.VAR_DIR / "demo-catalogue"
        csv_paths = None
        for code, name, name_en in catalogue.REPOSITORIES:
            repository, _ = Repository.objects.get_or_create(
                code=code, defaults={"name": name, "name_en": name_en}
            )
            if repository.records.exists():
                continue
            csv_paths = csv_paths or catalogue.write_bundle(bundle_root)
            path = csv_paths[code]
            report = import_records(
                read_csv(path, bundle=Bundle(path.parent)),
                repository,
                bundle=Bundle(path.parent),
            )
            if not report.committed:
                raise CommandError("\n".join(report.lines()))
            skipped = sum(report.skipped.values())
            self.stdout.write(
                f"Imported the demo catalogue of {name}: {report.created} records, "
                f"{skipped} rows left out as not open"
            )
        return page

    # Menus and settings --------------------------------------------------

    def ensure_menu(self, purpose, pages, zh, en):
        labels = {zh: "首页", en: "Home"}
        source = Menu.objects.filter(purpose=purpose, locale=zh).first()
        for locale in (zh, en):
            if Menu.objects.filter(purpose=purpose, locale=locale).exists():
                continue
            menu = Menu(purpose=purpose, locale=locale)
            if source is not None:
                menu.translation_key = source.translation_key
            menu.items = [
                MenuItem(
                    sort_order=position,
                    link_page=page.get_translation_or_none(locale) or page,
                    label=labels[locale] if isinstance(page.specific, HomePage) else "",
                )
                for position, page in enumerate(pages)
            ]
            # Items belong to a cluster: they are written with the menu.
            menu.save()
            source = source or menu
            self.stdout.write(f"Created menu: {menu}")

    def ensure_settings(self, home):
        site = Site.objects.get(root_page=home)
        archive = ArchiveSettings.for_site(site)
        for field, value in content.ARCHIVE.items():
            if not getattr(archive, field):
                setattr(archive, field, value)
        if archive.logo is None:
            archive.logo = self.make_logo()
        archive.save()

    def make_logo(self):
        """A seal-like mark drawn here, so the demo ships no image files."""
        size = 192
        picture = PILImage.new("RGB", (size, size), "#7a1f1a")
        draw = ImageDraw.Draw(picture)
        draw.rectangle((14, 14, size - 15, size - 15), outline="#ffffff", width=8)
        # An archive box seen from the front: lid, body and label slot.
        draw.rectangle((48, 52, 144, 72), fill="#ffffff")
        draw.rectangle((56, 78, 136, 148), outline="#ffffff", width=8)
        draw.rectangle((80, 98, 112, 110), fill="#ffffff")
        buffer = io.BytesIO()
        picture.save(buffer, format="PNG")
        return ArchiveImage.objects.create(
            title="滨江市档案馆馆徽",
            description="滨江市档案馆馆徽",
            credit="滨江市档案馆",
            file=ImageFile(buffer, name="binjiang-archives-logo.png"),
        )

    # Users -----------------------------------------------------------------

    def demo_password(self):
        """One password for the demo logins, kept under var/ across runs."""
        if os.environ.get("DEMO_PASSWORD"):
            return os.environ["DEMO_PASSWORD"]
        path = settings.VAR_DIR / "demo_password"
        if path.exists():
            return path.read_text().strip()
        password = secrets.token_urlsafe(12)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(password + "\n")
        path.chmod(0o600)
        return password

    def ensure_users(self):
        password = self.demo_password()
        User = get_user_model()
        logins = []
        for username, superuser, groups in DEMO_USERS:
            user, _ = User.objects.get_or_create(username=username)
            user.is_superuser = user.is_staff = superuser
            user.is_active = True
            user.set_password(password)
            user.save()
            user.groups.add(*Group.objects.filter(name__in=groups))
            logins.append((username, password, superuser))
        return logins

    def report(self, port, logins):
        base = f"http://127.0.0.1:{port}"
        self.stdout.write(self.style.SUCCESS("\nThe demo portal is ready."))
        self.stdout.write(f"  Public site:   {base}/  ({base}/zh-hans/ · {base}/en/)")
        self.stdout.write(f"  Editor login:  {base}/admin/")
        for username, password, superuser in logins:
            role = "administrator" if superuser else "editor and moderator"
            self.stdout.write(f"    {username} / {password}   ({role})")
        self.stdout.write("")
