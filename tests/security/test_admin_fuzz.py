"""Hostile input to every admin form an organiser can reach: the add and change form of every
model registered in the admin, and the changelists' actions. Each example starts from the
form as the page fills it (so it gets past the fields it does not touch) and replaces some
fields, hidden ones included, with long strings (up to 400 characters), NUL bytes, other
Unicode, out-of-range numbers and dates. Whatever is sent, the answer is never a server
error. Run it on PostgreSQL too: that is where NUL bytes and over-long values blow up.

Each example is one request inside a savepoint rolled back afterwards (see conftest.ask).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from .admin_world import (  # noqa: F401 - the fixtures
    AdminWorld,
    admin_db_fixture,
    admin_url,
    admin_world_fixture,
    as_post,
    change_form,
    model_key,
    registered_models,
)
from .conftest import ask

pytestmark = pytest.mark.django_db

EXAMPLES = 10
# No shrinking: an admin request costs tens of milliseconds and the failing field is named in
# the assertion; shrinking a failure would take minutes.
fuzz = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                phases=[Phase.explicit, Phase.reuse, Phase.generate],
                report_multiple_bugs=False,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

NUMBERS = st.one_of(
    st.integers(min_value=-(10 ** 25), max_value=10 ** 25).map(str),
    st.sampled_from(["-1", "0", "2147483648", "-2147483649", "9223372036854775808",
                     "-9223372036854775809", "1e309", "NaN", "inf", "-0", "1.5", "٣", "0x10",
                     "99999999999999999999.99999"]),
)
DATES = st.sampled_from([
    "0001-01-01", "9999-12-31", "10000-01-01", "2016-02-30", "0000-00-00", "2016-13-01",
    "-2016-01-01", "9999-12-31 23:59:59", "24:00", "23:59:60", "00:00", "2016-01-01T25:00",
    "1970-01-01", "2038-01-19 03:14:08"])
LONG = st.builds(lambda char, size: char * size, st.sampled_from(["a", "ж", "\x00", "<", "9",
                                                                   "\U0001f4a3"]),
                 st.integers(min_value=100, max_value=400))
WITH_NUL = st.builds(lambda before, after: f"{before}\x00{after}", st.text(max_size=20),
                     st.text(max_size=20))
EMAILS = st.sampled_from(["a" * 250 + "@example.org", "x@" + "d" * 300 + ".org",
                          "juror\x00@example.org", "имейл@пример.бг", "not-an-email"])
hostile = st.one_of(st.text(max_size=400), LONG, WITH_NUL, NUMBERS, DATES, EMAILS,
                    st.just(""))


def _forms() -> list[tuple[str, str]]:
    return [(model_key(model), page) for model in registered_models()
            for page in ("add", "change")]


_pages: dict[tuple[str, str], tuple[int, list, list]] = {}
_editable: dict[tuple[str, str], set[str]] = {}


def _page(admin_world: AdminWorld, key: str, page: str) -> tuple[str, int, list, list]:
    """The form's URL, the organiser's GET status, its fields as filled, every field name."""
    model = next(model for model in registered_models() if model_key(model) == key)
    obj = admin_world.editable.get(key, admin_world.objects[key])
    url = admin_url(model, page, obj if page == "change" else None)
    if (key, page) not in _pages:
        answer = ask(admin_world.users["organiser"], "GET", url)
        form = change_form(answer.body)
        names = sorted({name for name, _value in form.fields} | form.editable)
        _pages[(key, page)] = (answer.status, form.fields, names)
        # the fields a person fills in, inline forms' "extra" templates left out
        _editable[(key, page)] = {name for name in form.editable if "__prefix__" not in name}
    return (url, *_pages[(key, page)])


@pytest.mark.parametrize(("key", "page"), _forms())
@fuzz
@given(data=st.data())
def test_admin_form_survives_hostile_input(admin_db: AdminWorld, key, page, data):
    url, status, fields, names = _page(admin_db, key, page)
    if status != 200:  # not the organiser's (superuser-only, or no add here): refused alike
        answer = ask(admin_db.users["organiser"], "POST", url, data={"x": "\x00"})
        assert answer.status in (302, 403), answer.outcome()
        return
    post = as_post(fields)
    chosen = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=4, unique=True)
                       if names else st.just([]))
    for name in chosen:
        post[name] = data.draw(st.lists(hostile, min_size=1, max_size=2))
    answer = ask(admin_db.users["organiser"], "POST", url, data=post)
    assert answer.status < 500, f"{url} {chosen}: {answer.status}"


def _actions(admin_world: AdminWorld) -> list[tuple[str, str]]:
    """(changelist URL, action name) of every action the organiser's changelists offer."""
    found = []
    for model in registered_models():
        url = admin_url(model, "changelist")
        answer = ask(admin_world.users["organiser"], "GET", url)
        select = re.search(r'<select name="action"[^>]*>(.*?)</select>', answer.body, re.S)
        if answer.status == 200 and select:
            found += [(url, value) for value in re.findall(r'value="([^"]+)"', select[1])]
    return sorted(found)


