"""Build the bilingual demo portal, or complete it: safe to run again.

What exists is left alone (an editor may have changed it); only what is missing
is created, so a second run adds nothing twice.
"""

import datetime
import io
import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.documents import get_document_model
from wagtail.models import (
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)
from wagtail.rich_text import RichText

from catalogue.importers.base import Bundle, import_records
from catalogue.importers.csv import read_csv
from catalogue.models import Record, Repository
from catalogue.pages import CatalogueIndexPage
from exhibitions.models import (
    ChronicleEventLink,
    ChronicleEventPage,
    ChronicleEventRecord,
    ChronicleIndexPage,
    ExhibitionChapterPage,
    ExhibitionIndexPage,
    ExhibitionPage,
    ThematicCollectionIndexPage,
    ThematicCollectionPage,
    ThematicCollectionRecord,
    Theme,
)
from home.models import (
    ArchiveImage,
    ArchiveSettings,
    HomePage,
    HomePageFeature,
    Menu,
    MenuItem,
    StandardPage,
)
from portal.demo import catalogue, content, media
from portal.demo import exhibitions as curated

DEMO_USERS = [
    # username, superuser?, groups, role shown in the printed logins
    ("editor", False, ["Editors", "Moderators"], "editor and moderator"),
    ("reviewer", False, ["Reviewers"], "reviewer: approves exhibitions"),
    ("admin", True, [], "administrator"),
]
REVIEWERS = "Reviewers"
REVIEW_WORKFLOW = "展览与专题审核"


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
            pages.update(self.ensure_curated(home, zh, en))
            for purpose, keys in content.MENUS.items():
                self.ensure_menu(purpose, [pages[key] for key in keys], zh, en)
            self.ensure_settings(home)
            self.ensure_review_workflow(pages)
        logins = self.ensure_users()
        self.ensure_pending_exhibition(pages["@exhibitions"])
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
                search_examples=fields["search_examples"],
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

    def ensure_translation(self, page, fields, locale, body=stream):
        if page.has_translation(locale):
            return page.get_translation(locale)
        translated = page.copy_for_translation(locale).specific
        for name, value in fields.items():
            setattr(translated, name, body(value) if name == "body" else value)
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

    # Exhibitions, collections and the chronicle ------------------------------

    def ensure_curated(self, home, zh, en):
        """The exhibition hall, the thematic collections and the chronicle."""
        themes = self.ensure_themes(zh, en)
        self.images = {
            key: self.ensure_image(key, *spec) for key, spec in curated.IMAGES.items()
        }
        self.documents = {
            key: self.ensure_document(key, kind, title)
            for key, (kind, title) in curated.DOCUMENTS.items()
        }
        models = {
            "exhibitions": ExhibitionIndexPage,
            "collections": ThematicCollectionIndexPage,
            "chronicle": ChronicleIndexPage,
        }
        indexes = {}
        for key, (zh_fields, en_fields) in curated.INDEXES.items():
            indexes[key] = self.ensure_child(
                home, models[key], zh_fields, en_fields, en
            )
        self.exhibitions = {}
        for spec in curated.EXHIBITIONS:
            self.exhibitions[spec[0]] = self.ensure_exhibition(
                indexes["exhibitions"], themes, en, *spec
            )
        self.collections = {}
        for spec in curated.COLLECTIONS:
            self.collections[spec[0]] = self.ensure_collection(
                indexes["collections"], themes, en, *spec
            )
        for spec in curated.CHRONICLE:
            self.ensure_event(indexes["chronicle"], en, *spec)
        self.ensure_features(home)
        return {f"@{key}": page for key, page in indexes.items()}

    def ensure_themes(self, zh, en):
        themes = {}
        for slug, name, name_en in curated.THEMES:
            theme = Theme.objects.filter(slug=slug, locale=zh).first()
            if theme is None:
                theme = Theme.objects.create(slug=slug, name=name, locale=zh)
                self.stdout.write(f"Created theme: {name}")
            if not Theme.objects.filter(
                translation_key=theme.translation_key, locale=en
            ).exists():
                translated = theme.copy_for_translation(en)
                translated.name = name_en
                translated.save()
            themes[slug] = theme
        return themes

    def ensure_image(self, key, painter, seed, title, alt_en, credit, focal_point):
        """A picture painted by portal.demo.media, found again by its title."""
        image = ArchiveImage.objects.filter(title=title).first()
        if image is not None:
            return image
        picture = getattr(media, painter)(seed=seed)
        image = ArchiveImage(
            title=title,
            description=title,
            credit=credit[0],
            credit_en=credit[1],
            credit_kind="illustration",
            rights_statement=curated.RIGHTS[0],
            rights_statement_en=curated.RIGHTS[1],
            file=ImageFile(io.BytesIO(media.jpeg(picture)), name=f"demo-{key}.jpg"),
        )
        if focal_point:
            (
                image.focal_point_x,
                image.focal_point_y,
                image.focal_point_width,
                image.focal_point_height,
            ) = focal_point
        image.save()
        return image

    def ensure_document(self, key, kind, title):
        Document = get_document_model()
        document = Document.objects.filter(title=title).first()
        if document is not None:
            return document
        if kind == "pdf":
            data = media.catalogue_pdf(title, [title, "滨江市档案馆", "2026"])
        elif kind == "wav":
            data = media.tone_wav()
        elif kind == "webm":
            data = media.harbour_film()
        else:
            data = media.captions_vtt()
        document = Document(
            title=title, file=ContentFile(data, name=f"demo-{key}.{kind}")
        )
        document.save()
        return document

    def curated_body(self, blocks):
        """Demo blocks as raw StreamField data, with "@kind:key" names resolved.

        A record that is not public is left out (and a block left empty with it).
        """
        data = []
        for kind, value in blocks:
            value = self.resolve(value)
            if kind == "record" and not value["record"]:
                continue
            if kind == "record_group":
                value["records"] = [pk for pk in value["records"] if pk]
                if not value["records"]:
                    continue
            data.append({"type": kind, "value": value})
        return data

    def resolve(self, value):
        if isinstance(value, dict):
            return {name: self.resolve(item) for name, item in value.items()}
        if isinstance(value, list):
            return [self.resolve(item) for item in value]
        if isinstance(value, str) and value.startswith("@"):
            kind, _, key = value[1:].partition(":")
            if kind == "image":
                return self.images[key].pk
            if kind == "document":
                return self.documents[key].pk
            if kind == "record":
                record = self.public_record(key)
                return record.pk if record else None
        return value

    def public_record(self, reference_code):
        return (
            Record.objects.public()
            .filter(repository__code="120101", reference_code=reference_code)
            .first()
            or Record.objects.public().filter(reference_code=reference_code).first()
        )

    def ensure_child(self, parent, model, zh_fields, en_fields, en, **extra):
        page = model.objects.child_of(parent).filter(slug=zh_fields["slug"]).first()
        if page is None:
            fields = {**zh_fields, **extra}
            if "body" in fields:
                fields["body"] = self.curated_body(fields["body"])
            page = model(locale=parent.locale, **fields)
            parent.add_child(instance=page)
            page.save_revision().publish()
            self.stdout.write(f"Created page: {page.title}")
        self.ensure_translation(page, en_fields, en, body=self.curated_body)
        return page

    def ensure_exhibition(
        self,
        index,
        themes,
        en,
        slug,
        hero,
        theme,
        start,
        end,
        zh_fields,
        en_fields,
        chapters,
    ):
        dates = {
            "start_date": datetime.date.fromisoformat(start),
            "end_date": datetime.date.fromisoformat(end) if end else None,
        }
        exhibition = self.ensure_child(
            index,
            ExhibitionPage,
            {**zh_fields, "slug": slug},
            {**en_fields, "slug": slug},
            en,
            hero_image=self.images[hero],
            theme=themes[theme],
            **dates,
        )
        for chapter_slug, chapter_zh, chapter_en in chapters():
            self.ensure_child(
                exhibition,
                ExhibitionChapterPage,
                {**chapter_zh, "slug": chapter_slug},
                {**chapter_en, "slug": chapter_slug},
                en,
            )
        return exhibition

    def ensure_collection(
        self,
        index,
        themes,
        en,
        slug,
        hero,
        theme,
        codes,
        query,
        filters,
        zh_fields,
        en_fields,
    ):
        page = ThematicCollectionPage.objects.child_of(index).filter(slug=slug).first()
        if page is None:
            chosen = [record for record in map(self.public_record, codes) if record]
            page = ThematicCollectionPage(
                locale=index.locale,
                slug=slug,
                title=zh_fields["title"],
                introduction=zh_fields["introduction"],
                body=self.curated_body(zh_fields["body"]),
                hero_image=self.images[hero],
                theme=themes[theme],
                saved_query=query,
                saved_filters=filters,
            )
            page.collection_records = [
                ThematicCollectionRecord(record=record, sort_order=position)
                for position, record in enumerate(chosen)
            ]
            index.add_child(instance=page)
            page.save_revision().publish()
            self.stdout.write(f"Created page: {page.title}")
        self.ensure_translation(page, en_fields, en, body=self.curated_body)
        return page

    def ensure_event(
        self,
        index,
        en,
        slug,
        start,
        end,
        precision,
        circa,
        title,
        text,
        title_en,
        text_en,
        codes,
        links,
    ):
        event = ChronicleEventPage.objects.child_of(index).filter(slug=slug).first()
        if event is None:
            event = ChronicleEventPage(
                locale=index.locale,
                slug=slug,
                title=title,
                description=text,
                start_date=datetime.date.fromisoformat(start),
                end_date=datetime.date.fromisoformat(end) if end else None,
                precision=precision,
                circa=circa,
            )
            chosen = [record for record in map(self.public_record, codes) if record]
            event.event_records = [
                ChronicleEventRecord(record=record, sort_order=position)
                for position, record in enumerate(chosen)
            ]
            targets = []
            for link in links:
                kind, _, key = link[1:].partition(":")
                found = (
                    self.exhibitions if kind == "exhibition" else self.collections
                ).get(key)
                if found is not None:
                    targets.append(found)
            event.event_links = [
                ChronicleEventLink(link_page=target, sort_order=position)
                for position, target in enumerate(targets)
            ]
            index.add_child(instance=event)
            event.save_revision().publish()
            self.stdout.write(f"Created chronicle event: {title}")
        self.ensure_translation(
            event, {"title": title_en, "description": text_en, "slug": slug}, en
        )
        return event

    def ensure_features(self, home):
        """Editors' choice on the home page: the harbour exhibition and the customs
        collection; the chronicle shows its newest entries by itself."""
        if home.features.exists():
            return
        chosen = [self.exhibitions.get("harbour"), self.collections.get("customs")]
        home.features = [
            HomePageFeature(feature=page, sort_order=position)
            for position, page in enumerate(filter(None, chosen))
        ]
        home.save_revision().publish()

    # Moderation --------------------------------------------------------------

    def ensure_review_workflow(self, pages):
        """Exhibitions, collections and the chronicle go through a reviewer.

        Editors submit; the Reviewers group approves (and publishes). Reviewers
        may do in the admin what Moderators may.
        """
        reviewers, created = Group.objects.get_or_create(name=REVIEWERS)
        if created:
            moderators = Group.objects.filter(name="Moderators").first()
            if moderators is not None:
                reviewers.permissions.set(moderators.permissions.all())
                for grant in GroupPagePermission.objects.filter(group=moderators):
                    GroupPagePermission.objects.get_or_create(
                        group=reviewers, page=grant.page, permission=grant.permission
                    )
                for grant in GroupCollectionPermission.objects.filter(group=moderators):
                    GroupCollectionPermission.objects.get_or_create(
                        group=reviewers,
                        collection=grant.collection,
                        permission=grant.permission,
                    )
        workflow = Workflow.objects.filter(name=REVIEW_WORKFLOW).first()
        if workflow is None:
            workflow = Workflow.objects.create(name=REVIEW_WORKFLOW, active=True)
            self.stdout.write(f"Created workflow: {REVIEW_WORKFLOW}")
        if not workflow.workflow_tasks.exists():
            task = GroupApprovalTask.objects.create(name="审核员审核")
            task.groups.set([reviewers])
            # Not workflow.workflow_tasks.create(): that parental relation only
            # writes when the workflow itself is saved.
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        for key in ("@exhibitions", "@collections", "@chronicle"):
            for page in pages[key].get_translations(inclusive=True):
                if not WorkflowPage.objects.filter(page=page).exists():
                    WorkflowPage.objects.create(page=page, workflow=workflow)

    def ensure_pending_exhibition(self, index):
        """A draft the editor has submitted: it waits in the reviewer's dashboard."""
        spec = curated.PENDING_EXHIBITION
        if ExhibitionPage.objects.child_of(index).filter(slug=spec["slug"]).exists():
            return
        User = get_user_model()
        editor = User.objects.get(username="editor")
        page = ExhibitionPage(
            locale=index.locale,
            slug=spec["slug"],
            title=spec["title"],
            introduction=spec["introduction"],
            curator=spec["curator"],
            start_date=datetime.date.fromisoformat(spec["start_date"]),
            end_date=datetime.date.fromisoformat(spec["end_date"]),
            live=False,
            owner=editor,
        )
        index.add_child(instance=page)
        page.save_revision(user=editor)
        page.get_workflow().start(page, editor)
        self.stdout.write(f"Created a draft in moderation: {page.title}")

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
        for username, superuser, groups, role in DEMO_USERS:
            user, _ = User.objects.get_or_create(username=username)
            user.is_superuser = user.is_staff = superuser
            user.is_active = True
            user.set_password(password)
            user.save()
            user.groups.add(*Group.objects.filter(name__in=groups))
            logins.append((username, password, role))
        return logins

    def report(self, port, logins):
        base = f"http://127.0.0.1:{port}"
        self.stdout.write(self.style.SUCCESS("\nThe demo portal is ready."))
        self.stdout.write(f"  Public site:   {base}/  ({base}/zh-hans/ · {base}/en/)")
        self.stdout.write(f"  Editor login:  {base}/admin/")
        for username, password, role in logins:
            self.stdout.write(f"    {username} / {password}   ({role})")
        self.stdout.write("")
