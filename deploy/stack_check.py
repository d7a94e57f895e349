"""The production stack, proven: brings up what docker-compose.yml describes, without Docker
(deploy/stack.py: a fresh PostgreSQL database, Redis, gunicorn on two ports behind Debian's
nginx with deploy/nginx/portal.conf.template, a Celery worker, Celery beat), runs one whole
competition cycle through HTTP, prints each step, and stops everything it started.

    python deploy/stack_check.py [--database-url postgres://postgres@127.0.0.1:5432/portal_stack]
                                 [--redis-url redis://127.0.0.1:6379/3]
                                 [--ports 8117,8118,8119]

The cycle: an officer writes a practice, enters it and submits it before the deadline; the
organiser closes submissions and opens the review, finds the entry eligible and assigns a
juror; the juror scores (an autosave, then the submitted sheet); the organiser closes the
review, ranks through the real Celery worker and publishes; an anonymous visitor sees the
result through nginx and on both web instances; the organiser unpublishes, and both web
instances answer 404 at once (nginx within PUBLIC_PROXY_SECONDS, its cache's life).
The database it names is dropped and created afresh. Exit status 0 when every step held.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from deploy.stack import Stack, django_setup  # noqa: E402
from deploy.web import Visitor  # noqa: E402

PASSWORD = "stack-check-pass-2016"  # noqa: S105 - a throwaway database's accounts
SLUG = "stack-check"
TITLE = "Stack check: one-stop municipal services"
SUBMIT_SECONDS = 20  # the deadline, from the seeding
REVIEW_SECONDS = 15  # the review, from the deadline


class StepFailed(Exception):
    pass


ALERT = re.compile(r'class="(?:alert|invalid-feedback|errorlist)[^"]*"[^>]*>(.*?)</', re.S)


def check(condition: bool, message: str, answer=None) -> None:
    """Stop the cycle with `message`, and what the page said (its alerts and errors)."""
    if not condition:
        said = [" ".join(text.split()) for text in ALERT.findall(answer.text)] if answer else []
        raise StepFailed(message + (f" ({'; '.join(filter(None, said))})" if said else ""))


ORGANISER_TOTP_KEY = b"stack-check-organiser".hex()


def step(number: int, text: str) -> float:
    print(f"[{number:2}] {text}", flush=True)
    return time.perf_counter()


def seed() -> dict:
    """The people and an open edition: the organiser, an officer of a municipality, a juror;
    the deadline in SUBMIT_SECONDS, the review REVIEW_SECONDS long."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.enums import OfficerStatus
    from accounts.models import User
    from competitions.enums import Phase
    from competitions.models import Criterion, Edition, Municipality, ThematicArea
    from scoring.models import JuryMember

    now = timezone.now()
    close = now + dt.timedelta(seconds=SUBMIT_SECONDS)
    edition = Edition.objects.create(
        title="Проверка на стека", title_en="Stack check", slug=SLUG, year_label="2026/2027",
        phase=Phase.OPEN, submissions_open_at=now - dt.timedelta(days=30),
        submissions_close_at=close, review_open_at=close,
        review_close_at=close + dt.timedelta(seconds=REVIEW_SECONDS), min_sheets_per_entry=1)
    area = ThematicArea.objects.create(edition=edition, code="I", order=1, title="Услуги",
                                       title_en="Services", awards=1)
    criteria = [Criterion.objects.create(edition=edition, order=i, title=f"Критерий {i}",
                                         title_en=f"Criterion {i}") for i in (1, 2)]
    municipality = Municipality.objects.create(code="STACK1", name="Тунджа", name_en="Tundzha",
                                               region="Ямбол", region_en="Yambol")
    hashed = make_password(PASSWORD)
    organiser = User.objects.create(username="organiser", is_staff=True, password=hashed,
                                    email="organiser@example.org")
    # Organisers pass a second factor: an authenticator whose secret the check knows.
    TOTPDevice.objects.create(user=organiser, name="stack check", key=ORGANISER_TOTP_KEY,
                              confirmed=True)
    User.objects.create(username="officer", password=hashed, email="officer@example.org",
                        municipality=municipality, officer_status=OfficerStatus.APPROVED)
    juror = User.objects.create(username="juror", password=hashed, email="juror@example.org")
    JuryMember.objects.create(edition=edition, user=juror, accepted_at=now)
    facts = {"edition": edition.pk, "area": area.pk, "criteria": [c.pk for c in criteria],
             "juror": juror.pk, "implemented_on": edition.eligibility_window[1].isoformat(),
             "close": close, "review_close": edition.review_close_at}
    connection.close()
    return facts


def wait_until(moment: dt.datetime) -> None:
    from django.utils import timezone

    left = (moment - timezone.now()).total_seconds()
    if left > 0:
        print(f"     waiting {left:.1f} s for {moment:%H:%M:%S} UTC", flush=True)
        time.sleep(left + 0.2)


