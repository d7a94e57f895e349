"""The production stack of docker-compose.yml, without Docker: a fresh PostgreSQL database on
the running server, Redis, gunicorn on two ports behind nginx (Debian's, with
deploy/nginx/portal.conf.template, as a foreground process with its own prefix, pid and logs
in a temporary directory), a Celery worker and Celery beat. Used by deploy/stack_check.py and
the benchmarks under bench/ that need the whole stack; everything it starts it stops.

    with Stack(database_url=..., redis_url=...) as stack:
        stack.nginx        # "http://127.0.0.1:8119"
        stack.webs         # ["http://127.0.0.1:8117", "http://127.0.0.1:8118"]
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "nginx" / "portal.conf.template"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
VENV_BIN = Path(sys.executable).parent


def _say(message: str) -> None:
    print(message, flush=True)


class Stack:
    def __init__(self, *, database_url: str, redis_url: str, web_ports=(8117, 8118),
                 nginx_port: int = 8119, gunicorn_workers: int = 2, celery: bool = True,
                 env: dict[str, str] | None = None, quiet: bool = False):
        self.database_url = database_url
        self.redis_url = redis_url
        self.web_ports = tuple(web_ports)
        self.nginx_port = nginx_port
        self.gunicorn_workers = gunicorn_workers
        self.celery = celery
        self.extra_env = env or {}
        self.quiet = quiet
        self.processes: list[tuple[str, subprocess.Popen]] = []
        self.workdir = Path(tempfile.mkdtemp(prefix="portal-stack-"))
        self.nginx = f"http://127.0.0.1:{nginx_port}"
        self.webs = [f"http://127.0.0.1:{port}" for port in self.web_ports]

    # --- environment ---------------------------------------------------------------------
    @property
    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update({
            "DEBUG": "0",
            "SECRET_KEY": "stack-check-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "CELERY_BROKER_URL": self.redis_url,
            "PROXY_COUNT": "1",
            "MEDIA_ROOT": str(self.workdir / "media"),
            "EMAIL_URL": "consolemail://",
            "LOG_LEVEL": "WARNING",
            "SITE_URL": self.nginx,
            "PYTHONUNBUFFERED": "1",
        })
        env.update(self.extra_env)
        return env

    def say(self, message: str) -> None:
        if not self.quiet:
            _say(message)

    # --- the parts -----------------------------------------------------------------------
    def _database_fresh(self) -> None:
        parts = urllib.parse.urlparse(self.database_url)
        name = parts.path.lstrip("/")
        admin = parts._replace(path="/postgres").geturl()
        import psycopg2

        connection = psycopg2.connect(admin)
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                           "WHERE datname = %s AND pid <> pg_backend_pid()", [name])
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        connection.close()

    def _redis_flush(self) -> None:
        import redis

        redis.Redis.from_url(self.redis_url).flushdb()

    def _start(self, name: str, command: list[str], log: str) -> subprocess.Popen:
        handle = open(self.workdir / log, "ab")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=handle,  # noqa: S603
                                   stderr=subprocess.STDOUT, start_new_session=True)
        self.processes.append((name, process))
        self.say(f"  started {name} (pid {process.pid})")
        return process

    def _nginx_config(self) -> Path:
        conf = self.workdir / "nginx"
        for sub in ("logs", "cache", "temp/client", "temp/proxy", "temp/fastcgi",
                    "temp/uwsgi", "temp/scgi"):
            (conf / sub).mkdir(parents=True, exist_ok=True)
        site = TEMPLATE.read_text()
        for name, value in {"PORTAL_WEB_1": f"127.0.0.1:{self.web_ports[0]}",
                            "PORTAL_WEB_2": f"127.0.0.1:{self.web_ports[1]}",
                            "PORTAL_LISTEN": f"127.0.0.1:{self.nginx_port}",
                            "PORTAL_CACHE_DIR": str(conf / "cache")}.items():
            site = site.replace("${" + name + "}", value)
        (conf / "portal.conf").write_text(site)
        # the workers run as the user who started us (root in CI: nginx would switch to
        # nobody, who cannot write our temporary directory)
        user = "user root root;\n" if os.geteuid() == 0 else ""
        (conf / "nginx.conf").write_text(f"""{user}worker_processes 1;
