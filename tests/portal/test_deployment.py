"""The production stack description is complete (it is not run here: no Docker engine)."""

import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_compose_describes_the_production_stack_with_health_checks():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert sorted(services) == ["beat", "nginx", "postgres", "redis", "web", "web2", "worker"]
    assert all("healthcheck" in service for service in services.values())
    for name in ("web", "web2", "worker", "beat"):
        environment = services[name]["environment"]
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert environment["CELERY_BROKER_URL"].startswith("redis://")
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "gunicorn portal.wsgi:application" in " ".join(services["web"]["command"].split())
    assert " ".join(services["web2"]["command"].split()).startswith(
        "gunicorn portal.wsgi:application")
    assert services["worker"]["command"][:4] == ["celery", "-A", "portal", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "portal", "beat"]


def test_celery_is_configured_for_reliability(settings):
    from portal.celery import app

    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.task_time_limit == settings.CELERY_TASK_TIME_LIMIT


def test_embedded_mode_runs_tasks_in_process_without_a_broker(monkeypatch):
    import subprocess
    import sys

    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "portal.settings", "DEBUG": "1"}
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.CELERY_TASK_ALWAYS_EAGER, s.DATABASES['default']['ENGINE'], "
            "s.CACHES['default']['BACKEND'])")
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.split()
    assert out == ["True", "django.db.backends.sqlite3",
                   "django.core.cache.backends.locmem.LocMemCache"]
    env |= {"DATABASE_URL": "postgres://u@db:5432/p", "CELERY_BROKER_URL": "redis://r:6379/0",
            "REDIS_URL": "redis://r:6379/1"}
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.split()
    assert out == ["False", "django.db.backends.postgresql",
                   "django.core.cache.backends.redis.RedisCache"]


def run_settings(env: dict, *args: str) -> subprocess.CompletedProcess:
    """`python *args` in a fresh process with only `env` (and PATH) as its environment."""
    return subprocess.run([sys.executable, *args], env={"PATH": "/usr/bin:/bin", **env},
                          cwd=ROOT, capture_output=True, text=True)


PRODUCTION = {"DJANGO_SETTINGS_MODULE": "portal.settings", "DEBUG": "0",
              "SECRET_KEY": "a-long-random-production-key-" + "k" * 40,
              "ALLOWED_HOSTS": "portal.example.org"}


def test_throttles_accept_local_memory_only_in_the_embedded_mode():
    """django-ratelimit refuses a local-memory cache (each process counts on its own): the
    embedded mode (DEBUG on, one process) silences that error and `check --deploy` only
    warns (portal.W001); with DEBUG off `check --deploy` refuses it (portal.E003) until
    REDIS_URL gives every worker one shared cache."""
    embedded = {"DJANGO_SETTINGS_MODULE": "portal.settings", "DEBUG": "1"}
    check = run_settings(embedded, "manage.py", "check", "--fail-level", "WARNING")
    assert (check.returncode, "django_ratelimit" in check.stderr) == (0, False)
    check = run_settings(embedded, "manage.py", "check", "--deploy")
    assert ("portal.W001" in check.stderr, "portal.E003" in check.stderr) == (True, False)
    # read, never connected to by a check
    shared = PRODUCTION | {"REDIS_URL": "redis://127.0.0.1:6379/15",
                           "CELERY_BROKER_URL": "redis://127.0.0.1:6379/14"}
    check = run_settings(shared, "manage.py", "check", "--deploy")
    assert ("portal.W001" in check.stderr, "portal.E003" in check.stderr,
            "django_ratelimit" in check.stderr) == (False, False, False)


def test_production_without_a_shared_cache_is_a_deployment_error():
    """Several gunicorn workers each with their own local-memory cache: a run unpublished on
    one worker stays on the others' cached pages for up to an hour."""
    check = run_settings(PRODUCTION | {"CELERY_BROKER_URL": "redis://127.0.0.1:6379/14"},
                         "manage.py", "check", "--deploy")
    assert (check.returncode, "portal.E003" in check.stderr,
            "unpublished ranking run stays visible" in check.stderr) == (1, True, True)


