"""Kinds of innovation and topics: the officer chooses them, the organiser manages the list
of topics and checks (and may correct) each practice's choice; every check is recorded."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from practices.enums import InnovationType
from practices.models import ClassificationCheck, Practice, Topic
from practices.services import practice_classification_check, practice_update, topic_save
from tests.factories import OrganiserFactory, PracticeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def topics():
    return {slug: Topic.objects.create(slug=slug, name=name, name_en=name_en, order=order)
            for order, (slug, name, name_en) in enumerate([
                ("social-care", "Социални грижи", "Social care"),
                ("digital", "Цифрови услуги", "Digital services"),
                ("environment", "Околна среда", "Environment")])}


def test_officer_chooses_kind_and_topics_on_the_practice_form(client, officer, topics):
    client.force_login(officer)
    form = client.get(reverse("practice_create")).content.decode()
    assert "Digital services" in form and "Service innovation" in form
    response = client.post(reverse("practice_create"), {
        "title": "Е-услуги", "innovation_type": InnovationType.SERVICE,
        "topics": [topics["digital"].pk, topics["social-care"].pk]})
    assert response.status_code == 302
    practice = Practice.objects.get(title="Е-услуги")
    assert practice.innovation_type == "service"
    assert set(practice.topics.values_list("slug", flat=True)) == {"digital", "social-care"}
    detail = client.get(reverse("practice_detail", args=[practice.pk])).content.decode()
    assert "Service innovation" in detail and "Social care, Digital services" in detail


def test_topics_are_named_in_the_visitors_language(client, officer, topics):
    client.force_login(officer)
    form = client.get(reverse("practice_create"), HTTP_ACCEPT_LANGUAGE="bg").content.decode()
    assert "Цифрови услуги" in form and "Иновация в услугите" in form


def test_a_topic_no_longer_offered_cannot_be_chosen_but_stays_where_it_was(officer, topics):
    practice = PracticeFactory(municipality=officer.municipality)
    practice.topics.add(topics["environment"])
    topic_save(topic=topics["environment"], by=OrganiserFactory(), data={"is_active": False})
    # kept: the practice had it already
    practice_update(practice=practice, by=officer,
                    data={"topics": [topics["environment"], topics["digital"]]})
    assert set(practice.topics.values_list("slug", flat=True)) == {"environment", "digital"}
    other = PracticeFactory(municipality=officer.municipality)
    with pytest.raises(ValidationError):
        practice_update(practice=other, by=officer, data={"topics": [topics["environment"]]})
    assert not other.topics.exists()


def test_organiser_corrects_kind_and_topics_and_the_check_is_recorded(client, topics):
    organiser = OrganiserFactory()
    practice = PracticeFactory(innovation_type=InnovationType.PROCESS)
    practice.topics.add(topics["digital"])
    client.force_login(organiser)
    url = reverse("organiser_practice_classification", args=[practice.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"innovation_type": "communication",
                                 "topics": [topics["social-care"].pk], "note": "Не е процес."})
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.innovation_type == "communication"
    assert list(practice.topics.values_list("slug", flat=True)) == ["social-care"]
    check = ClassificationCheck.objects.get(practice=practice)
    assert (check.by, check.innovation_type_before, check.innovation_type) == (
        organiser, "process", "communication")
    assert (check.topics_before, check.topics, check.note) == (
        ["digital"], ["social-care"], "Не е процес.")
    assert check.corrected
    page = client.get(url).content.decode()
    assert "corrected" in page and "Не е процес." in page
    assert practice.history.first().history_user == organiser


def test_a_check_that_changes_nothing_is_a_confirmation(topics):
    practice = PracticeFactory(innovation_type=InnovationType.SERVICE)
    practice.topics.add(topics["digital"])
    check = practice_classification_check(practice=practice, by=OrganiserFactory(),
                                          innovation_type="service", topics=[topics["digital"]])
    assert not check.corrected


def test_an_unknown_kind_is_refused(topics):
    practice = PracticeFactory()
    with pytest.raises(ValidationError):
        practice_classification_check(practice=practice, by=OrganiserFactory(),
                                      innovation_type="magic", topics=[])
    assert not ClassificationCheck.objects.exists()


def test_organiser_adds_and_changes_topics_through_the_page(client):
    client.force_login(OrganiserFactory())
    response = client.post(reverse("organiser_topics"), {
        "name": "Участие", "name_en": "Participation", "slug": "participation", "order": 3,
        "is_active": "on"})
    assert response.status_code == 302
    topic = Topic.objects.get(slug="participation")
    page = client.get(reverse("organiser_topics")).content.decode()
    assert "Participation" in page and 'data-topic="participation"' in page
    response = client.post(reverse("organiser_topic_edit", args=[topic.pk]), {
        "name": "Гражданско участие", "name_en": "Participation", "slug": "participation",
        "order": 3})
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.name == "Гражданско участие" and not topic.is_active
    assert topic.history.count() == 2


def test_a_topic_slug_is_unique(client):
    Topic.objects.create(slug="digital", name="Цифрови услуги")
    client.force_login(OrganiserFactory())
    response = client.post(reverse("organiser_topics"), {"name": "Друго", "slug": "digital",
                                                         "order": 0})
    assert response.status_code == 400
    assert Topic.objects.count() == 1


def test_officers_cannot_manage_topics_or_check_practices(client, officer):
    practice = PracticeFactory(municipality=officer.municipality)
    client.force_login(officer)
    assert client.get(reverse("organiser_topics")).status_code == 403
    url = reverse("organiser_practice_classification", args=[practice.pk])
    assert client.post(url, {"innovation_type": "service"}).status_code == 403
    assert not ClassificationCheck.objects.exists()
