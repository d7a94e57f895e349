"""Write paths under load, on the production stack (deploy/stack.py: PostgreSQL + Redis, two
gunicorn instances x 2 sync workers behind nginx, a Celery worker and beat):

- sign-in cost: the password hasher's time per sign-in, in this process and over HTTP;
- the deadline rush: 265 officers (one per municipality) submit their entry within a 30 s
  window whose end is the deadline; once signed in beforehand, once signing in inside the
  window (the sign-in page, the form, then the submission);
- the jury autosave: 100 jurors, each saving one field of their sheet every 2 s.

Each prints req/s and p50/p95/p99 per kind of request, then checks the database: every
acknowledged write is there (0 lost), no error answered (0 errors), and every submission sent
before the deadline accepted (the deadline counts from when the request reached nginx,
X-Request-Start; see portal.client.request_arrival).

    python bench/write_paths.py [--database-url postgres://postgres@127.0.0.1:5432/portal_bench]
                                [--redis-url redis://127.0.0.1:6379/3]
                                [--officers 265] [--window 30] [--jurors 100]
                                [--every 2] [--autosave-seconds 30]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import secrets
import signal
import statistics
import sys
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deploy.stack import Stack, django_setup  # noqa: E402
from deploy.web import Visitor  # noqa: E402

PASSWORD = "bench-pass-2016"  # noqa: S105 - a throwaway database's accounts


class Log:
    """What was sent, when, and what came back."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.first = self.last = None

    def record(self, kind: str, sent: float, done: float, error: str | None = None) -> None:
        with self.lock:
            self.latency[kind].append(done - sent)
            self.first = sent if self.first is None else min(self.first, sent)
            self.last = done if self.last is None else max(self.last, done)
            if error:
                self.errors.append(f"{kind}: {error}")

    def print(self, title: str) -> None:
        total = sum(len(values) for values in self.latency.values())
        elapsed = (self.last - self.first) if total else 0
        print(f"{title}: {total} requests in {elapsed:.1f} s, {total / elapsed:.1f} req/s")
        print(f"  {'request':<12} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
              f"{'max ms':>8}")
        for kind, values in self.latency.items():
            cuts = statistics.quantiles(values, n=100, method="inclusive") \
                if len(values) > 1 else values * 99
            print(f"  {kind:<12} {len(values):>6} {cuts[49] * 1000:>8.0f} "
                  f"{cuts[94] * 1000:>8.0f} {cuts[98] * 1000:>8.0f} {max(values) * 1000:>8.0f}")