def cycle(stack: Stack) -> None:
    started = step(1, "seed: organiser, officer, juror, an edition open for "
                      f"{SUBMIT_SECONDS} s more")
    facts = seed()
    entry = _officer_submits(stack, facts)
    organiser = _organiser_admits(stack, facts, entry)
    _juror_scores(stack, facts, entry)
    run = _organiser_publishes(organiser, facts)
    page = f"/showcase/{SLUG}/"
    anonymous = _visitors_read(stack, page)
    _organiser_unpublishes(stack, organiser, run, anonymous, page)
    print(f"cycle done in {time.perf_counter() - started:.1f} s")


def _officer_submits(stack: Stack, facts: dict):
    from practices.enums import EntryStatus
    from practices.models import Entry

    step(2, "officer signs in through nginx, writes a practice, enters it, submits it")
    officer = Visitor(stack.nginx)
    officer.sign_in("officer", PASSWORD)
    answer = officer.post("/officer/practices/new/", {
        "title": "Обслужване на едно гише", "title_en": TITLE, "summary": "Кратко.",
        "problem": "Опашки.", "actions": "Едно гише.", "results": "Половината време.",
        "implemented_on": facts["implemented_on"], "budget_currency": "BGN",
        "contact_name": "Мария", "contact_email": "m@example.org"})
    check(answer.status_code == 302, f"practice not created: {answer.status_code}", answer)
    practice_path = answer.headers["Location"]
    answer = officer.post(practice_path + "enter/", {"area": facts["area"]})
    check(answer.status_code == 302, f"entry not created: {answer.status_code}", answer)
    entry = Entry.objects.get(practice__title_en=TITLE)
    answer = officer.post(f"/officer/entries/{entry.pk}/submit/")
    check(answer.status_code == 302, f"submission refused: {answer.status_code}", answer)
    entry.refresh_from_db()
    check(entry.status == EntryStatus.SUBMITTED, f"entry is {entry.status}")
    print(f"     entry #{entry.pk} submitted at {entry.submitted_at:%H:%M:%S.%f} UTC")
    return entry


def _organiser_admits(stack: Stack, facts: dict, entry) -> Visitor:
    step(3, "organiser signs in, finds the entry eligible; after the deadline closes "
            "submissions and opens the review, assigns the juror")
    organiser = Visitor(stack.nginx)
    organiser.sign_in("organiser", PASSWORD, totp_key=ORGANISER_TOTP_KEY)
    answer = organiser.post(f"/organiser/entries/entry/{entry.pk}/", {"decision": "eligible"})
    check(answer.status_code == 302, f"eligibility refused: {answer.status_code}", answer)
    wait_until(facts["close"])
    move = f"/organiser/editions/{SLUG}/move/"
    answer = organiser.post(move, {"target": "review", "confirm": "1"})
    check(answer.status_code == 302, f"move to review refused: {answer.status_code}", answer)
    answer = organiser.post(f"/organiser/jury/{SLUG}/assignments/add/",
                            {"entry": entry.pk, "juror": facts["juror"]})
    check(answer.status_code == 302, f"assignment refused: {answer.status_code}", answer)
    return organiser


def _juror_scores(stack: Stack, facts: dict, entry) -> None:
    step(4, "juror signs in, a score autosaves, the sheet is submitted")
    juror = Visitor(stack.nginx)
    juror.sign_in("juror", PASSWORD)
    first, second = facts["criteria"]
    answer = juror.post(f"/jury/entries/{entry.pk}/sheet/autosave/", {f"score-{first}": "8"},
                        headers={"HX-Request": "true"})
    check(answer.status_code == 200, f"autosave refused: {answer.status_code}", answer)
    answer = juror.post(f"/jury/entries/{entry.pk}/sheet/", {
        f"score-{first}": "8", f"score-{second}": "9", "action": "submit"})
    check(answer.status_code == 302, f"sheet refused: {answer.status_code}", answer)