daemon off;
pid {conf}/nginx.pid;
error_log {conf}/logs/error.log warn;
events {{ worker_connections 2048; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {conf}/temp/client;
    proxy_temp_path {conf}/temp/proxy;
    fastcgi_temp_path {conf}/temp/fastcgi;
    uwsgi_temp_path {conf}/temp/uwsgi;
    scgi_temp_path {conf}/temp/scgi;
    include {conf}/portal.conf;
}}
""")
        return conf

    def _wait(self, url: str, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while True:
            for name, process in self.processes:
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited with {process.returncode}: see "
                                       f"{self.workdir}")
            try:
                with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 - loopback
                    if answer.status == 200:
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not answer in {seconds} s")
            time.sleep(0.3)

    def start(self) -> Stack:
        started = time.perf_counter()
        self.say(f"stack: PostgreSQL {self.database_url}, Redis {self.redis_url}, "
                 f"work directory {self.workdir}")
        self._database_fresh()
        self._redis_flush()
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
                       cwd=ROOT, env=self.env, check=True)
        self.say(f"  fresh database migrated ({time.perf_counter() - started:.1f} s)")
        for port in self.web_ports:
            self._start(f"gunicorn :{port}", [
                str(VENV_BIN / "gunicorn"), "portal.wsgi:application", "--bind",
                f"127.0.0.1:{port}", "--workers", str(self.gunicorn_workers),
                "--timeout", "90", "--backlog", "2048", "--log-level", "warning"],
                f"gunicorn-{port}.log")
        conf = self._nginx_config()
        if self.celery:
            self._start("celery worker", [
                str(VENV_BIN / "celery"), "-A", "portal", "worker", "--loglevel=warning",
                "--concurrency=1", "--without-gossip", "--without-mingle",
                "-n", f"stack-{self.nginx_port}@%h"], "worker.log")
            self._start("celery beat", [
                str(VENV_BIN / "celery"), "-A", "portal", "beat", "--loglevel=warning",
                f"--schedule={self.workdir / 'celerybeat-schedule'}"], "beat.log")
        for web in self.webs:
            self._wait(web + "/healthz")
        self._start("nginx", [NGINX, "-p", str(conf), "-c", str(conf / "nginx.conf"),
                              "-e", str(conf / "logs" / "error.log")], "nginx.log")
        self._wait(self.nginx + "/healthz")
        if self.celery:
            self._wait_for_worker()
        self.say(f"  stack up in {time.perf_counter() - started:.1f} s: nginx {self.nginx} -> "
                 f"gunicorn {', '.join(self.webs)}")
        return self

    def _wait_for_worker(self, seconds: float = 60) -> None:
        command = [str(VENV_BIN / "celery"), "-A", "portal", "inspect", "ping",
                   "-d", f"stack-{self.nginx_port}@{os.uname().nodename}", "--timeout", "2"]
        deadline = time.monotonic() + seconds
        while subprocess.run(command, cwd=ROOT, env=self.env,  # noqa: S603 - our own argv
                             capture_output=True).returncode:
            if time.monotonic() > deadline:
                raise RuntimeError("the Celery worker did not answer")
        self.say("  celery worker answers")

    def stop(self) -> None:
        for _name, process in reversed(self.processes):
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        for _name, process in reversed(self.processes):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        self.say(f"stack stopped ({len(self.processes)} processes)")
        self.processes.clear()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> Stack:
        try:
            return self.start()
        except BaseException:
            self.logs_tail()
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        if exc[0] is not None:
            self.logs_tail()
        self.stop()

    def logs_tail(self, lines: int = 15) -> None:
        for log in sorted(self.workdir.glob("**/*.log")):
            text = log.read_text(errors="replace").splitlines()[-lines:]
            if text:
                _say(f"--- {log.relative_to(self.workdir)}")
                for line in text:
                    _say(f"    {line}")


def django_setup(stack: Stack) -> None:
    """This process reads and seeds the stack's database with the same settings."""
    os.environ.update(stack.env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