def signed_in(base: str, user) -> Visitor:
    """A visitor signed in beforehand: a session made as the sign-in makes it (saves the
    benchmark a password hash per person; the hash is measured on its own)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_string

    from accounts.backends import SIGN_IN_BACKEND

    session = import_string(settings.SESSION_ENGINE + ".SessionStore")()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = SIGN_IN_BACKEND
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    visitor = Visitor(base)
    visitor.http.cookies.set(settings.SESSION_COOKIE_NAME, session.session_key)
    visitor.http.cookies.set(settings.CSRF_COOKIE_NAME, secrets.token_hex(16))
    return visitor


def sign_in_cost(base: str, repeat: int = 5) -> None:
    from django.contrib.auth.hashers import check_password, get_hasher, make_password

    hasher = get_hasher()
    encoded = make_password(PASSWORD)
    times = []
    for _ in range(repeat):
        started = time.process_time()
        assert check_password(PASSWORD, encoded)
        times.append(time.process_time() - started)
    http = []
    for _ in range(3):
        visitor = Visitor(base)
        started = time.perf_counter()
        visitor.sign_in("officer-0", PASSWORD)
        http.append(time.perf_counter() - started)
    print(f"sign-in cost: {hasher.algorithm}, {getattr(hasher, 'iterations', '?')} iterations: "
          f"{statistics.median(times) * 1000:.0f} ms of CPU per password check (median of "
          f"{repeat}); a whole sign-in over HTTP through nginx (page + form) before the rush: "
          f"{statistics.median(http) * 1000:.0f} ms (median of 3)")


def seed(officers: int, jurors: int) -> dict:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from accounts.enums import OfficerStatus
    from accounts.models import User
    from competitions.enums import Phase
    from competitions.models import Criterion, Edition, Municipality, ThematicArea
    from practices.enums import EntryStatus
    from practices.models import Entry, Practice
    from scoring.models import Assignment, JuryMember

    now = timezone.now()
    hashed = make_password(PASSWORD)
    with transaction.atomic():
        call = Edition.objects.create(
            title="Натоварване", title_en="Deadline rush", slug="rush", year_label="2026",
            phase=Phase.OPEN, submissions_open_at=now - dt.timedelta(days=30),
            submissions_close_at=now + dt.timedelta(days=1),
            review_open_at=now + dt.timedelta(days=2), review_close_at=now + dt.timedelta(days=9))
        area = ThematicArea.objects.create(edition=call, code="I", order=1, title="Услуги",
                                           title_en="Services", awards=3)
        for i in range(4):
            Criterion.objects.create(edition=call, order=i + 1, title=f"Критерий {i}",
                                     title_en=f"Criterion {i}")
        Municipality.objects.bulk_create(
            Municipality(code=f"RUSH{i:03d}", name=f"Община {i}", name_en=f"Town {i}",
                         region="Ямбол", region_en="Yambol") for i in range(officers))
        towns = list(Municipality.objects.filter(code__startswith="RUSH").order_by("code"))
        User.objects.bulk_create(
            User(username=f"officer-{i}", email=f"officer-{i}@example.org", password=hashed,
                 municipality=town, officer_status=OfficerStatus.APPROVED)
            for i, town in enumerate(towns))
        implemented = call.eligibility_window[1] - dt.timedelta(days=30)
        Practice.objects.bulk_create(
            Practice(municipality=town, title=f"Практика {i}", title_en=f"Practice {i}",
                     summary="Кратко.", problem="Проблем.", actions="Действия.",
                     results="Резултати.", implemented_on=implemented, contact_name="Мария",
                     contact_email="m@example.org") for i, town in enumerate(towns))
        Entry.objects.bulk_create(
            Entry(practice=practice, area=area, edition=call, status=EntryStatus.DRAFT)
            for practice in Practice.objects.filter(municipality__in=towns))

        review = Edition.objects.create(
            title="Оценяване", title_en="Jury autosave", slug="autosave", year_label="2026",
            phase=Phase.REVIEW, submissions_open_at=now - dt.timedelta(days=60),
            submissions_close_at=now - dt.timedelta(days=30),
            review_open_at=now - dt.timedelta(days=29), review_close_at=now + dt.timedelta(days=9))
        review_area = ThematicArea.objects.create(edition=review, code="I", order=1,
                                                  title="Услуги", title_en="Services", awards=3)
        criteria = [Criterion.objects.create(edition=review, order=i + 1, title=f"Критерий {i}",
                                             title_en=f"Criterion {i}") for i in range(4)]
        jury = User.objects.bulk_create(
            User(username=f"juror-{i}", email=f"juror-{i}@example.org", password=hashed)
            for i in range(jurors))
        jury = list(User.objects.filter(username__startswith="juror-").order_by("pk"))
        JuryMember.objects.bulk_create(JuryMember(edition=review, user=user, accepted_at=now)
                                       for user in jury)
        scored = Practice.objects.bulk_create(
            Practice(municipality=towns[i % len(towns)], title=f"Оценявана {i}",
                     title_en=f"Scored {i}", summary="Кратко.") for i in range(jurors))
        entries = Entry.objects.bulk_create(
            Entry(practice=practice, area=review_area, edition=review,
                  status=EntryStatus.ELIGIBLE) for practice in scored)
        first_round = review.rounds.get(number=1)
        Assignment.objects.bulk_create(Assignment(entry=entry, juror=user, round=first_round)
                                       for entry, user in zip(entries, jury, strict=True))
    return {"call": call.pk, "criteria": [c.pk for c in criteria],
            "jurors": [(user.pk, entry.pk) for user, entry in zip(jury, entries, strict=True)]}


def deadline_rush(stack: Stack, *, officers: int, window: float, sign_in: bool,
                  rng: random.Random) -> bool:
    from django.db import connection
    from django.utils import timezone

    from accounts.models import User
    from competitions.models import Edition
    from practices.enums import EntryStatus
    from practices.models import Entry

    entries = {entry.practice.municipality_id: entry.pk for entry in
               Entry.objects.filter(edition__slug="rush").select_related("practice")}
    Entry.objects.filter(edition__slug="rush").update(status=EntryStatus.DRAFT,
                                                      submitted_at=None, submitted_by=None)
    people = list(User.objects.filter(username__startswith="officer-").order_by("pk"))
    visitors = {} if sign_in else {user.pk: signed_in(stack.nginx, user) for user in people}
    lead = 3.0  # the threads are ready before the window opens
    opens = timezone.now() + dt.timedelta(seconds=lead)
    deadline = opens + dt.timedelta(seconds=window)
    # the deadline is the window's end: set through the ORM, a save (the pages' cache bumps)
    call = Edition.objects.get(slug="rush")
    call.submissions_close_at = deadline
    call.save(update_fields=["submissions_close_at"])
    connection.close()
    starts = {user.pk: rng.uniform(0, window) for user in people}
    zero = time.perf_counter() + lead
    log = Log()
    outcome: dict[int, tuple[float, float, int | None]] = {}

    def officer(user) -> None:
        time.sleep(max(0.0, zero + starts[user.pk] - time.perf_counter()))
        visitor = _signed_in_now(stack, user, log) if sign_in else visitors[user.pk]
        if visitor is None:
            return  # not signed in: nothing to submit with
        entry = entries[user.municipality_id]
        sent = time.perf_counter()
        try:
            answer = visitor.post(f"/officer/entries/{entry}/submit/")
            code = answer.status_code
            if code == 302 and not answer.headers["Location"].startswith("/officer/practices/"):
                code = -302  # sent elsewhere (to sign in again): not an acknowledgement
        except Exception as error:  # noqa: BLE001 - counted as an error
            log.record("submit", sent, time.perf_counter(), repr(error))
            outcome[entry] = (sent - zero, time.perf_counter() - zero, None)
            return
        # 302: accepted; 400: refused (the deadline had passed when it reached us)
        log.record("submit", sent, time.perf_counter(),
                   None if code in (302, 400) else str(code))
        outcome[entry] = (sent - zero, time.perf_counter() - zero, code)

    with ThreadPoolExecutor(max_workers=len(people)) as pool:
        list(pool.map(officer, people))
    how = "signing in inside" if sign_in else "signed in before"
    title = f"deadline rush, {len(people)} officers {how} the {window:.0f} s window"
    log.print(title)
    submitted = dict(Entry.objects.filter(edition__slug="rush", status=EntryStatus.SUBMITTED)
                     .values_list("pk", "submitted_at"))
    connection.close()
    return _rush_report(outcome, submitted, window=window, deadline=deadline, log=log)


def _signed_in_now(stack: Stack, user, log: Log) -> Visitor | None:
    """A visitor who signs in as `user` through the login page (None if that fails),
    both requests timed in `log`."""
    visitor = Visitor(stack.nginx)
    sent = time.perf_counter()
    try:
        page = visitor.get("/accounts/login/")
        log.record("login page", sent, time.perf_counter(),
                   None if page.status_code == 200 else str(page.status_code))
        token = page.text.split('name="csrfmiddlewaretoken" value="', 1)[1]
        token = token.split('"', 1)[0]
        sent = time.perf_counter()
        answer = visitor.post("/accounts/login/", {
            "username": user.username, "password": PASSWORD,
            "csrfmiddlewaretoken": token})
        log.record("sign-in", sent, time.perf_counter(),
                   None if answer.status_code == 302 else str(answer.status_code))
    except Exception as error:  # noqa: BLE001 - counted as an error
        log.record("sign-in", sent, time.perf_counter(), repr(error))
        return None
    return visitor if answer.status_code == 302 else None


def _rush_report(outcome: dict[int, tuple[float, float, int | None]], submitted: dict, *,
                 window: float, deadline, log: Log) -> bool:
    """Print what became of the submissions sent before and after the deadline; True when
    none was lost, refused before it or accepted after it, and there was no error."""
    acknowledged = [entry for entry, (_sent, _done, code) in outcome.items() if code == 302]
    lost = [entry for entry in acknowledged if entry not in submitted]
    before = [entry for entry, (sent, _done, _code) in outcome.items() if sent < window]
    refused_before = [entry for entry in before if outcome[entry][2] != 302]
    after = [entry for entry, (sent, _done, _code) in outcome.items() if sent >= window]
    accepted_after = [entry for entry in after if outcome[entry][2] == 302]
    answered_late = [entry for entry in acknowledged if outcome[entry][1] >= window]
    recorded_late = [entry for entry in acknowledged
                     if submitted.get(entry) and submitted[entry] >= deadline]
    print(f"  submissions sent before the deadline: {len(before)}, accepted "
          f"{len(before) - len(refused_before)}, refused {len(refused_before)}; sent after it "
          f"(their sign-in ended after the deadline): {len(after)}, accepted "
          f"{len(accepted_after)}")
    print(f"  accepted although answered after the deadline (they reached nginx before it): "
          f"{len(answered_late)}; recorded as submitted at or after the deadline: "
          f"{len(recorded_late)}")
    print(f"  acknowledged {len(acknowledged)}, in the database {len(acknowledged) - len(lost)}, "
          f"lost {len(lost)}; errors {len(log.errors)}")
    for error in log.errors[:5]:
        print(f"    {error}")
    return not lost and not log.errors and not refused_before and not accepted_after \
        and not recorded_late


def jury_autosave(stack: Stack, facts: dict, *, every: float, seconds: float,
                  rng: random.Random) -> bool:
    from django.db import connection

    from accounts.models import User
    from scoring.models import SheetScore

    users = {user.pk: user for user in User.objects.filter(username__startswith="juror-")}
    visitors = [(signed_in(stack.nginx, users[juror]), juror, entry)
                for juror, entry in facts["jurors"]]
    connection.close()
    criteria = facts["criteria"]
    log = Log()
    last: dict[tuple[int, int], int] = {}
    lock = threading.Lock()
    zero = time.perf_counter() + 2.0

    def juror(args) -> None:
        visitor, juror_id, entry = args
        offset = rng.uniform(0, every)
        beat = 0
        while True:
            moment = zero + offset + beat * every
            if moment > zero + seconds:
                return
            time.sleep(max(0.0, moment - time.perf_counter()))
            criterion = criteria[beat % len(criteria)]
            value = rng.randint(1, 10)
            sent = time.perf_counter()
            try:
                answer = visitor.post(f"/jury/entries/{entry}/sheet/autosave/",
                                      {f"score-{criterion}": str(value)},
                                      headers={"HX-Request": "true"})
                saved = answer.status_code == 200 and 'data-autosave="saved"' in answer.text
                log.record("autosave", sent, time.perf_counter(),
                           None if saved else f"{answer.status_code} {answer.text[:80]}")
                if saved:
                    with lock:
                        last[(juror_id, criterion)] = value
            except Exception as error:  # noqa: BLE001 - counted as an error
                log.record("autosave", sent, time.perf_counter(), repr(error))
            beat += 1

    with ThreadPoolExecutor(max_workers=len(visitors)) as pool:
        list(pool.map(juror, visitors))
    log.print(f"jury autosave, {len(visitors)} jurors, a field every {every:.0f} s for "
              f"{seconds:.0f} s")
    stored = {(juror_id, criterion): value for juror_id, criterion, value in
              SheetScore.objects.values_list("sheet__juror_id", "criterion_id", "value")}
    connection.close()
    lost = [key for key, value in last.items() if stored.get(key) != value]
    print(f"  acknowledged fields (last value per juror and criterion): {len(last)}, "
          f"in the database {len(last) - len(lost)}, lost {len(lost)}; errors {len(log.errors)}")
    for error in log.errors[:5]:
        print(f"    {error}")
    return not lost and not log.errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url",
                        default="postgres://postgres@127.0.0.1:5432/portal_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/3")
    parser.add_argument("--ports", default="8117,8118,8119")
    parser.add_argument("--officers", type=int, default=265)
    parser.add_argument("--window", type=float, default=30)
    parser.add_argument("--jurors", type=int, default=100)
    parser.add_argument("--every", type=float, default=2)
    parser.add_argument("--autosave-seconds", type=float, default=30)
    parser.add_argument("--seed", type=int, default=2016)
    args = parser.parse_args()
    web_1, web_2, proxy = (int(port) for port in args.ports.split(","))
    rng = random.Random(args.seed)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the stack on TERM too
    # Every officer of the benchmark signs in from one address (this machine): the sign-in
    # throttle per address (30 in 10 minutes) would stop all but the first; 265 officers of
    # 265 municipalities come from 265 addresses.
    stack = Stack(database_url=args.database_url, redis_url=args.redis_url,
                  web_ports=(web_1, web_2), nginx_port=proxy,
                  env={"THROTTLE_LOGIN_PER_ADDRESS": "100000/m"})
    with stack:
        django_setup(stack)
        facts = seed(args.officers, args.jurors)
        print(f"seeded {args.officers} officers with a draft entry each, {args.jurors} jurors "
              f"with an assigned entry each")
        sign_in_cost(stack.nginx)
        ok = deadline_rush(stack, officers=args.officers, window=args.window, sign_in=False,
                           rng=rng)
        ok &= deadline_rush(stack, officers=args.officers, window=args.window, sign_in=True,
                            rng=rng)
        ok &= jury_autosave(stack, facts, every=args.every, seconds=args.autosave_seconds,
                            rng=rng)
    print("targets (0 lost, 0 errors, every submission sent before the deadline accepted):",
          "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
