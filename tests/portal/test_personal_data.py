"""Nothing personal leaves through a public page, an export, the feed or the API."""

import json
import re

import pytest

from scoring.models import JuryMember
from tests.factories import (
    JurySheetFactory,
    OfficerFactory,
    OrganiserFactory,
    SheetScoreFactory,
    UserFactory,
)
from tests.portal.factories_showcase import published_edition
from tests.practices.factories_practices import PhotoFactory

pytestmark = pytest.mark.django_db

FORBIDDEN_KEYS = {"email", "username", "first_name", "last_name", "phone", "contact_name",
                  "contact_email", "contact_phone", "created_by", "submitted_by", "juror",
                  "jurors", "requested_by", "published_by", "eligibility_decided_by",
                  "eligibility_reason", "comment", "overall_comment", "recusal_reason", "user",
                  "officer", "password"}
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


@pytest.fixture
def secrets():
    """A published edition whose every personal field holds a recognisable value."""
    run, results = published_edition(slug="bg", areas=2, criteria=2, entries_per_area=2)
    officer = OfficerFactory(username="officer-secret", email="officer.secret@obshtina.bg",
                             first_name="Офелия", last_name="Служителева",
                             phone="+359 2 111 222")
    organiser = OrganiserFactory(username="organiser-secret", email="org.secret@ministry.bg",
                                 first_name="Орлин", last_name="Организаторов")
    juror = UserFactory(username="juror-secret", email="juror.secret@university.bg",
                        first_name="Юлия", last_name="Журиева")
    JuryMember.objects.create(edition=run.edition, user=juror, invited_by=organiser)
    run.requested_by = organiser
    run.published_by = organiser
    run.save()
    for result in results:
        entry, practice = result.entry, result.entry.practice
        practice.contact_name = "Контакт Лицев"
        practice.contact_email = "contact.secret@obshtina.bg"
        practice.contact_phone = "+359 888 999 000"
        practice.created_by = officer
        practice.save()
        PhotoFactory(practice=practice)
        entry.submitted_by = officer
        entry.eligibility_decided_by = organiser
        entry.eligibility_reason = "Причина-тайна"
        entry.save()
        sheet = JurySheetFactory(entry=entry, juror=juror, overall_comment="Коментар-таен")
        SheetScoreFactory(sheet=sheet, criterion=run.edition.criteria.first(),
                          comment="Оценка-тайна")
    values = ["officer-secret", "officer.secret@obshtina.bg", "Офелия", "Служителева",
              "+359 2 111 222", "organiser-secret", "org.secret@ministry.bg", "Орлин",
              "Организаторов", "juror-secret", "juror.secret@university.bg", "Юлия", "Журиева",
              "Контакт Лицев", "contact.secret@obshtina.bg", "+359 888 999 000",
              "Причина-тайна", "Коментар-таен", "Оценка-тайна"]
    return {"run": run, "results": results, "values": values}


def public_urls(client, results) -> list[str]:
    practices = sorted({r.entry.practice_id for r in results})
    photo_ids = [p["id"] for p in client.get("/api/v1/practices/").json()["results"]]
    urls = ["/", "/showcase/", "/showcase/?q=Practice", "/showcase/?award=winner",
            "/showcase/bg/", "/showcase/bg/results.csv", "/showcase/bg/results.json",
            "/showcase/feed/", "/api/v1/", "/api/v1/schema/?format=json"]
    urls += [f"/practices/{pk}/" for pk in practices]
    for endpoint in ("editions", "areas", "criteria", "practices", "results"):
        urls.append(f"/api/v1/{endpoint}/")
        for item in client.get(f"/api/v1/{endpoint}/").json()["results"]:
            urls.append(f"/api/v1/{endpoint}/{item.get('slug', item.get('id'))}/")
    assert photo_ids == practices
    return urls


def walk(value, path="$"):
    """Every (path, key, leaf) of a JSON document."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield path, key, None
            yield from walk(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from walk(item, f"{path}[{index}]")
    else:
        yield path, None, value


def test_no_personal_data_in_any_public_response(client, secrets):
    urls = public_urls(client, secrets["results"])
    assert len(urls) == 32
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8")
        for value in secrets["values"]:
            assert value not in text, (url, value)
        assert EMAIL.findall(text) == [], url


def test_no_personal_field_in_any_api_or_json_response(client, secrets):
    urls = [url for url in public_urls(client, secrets["results"])
            if url.startswith("/api/v1/") and "schema" not in url or url.endswith(".json")]
    assert len(urls) == 20
    for url in urls:
        document = json.loads(client.get(url).getvalue())
        leaves = 0
        for path, key, leaf in walk(document):
            if key is not None:
                assert key not in FORBIDDEN_KEYS, (url, path, key)
                continue
            leaves += 1
            if isinstance(leaf, str):
                for value in secrets["values"]:
                    assert value not in leaf, (url, path, value)
                assert not EMAIL.search(leaf), (url, path, leaf)
        assert leaves > 0, url


def test_schema_documents_no_personal_field(client):
    schema = json.loads(client.get("/api/v1/schema/?format=json").content)
    for _path, key, _leaf in walk(schema["components"]["schemas"]):
        assert key not in FORBIDDEN_KEYS - {"user"}, key