def test_admin_changelists_offer_actions_to_fuzz(admin_db: AdminWorld):
    """The control of the fuzzing below: the organiser's changelists have actions."""
    names = {action for _url, action in _actions(admin_db)}
    assert {"delete_selected", "copy_editions", "resend_invitations",
            "approve_officers", "reject_officers"} <= names


@fuzz
@given(data=st.data())
def test_admin_actions_survive_hostile_selections(admin_db: AdminWorld, data):
    """Every action of every changelist with hostile selections (ids beyond 64 bits, NUL
    bytes, strings) and the confirmation sent or not."""
    actions = _actions_cached(admin_db)
    url, action = data.draw(st.sampled_from(actions))
    selected = data.draw(st.lists(st.one_of(hostile, st.sampled_from(["1", "2", "3"])),
                                  min_size=0, max_size=3))
    post = {"action": action, "_selected_action": selected, "index": "0"}
    if data.draw(st.booleans()):
        post["post"] = "yes"
    if data.draw(st.booleans()):
        post["select_across"] = data.draw(st.sampled_from(["1", "0", "\x00", "x" * 300]))
    answer = ask(admin_db.users["organiser"], "POST", url, data=post)
    assert answer.status < 500, f"{url} {post}: {answer.status}"


_action_list: list[tuple[str, str]] = []


def _actions_cached(admin_world: AdminWorld) -> list[tuple[str, str]]:
    if not _action_list:
        _action_list.extend(_actions(admin_world))
    return _action_list


# --- what the fuzzing found, pinned down ------------------------------------------------------
@pytest.mark.parametrize(("key", "value"), [("accounts.user", ":"),
                                            ("accounts.user", "9223372036854775808"),
                                            ("practices.practice", "not-a-number")])
def test_admin_autocomplete_field_with_a_non_number_is_a_form_error(admin_db: AdminWorld, key,
                                                                     value):
    """The municipality (an autocomplete field) sent as text or beyond 64 bits: the form
    says so. Django's AutocompleteSelect looks the bound value up to render it again, and
    that lookup raised (ValueError; OverflowError on SQLite): a server error."""
    model = next(model for model in registered_models() if model_key(model) == key)
    url = admin_url(model, "change", admin_db.objects[key])
    organiser = admin_db.users["organiser"]
    post = as_post(change_form(ask(organiser, "GET", url).body).fields)
    post["municipality"] = [value]
    answer = ask(organiser, "POST", url, data=post)
    assert answer.status == 200


@pytest.mark.parametrize("selected", ["x", "10000-01-01", "\x00", "9" * 30])
def test_admin_action_on_a_selection_that_is_not_an_id_is_refused(admin_db: AdminWorld,
                                                                   selected):
    """A changelist action sent with a selection that is not an id (hand-written POST):
    never a server error (Django filters `pk__in` with it: ValueError, OverflowError)."""
    from competitions.models import Municipality

    url = admin_url(Municipality, "changelist")
    answer = ask(admin_db.users["organiser"], "POST", url,
                 data={"action": "delete_selected", "_selected_action": [selected],
                       "index": "0"})
    assert answer.status < 500


# Every field alone, each form otherwise as the page fills it: the values PostgreSQL refuses
# (over-long for a varchar, NUL in any text, beyond 64 bits for an integer or a key) reach
# the database only if the form lets them.
ONE_FIELD_VALUES = ("ж" * 400, "before\x00after", "9" * 30)


