"""Issue 16 (library): another municipality's officer records an adoption of a published
practice; its own officer files a follow-up report that an organiser approves; the public
then sees both on the practice page."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import PASSWORD, MunicipalityFactory, OfficerFactory, OrganiserFactory
from tests.portal.factories_showcase import published_edition
from uptake.tasks import ask_for_follow_ups

from .conftest import sign_in


@pytest.fixture(autouse=True)
def _fresh_cache(settings, tmp_path):
    from django.core.cache import cache

    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


def _as(browser, live_server, username: str | None):
    context = browser.new_context(locale="en-GB", timezone_id="Europe/Sofia")
    page = context.new_page()
    if username:
        sign_in(page, live_server, username, PASSWORD)
    return page


@pytest.mark.django_db(transaction=True)
def test_adoption_and_follow_up_reach_the_public_page(browser, live_server):
    run, results = published_edition(slug="past", areas=1, entries_per_area=1)
    run.published_at = timezone.now() - dt.timedelta(days=380)
    run.save(update_fields=["published_at"])
    practice = results[0].entry.practice
    practice.title_en = "Mobile library for villages"
    practice.save()
    OfficerFactory(username="owner", municipality=practice.municipality)
    OfficerFactory(username="adopter", municipality=MunicipalityFactory(
        name="Добрич", name_en="Dobrich"))
    OrganiserFactory(username="checker")
    url = f"{live_server.url}/practices/{practice.pk}/"

    # another municipality's officer records the adoption from the practice page
    adopter = _as(browser, live_server, "adopter")
    adopter.goto(url)
    adopter.get_by_role("link", name="your municipality adopted it").click()
    adopter.get_by_label("Adapted").check()
    adopter.get_by_label("Since").fill("2026-03-01")
    adopter.get_by_label("Note").fill("Run with the regional library.")
    adopter.get_by_role("button", name="Record the adoption").click()
    expect(adopter).to_have_url(re.compile(rf"/practices/{practice.pk}/$"))
    expect(adopter.locator("[data-adoptions]")).to_contain_text("Dobrich")

    # the beat task asks the practice's municipality; its officer files the report
    assert ask_for_follow_ups() == 1
    owner = _as(browser, live_server, "owner")
    owner.goto(f"{live_server.url}/officer/follow-ups/")
    owner.get_by_role("link", name="Write the report").click()
    owner.get_by_label("Extended").check()
    owner.get_by_label("Figures").fill("12 villages, 3,400 loans a year")
    owner.get_by_label("What became of it").fill("Now visits twelve villages every week.")
    owner.get_by_role("button", name="Send the report for checking").click()
    expect(owner.get_by_role("cell", name="Sent for checking")).to_be_visible()

    # not public before an organiser approves it
    visitor = _as(browser, live_server, None)
    visitor.goto(url)
    expect(visitor.get_by_text("Now visits twelve villages every week.")).to_have_count(0)

    checker = _as(browser, live_server, "checker")
    checker.goto(f"{live_server.url}/organiser/follow-ups/")
    checker.get_by_role("link", name="Mobile library for villages").click()
    checker.get_by_label("Approve: show it on the public page").check()
    checker.get_by_role("button", name="Record the decision").click()
    expect(checker.get_by_text("No report is waiting to be checked.")).to_be_visible()

    visitor.goto(url)
    timeline = visitor.locator("[data-follow-ups]")
    expect(timeline.get_by_role("heading", name="What became of it")).to_be_visible()
    expect(timeline).to_contain_text("Now visits twelve villages every week.")
    expect(timeline).to_contain_text("Extended")
    expect(visitor.locator("[data-adoptions]")).to_contain_text("Dobrich")