def test_production_without_a_broker_is_a_deployment_warning():
    """No broker: a ranking run would execute inside the organiser's web request, which
    gunicorn kills after 60 s."""
    without = run_settings(PRODUCTION | {"REDIS_URL": "redis://127.0.0.1:6379/15"},
                           "manage.py", "check", "--deploy")
    assert ("portal.W003" in without.stderr, "gunicorn kills a request" in without.stderr) == (
        True, True)
    with_broker = run_settings(PRODUCTION | {"REDIS_URL": "redis://127.0.0.1:6379/15",
                                             "CELERY_BROKER_URL": "redis://127.0.0.1:6379/14"},
                               "manage.py", "check", "--deploy")
    assert (with_broker.returncode, "portal.W003" in with_broker.stderr) == (0, False)


SETUP = "import django; django.setup(); print('started')"


def test_debug_off_without_a_secret_key_refuses_to_start():
    """The built-in key is public: with DEBUG off, a missing or built-in key stops every
    process at settings load (gunicorn, the worker, every management command)."""
    from portal.settings import EMBEDDED_SECRET_KEY

    for key in (None, "", EMBEDDED_SECRET_KEY):
        env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
        if key is not None:
            env["SECRET_KEY"] = key
        started = run_settings(env, "-c", SETUP)
        assert (started.returncode, started.stdout,
                "ImproperlyConfigured: SECRET_KEY is missing" in started.stderr) == (1, "", True)
        check = run_settings(env, "manage.py", "check")
        assert (check.returncode, "SECRET_KEY is missing" in check.stderr) == (1, True)


def test_a_secret_key_or_the_embedded_mode_starts():
    assert run_settings(PRODUCTION, "-c", SETUP).stdout == "started\n"
    embedded = {"DJANGO_SETTINGS_MODULE": "portal.settings", "DEBUG": "1"}
    assert run_settings(embedded, "-c", SETUP).stdout == "started\n"


def test_a_mistyped_trusted_proxy_stops_the_start(settings):
    from portal.checks import trusted_proxies_are_networks

    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "::1"]
    assert trusted_proxies_are_networks(None) == []
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "nginx"]
    assert [error.id for error in trusted_proxies_are_networks(None)] == ["portal.E002"]


def test_tls_without_proxy_count_is_a_deployment_warning(settings):
    from portal.checks import clients_are_told_apart_behind_tls

    settings.HTTPS, settings.PROXY_COUNT = True, 0
    assert [w.id for w in clients_are_told_apart_behind_tls(None)] == ["portal.W002"]
    settings.PROXY_COUNT = 1
    assert clients_are_told_apart_behind_tls(None) == []
    settings.HTTPS, settings.PROXY_COUNT = False, 0
    assert clients_are_told_apart_behind_tls(None) == []


def test_compose_publishes_only_nginx_on_the_loopback():
    """nginx is the only way in: nobody reaches gunicorn around it (and so around its
    X-Forwarded-For and X-Request-Start)."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert [name for name, service in services.items() if "ports" in service] == ["nginx"]
    assert services["nginx"]["ports"] == ["127.0.0.1:8000:80"]
    assert services["web"]["environment"]["PROXY_COUNT"] == "${PROXY_COUNT:-1}"


def test_compose_nginx_uses_the_repos_template_with_both_web_instances():
    nginx = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["nginx"]
    assert nginx["volumes"] == [
        "./deploy/nginx/portal.conf.template:/etc/nginx/templates/default.conf.template:ro"]
    assert (nginx["environment"]["PORTAL_WEB_1"], nginx["environment"]["PORTAL_WEB_2"]) == (
        "web:8000", "web2:8000")
    template = (ROOT / "deploy" / "nginx" / "portal.conf.template").read_text()
    assert "server ${PORTAL_WEB_1}" in template and "server ${PORTAL_WEB_2}" in template
    assert 'proxy_set_header X-Request-Start "t=${msec}";' in template
    assert "proxy_cache_bypass $portal_personal;" in template
    assert "proxy_ignore_headers Vary;" in template  # one stored copy, whatever other cookies


def test_nginx_accepts_the_config_the_stack_check_renders():
    """`nginx -t` on what deploy/stack.py writes from the template (the stack check runs it;
    Debian's nginx is part of the development and CI machine, as chromium is)."""
    import shutil

    from deploy.stack import NGINX, Stack

    stack = Stack(database_url="postgres://unused/x", redis_url="redis://unused/0")
    try:
        conf = stack._nginx_config()
        result = subprocess.run([NGINX, "-t", "-p", str(conf), "-c", str(conf / "nginx.conf"),
                                 "-e", str(conf / "logs" / "error.log")],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
    finally:
        shutil.rmtree(stack.workdir, ignore_errors=True)