_INLINE_ROW = re.compile(r"^.+-\d+-")
_UNIQUE = {"slug": lambda v: f"{v}-fuzz", "email": lambda v: f"fuzz.{v}",
           "username": lambda v: f"{v}fuzz", "name": lambda v: f"{v} fuzz",
           "code": lambda v: f"{v}9" if v else v, "order": lambda v: "77"}


def _add_baseline(admin_world: AdminWorld, key: str) -> list[tuple[str, str]] | None:
    """A valid add form: the change form of the module's object without its inline rows,
    its unique fields made new; the forms that differ from their change form written out."""
    world = admin_world.world
    if key == "scoring.jurymember":
        return [("edition", str(world.review.pk)), ("email", "new.juror@example.org"),
                ("first_name", "New"), ("last_name", "Juror"),
                ("areas", str(world.entry_b.area_id))]
    if key == "accounts.user":
        return [("username", "new.officer"), ("password1", "a-long-pass-2016"),
                ("password2", "a-long-pass-2016"), ("usable_password", "true")]
    status, fields, _names = _pages.get((key, "change"), (0, [], []))
    if status != 200:
        return None
    baseline = []
    for name, value in fields:
        if _INLINE_ROW.match(name):
            continue
        if name.endswith(("-TOTAL_FORMS", "-INITIAL_FORMS")):
            value = "0"
        elif name in _UNIQUE:
            value = _UNIQUE[name](value)
        elif key == "practices.entry" and name == "practice":
            value = str(world.published_practice.pk)
        baseline.append((name, value))
    return baseline


def _baseline(admin_world: AdminWorld, key: str, page: str) -> list[tuple[str, str]]:
    _page(admin_world, key, "change")
    if page == "add":
        return _add_baseline(admin_world, key) or []
    return _pages[(key, "change")][1]


# The forms an organiser saves in the admin today (the control below checks each baseline is
# accepted, so that a hostile field alone reaches the database when the form lets it through).
SAVED_BY_ORGANISER = [
    ("competitions.edition", "add"), ("competitions.edition", "change"),
    ("competitions.criterion", "add"), ("competitions.criterion", "change"),
    ("competitions.thematicarea", "add"), ("competitions.thematicarea", "change"),
    ("competitions.municipality", "add"), ("competitions.municipality", "change"),
    ("accounts.user", "add"), ("accounts.user", "change"),
    ("practices.practice", "add"), ("practices.practice", "change"),
    ("scoring.jurymember", "add"), ("scoring.jurymember", "change"),
]


@pytest.mark.parametrize(("key", "page"), SAVED_BY_ORGANISER)
def test_admin_form_baseline_is_accepted(admin_db: AdminWorld, key, page):
    """The control of the next test: the form as filled is saved (a redirect)."""
    url, _status, _fields, _names = _page(admin_db, key, page)
    answer = ask(admin_db.users["organiser"], "POST", url,
                 data=as_post(_baseline(admin_db, key, page)))
    assert answer.outcome().startswith("302→/admin/"), (answer.outcome(), answer.body[-3000:])


@pytest.mark.parametrize(("key", "page"), _forms())
def test_admin_form_every_field_alone_survives_long_nul_and_huge_values(admin_db: AdminWorld,
                                                                        key, page):
    url, status, _fields, _names = _page(admin_db, key, page)
    fields = _baseline(admin_db, key, page)
    editable = sorted(_editable[(key, page)] | {name for name, _value in fields
                                                if not name.endswith("_FORMS")})
    # an inline's rows are one form class: its first row stands for the others
    editable = [name for name in editable if not re.match(r"^.+-[1-9]\d*-", name)]
    failures = []
    for name in editable if status == 200 else []:
        for value in ONE_FIELD_VALUES:
            post = as_post(fields)
            post[name] = [value]
            try:
                answer = ask(admin_db.users["organiser"], "POST", url, data=post)
            except Exception as error:  # noqa: BLE001 - the test client re-raises a 500's cause
                failures.append((name, value[:12], f"{type(error).__name__}: {error}"[:160]))
                continue
            if answer.status >= 500:
                failures.append((name, value[:12], answer.status))
    assert failures == [], f"{url}:\n" + "\n".join(map(str, failures))
