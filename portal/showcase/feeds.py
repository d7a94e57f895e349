"""An Atom feed of newly published winners."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import selectors


class PlainTextAtomFeed(Atom1Feed):
    """Atom whose entry summaries are plain text (`type="text"`, escaped). Django's Atom
    feed marks them `type="html"`, and feed readers would then render whatever markup an
    officer typed into a summary (images, links, forms)."""

    def add_item_elements(self, handler, item):
        summary = item.get("description")
        super().add_item_elements(handler, {**item, "description": None})
        if summary is not None:
            handler.addQuickElement("summary", summary, {"type": "text"})


class WinnersFeed(Feed):
    feed_type = PlainTextAtomFeed
    title = gettext_lazy("Best Practices Programme: winners")
    subtitle = gettext_lazy("Practices awarded in the published results of each edition.")
    link = reverse_lazy("showcase:list")

    def items(self):
        return selectors.feed_winners()

    def item_title(self, item):
        return _("Place %(place)s in %(area)s: %(practice)s (%(municipality)s)") % {
            "place": item.published_place,
            "area": f"{item.area_record.code}. {item.area_record.display_title}",
            "practice": item.entry.practice.display_title,
            "municipality": item.entry.practice.municipality.display_name}

    def item_description(self, item):
        return item.entry.practice.localized("summary")

    def item_link(self, item):
        return reverse("showcase:practice", args=[item.entry.practice_id])

    def item_guid(self, item):
        """An absolute IRI that never changes (Atom's id): a tag URI (RFC 4151) minted by
        the site's host on the day the ranking run was created."""
        authority = urlsplit(settings.SITE_URL).hostname or "localhost"
        return f"tag:{authority},{item.run.created_at:%Y-%m-%d}:result-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.run.published_at or item.run.finished_at or item.run.created_at

    def item_updateddate(self, item):
        return self.item_pubdate(item)

    def item_categories(self, item):
        return [item.run.edition.display_title, item.area_record.display_title]
