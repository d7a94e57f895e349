import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import OfficerFactory, PracticeFactory
from uptake.models import Adoption, Question, QuestionReply
from uptake.services import adoption_record, question_answer, question_send

pytestmark = pytest.mark.django_db

LAST_YEAR = dt.date(2025, 3, 1)


def test_adoption_record_tells_the_practices_officers_and_shows_everywhere(
        client, practice, owner, adopter, mailoutbox, django_capture_on_commit_callbacks,
        settings):
    settings.SHOWCASE_CACHE_SECONDS = 3600  # the cached page is made stale by the adoption
    page = reverse("showcase:practice", args=[practice.pk])
    assert "Dobrich" not in client.get(page).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        adoption_record(practice=practice, by=adopter, adopted_on=LAST_YEAR, note="Same app.")
    assert [mail.to for mail in mailoutbox] == [[owner.email]]
    assert "Добрич" in mailoutbox[0].subject  # the owner reads Bulgarian
    assert "Dobrich" in client.get(page).content.decode()
    api = client.get(reverse("api:practice-detail", args=[practice.pk])).json()
    assert api["adopted_by"] == [{"municipality": adopter.municipality_id, "name": "Добрич",
                                  "name_en": "Dobrich", "kind": "adopted",
                                  "adopted_on": "2025-03-01"}]
    export = client.get(reverse("showcase:results_json", args=["past"]))
    rows = json.loads(export.getvalue())["results"]
    assert {row["practice_id"]: row["adopted_by"] for row in rows}[practice.pk] == ["Добрич"]
    csv_text = client.get(reverse("showcase:results_csv", args=["past"])).getvalue().decode()
    assert csv_text.splitlines()[0].endswith(",adopted_by")
    assert "Добрич" in csv_text


def test_adoption_is_recorded_once_per_municipality(practice, adopter):
    adoption_record(practice=practice, by=adopter, adopted_on=LAST_YEAR)
    with pytest.raises(ValidationError):
        adoption_record(practice=practice, by=adopter, adopted_on=LAST_YEAR)


def test_adoption_refused_for_own_unpublished_or_future(practice, owner, adopter):
    with pytest.raises(ValidationError):
        adoption_record(practice=practice, by=owner, adopted_on=LAST_YEAR)
    with pytest.raises(ValidationError):
        adoption_record(practice=PracticeFactory(), by=adopter, adopted_on=LAST_YEAR)
    with pytest.raises(ValidationError):
        adoption_record(practice=practice, by=adopter,
                        adopted_on=timezone.localdate() + dt.timedelta(days=2))
    assert Adoption.objects.count() == 0


def test_adopt_page_by_role(client, practice, owner, adopter):
    url = reverse("practice_adopt", args=[practice.pk])
    anonymous = client.get(url)  # sent to sign in, and back here afterwards
    assert anonymous.status_code == 302
    assert anonymous["Location"] == f"{reverse('login')}?next={url}"
    client.force_login(owner)  # sent back to the practice, with a word: not a 403
    assert client.get(url).status_code == 302
    client.force_login(adopter)
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": "adapted", "adopted_on": "2025-03-01", "note": ""})
    assert response.status_code == 302
    assert Adoption.objects.get().kind == "adapted"
    unpublished = PracticeFactory()
    assert client.get(reverse("practice_adopt", args=[unpublished.pk])).status_code == 404


def test_question_reaches_each_officer_alone_without_addresses(
        practice, owner, adopter, mailoutbox, django_capture_on_commit_callbacks):
    colleague = OfficerFactory(municipality=practice.municipality)
    with django_capture_on_commit_callbacks(execute=True):
        question = question_send(practice=practice, by=adopter, text="How much did it cost?")
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted([owner.email, colleague.email])
    for mail in mailoutbox:
        assert len(mail.to) == 1 and not mail.cc and not mail.bcc
        assert adopter.email not in mail.body + mail.subject
        assert "How much did it cost?" in mail.body
        assert reverse("question_page", args=[question.pk]) in mail.body
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        question_answer(question=question, by=owner, text="About 5000 leva.")
    assert [mail.to for mail in mailoutbox] == [[adopter.email]]
    assert owner.email not in mailoutbox[0].body
    assert "About 5000 leva." in mailoutbox[0].body
    assert QuestionReply.objects.get().by == owner


def test_question_page_by_role(client, practice, owner, adopter):
    question = question_send(practice=practice, by=adopter, text="Q?")
    url = reverse("question_page", args=[question.pk])
    client.force_login(OfficerFactory())
    assert client.get(url).status_code == 404
    client.force_login(adopter)
    page = client.get(url)
    assert page.status_code == 200 and page.context["form"] is None  # the asker reads
    client.force_login(owner)
    assert client.post(url, {"text": "A."}).status_code == 302
    assert question.replies.get().text == "A."


def test_questions_are_throttled_per_officer(client, practice, adopter, settings):
    settings.THROTTLE_QUESTIONS_PER_OFFICER = "2/h"
    client.force_login(adopter)
    url = reverse("practice_ask", args=[practice.pk])
    assert [client.post(url, {"text": f"Q{n}"}).status_code for n in range(3)] == [302, 302, 429]
    assert Question.objects.count() == 2


@pytest.mark.parametrize("name", ["practice_adopt", "practice_ask"])
def test_owner_following_the_public_links_is_sent_back_with_a_word(client, practice, owner,
                                                                    name):
    page = reverse("showcase:practice", args=[practice.pk])
    url = reverse(name, args=[practice.pk])
    assert url in client.get(page).content.decode()  # the same links for everyone
    client.force_login(owner)
    client.cookies["django_language"] = "bg"
    for method in (client.get, client.post):
        response = method(url, follow=True)
        assert response.redirect_chain == [(page, 302)]
        assert response.status_code == 200
        assert "Това е практика на вашата община" in response.content.decode()
    assert Adoption.objects.count() == 0 and Question.objects.count() == 0


@pytest.mark.parametrize("name", ["practice_adopt", "practice_ask"])
def test_other_officer_and_organiser_on_the_public_links(client, practice, adopter, organiser,
                                                         name):
    url = reverse(name, args=[practice.pk])
    client.force_login(adopter)
    assert client.get(url).status_code == 200
    client.force_login(organiser)
    assert client.get(url).status_code == 403  # not an officer: nothing to record


def test_practice_page_stays_shared_for_anonymous_visitors(client, practice):
    response = client.get(reverse("showcase:practice", args=[practice.pk]))
    assert response.status_code == 200
    assert response.cookies == {}  # no session, no CSRF cookie
    assert "public" in response["Cache-Control"]