def _organiser_publishes(organiser: Visitor, facts: dict):
    from django.db import connection

    from scoring.enums import RunStatus
    from scoring.models import RankingRun

    step(5, "organiser closes the review, ranks through the Celery worker, publishes")
    wait_until(facts["review_close"])
    answer = organiser.post(f"/organiser/editions/{SLUG}/move/",
                            {"target": "ranked", "confirm": "1"})
    check(answer.status_code == 302, f"move to ranked refused: {answer.status_code}", answer)
    answer = organiser.post(f"/organiser/results/{SLUG}/runs/", {"method": "weighted_mean"})
    check(answer.status_code == 302, f"ranking run refused: {answer.status_code}", answer)
    run = RankingRun.objects.filter(edition_id=facts["edition"]).latest("pk")
    queued = time.perf_counter()
    while run.status not in (RunStatus.SUCCEEDED, RunStatus.FAILED):
        check(time.perf_counter() - queued < 60, f"run #{run.pk} still {run.status}")
        time.sleep(0.2)
        run.refresh_from_db()
    check(run.status == RunStatus.SUCCEEDED, f"run #{run.pk} {run.status}")
    print(f"     run #{run.pk} {run.status} by the worker in "
          f"{time.perf_counter() - queued:.1f} s")
    answer = organiser.post(f"/organiser/results/{SLUG}/runs/{run.pk}/publish/",
                            {"confirm": "on"})
    check(answer.status_code == 302, f"publish refused: {answer.status_code}", answer)
    run.refresh_from_db()
    check(run.is_published, "run not published")
    connection.close()
    return run


def _visitors_read(stack: Stack, page: str) -> Visitor:
    step(6, f"anonymous visitor: {page} through nginx and on both web instances")
    anonymous = Visitor(stack.nginx)
    for _ in range(2):
        answer = anonymous.get(page)
        check(answer.status_code == 200 and TITLE in answer.text,
              f"nginx: {answer.status_code}")
        check(not answer.headers.get("Set-Cookie"), "an anonymous page set a cookie")
        print(f"     nginx {answer.status_code}, X-Cache-Status "
              f"{answer.headers.get('X-Cache-Status')}, Cache-Control "
              f"{answer.headers.get('Cache-Control')}, ETag {answer.headers.get('ETag')}")
    check(answer.headers.get("X-Cache-Status") == "HIT", "the second visit missed the cache")
    # Another anonymous visitor, whose browser carries a cookie the portal never reads (a
    # consent banner's, say), is served the same stored page.
    other = Visitor(stack.nginx).get(page, headers={"Cookie": "consent=analytics"})
    check(other.headers.get("X-Cache-Status") == "HIT",
          f"a visitor with another cookie: X-Cache-Status {other.headers.get('X-Cache-Status')}")
    print("     a visitor with a cookie the portal does not read: X-Cache-Status HIT")
    for web in stack.webs:
        answer = Visitor(web).get(page)
        check(answer.status_code == 200 and TITLE in answer.text, f"{web}: {answer.status_code}")
        # its own ETag: the host (with the port) is part of it, as it is of the absolute URLs
        again = Visitor(web).get(page, headers={"If-None-Match": answer.headers["ETag"]})
        check(again.status_code == 304, f"{web} revalidation: {again.status_code}")
        print(f"     {web} 200 with the result, 304 to If-None-Match")
    return anonymous


def _organiser_unpublishes(stack: Stack, organiser: Visitor, run, anonymous: Visitor,
                           page: str) -> None:
    step(7, "organiser unpublishes: both web instances at once, then nginx")
    answer = organiser.post(f"/organiser/results/{SLUG}/runs/{run.pk}/unpublish/",
                            {"reason": "Stack check: withdrawn."})
    check(answer.status_code == 302, f"unpublish refused: {answer.status_code}", answer)
    unpublished = time.perf_counter()
    codes = [Visitor(web).get(page).status_code for web in stack.webs]
    check(codes == [404, 404], f"web instances after unpublishing: {codes}")
    print(f"     {', '.join(stack.webs)}: {codes} at once")
    while (code := anonymous.get(page).status_code) != 404:
        check(time.perf_counter() - unpublished < stack_proxy_seconds(stack) + 3,
              f"nginx still answers {code}")
        time.sleep(0.2)
    print(f"     nginx 404 after {time.perf_counter() - unpublished:.1f} s "
          f"(PUBLIC_PROXY_SECONDS={stack_proxy_seconds(stack)})")


def stack_proxy_seconds(stack: Stack) -> int:
    return int(stack.env.get("PUBLIC_PROXY_SECONDS", "5"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url",
                        default="postgres://postgres@127.0.0.1:5432/portal_stack")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/3")
    parser.add_argument("--ports", default="8117,8118,8119",
                        help="the two gunicorn instances and nginx")
    args = parser.parse_args()
    web_1, web_2, proxy = (int(port) for port in args.ports.split(","))
    # a TERM (CI's timeout) stops the stack like an interrupt does
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    began = time.perf_counter()
    stack = Stack(database_url=args.database_url, redis_url=args.redis_url,
                  web_ports=(web_1, web_2), nginx_port=proxy,
                  env={"PUBLIC_PROXY_SECONDS": "2"})
    try:
        with stack:
            django_setup(stack)
            cycle(stack)
    except StepFailed as failure:
        print(f"FAIL: {failure}", flush=True)
        return 1
    print(f"stack check passed in {time.perf_counter() - began:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
