"""Public pages on the production stack: PostgreSQL + Redis, two gunicorn instances (2 sync
workers each) behind nginx with deploy/nginx/portal.conf.template (deploy/stack.py). Seeds a
published edition, then loads each URL with wrk, straight from one gunicorn instance and
through nginx, and prints requests per second and latency.

    python bench/proxy.py [--database-url postgres://postgres@127.0.0.1:5432/portal_bench]
                          [--redis-url redis://127.0.0.1:6379/3] [--practices 1000]
                          [--duration 10] [--connections 16] [--rounds 2]

Targets: through nginx, an anonymous cached page at least 10x the throughput of /healthz
(through nginx too: both instances answer it); straight from gunicorn, each public page at
least 0.9x /healthz (which asks PostgreSQL, Redis and the broker). Needs `wrk`.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.showcase import SLUG, seed, wrk  # noqa: E402
from deploy.stack import Stack, django_setup  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url",
                        default="postgres://postgres@127.0.0.1:5432/portal_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/3")
    parser.add_argument("--ports", default="8117,8118,8119")
    parser.add_argument("--practices", type=int, default=1000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is missing: apt-get install -y wrk", file=sys.stderr)
        return 2
    web_1, web_2, proxy = (int(port) for port in args.ports.split(","))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the stack on TERM too
    stack = Stack(database_url=args.database_url, redis_url=args.redis_url,
                  web_ports=(web_1, web_2), nginx_port=proxy, celery=False)
    with stack:
        django_setup(stack)
        practice_id = seed(args.practices)
        from django.db import connection

        connection.close()
        print(f"seeded {args.practices} published practices")
        direct, nginx = stack.webs[0], stack.nginx
        pages = {"/showcase/": "/showcase/", "/showcase/<slug>/": f"/showcase/{SLUG}/",
                 "/practices/<id>/": f"/practices/{practice_id}/"}
        targets = {"gunicorn /healthz": direct + "/healthz"}
        targets.update({f"gunicorn {name}": direct + path for name, path in pages.items()})
        targets["nginx /healthz"] = nginx + "/healthz"
        targets.update({f"nginx {name}": nginx + path for name, path in pages.items()})
        import urllib.request

        for url in targets.values():  # warm every worker's cache, and nginx's
            for _ in range(8):
                with urllib.request.urlopen(url, timeout=30) as answer:  # noqa: S310 - loopback
                    assert answer.status == 200, url
        runs: dict[str, list[dict]] = {name: [] for name in targets}
        for _round in range(args.rounds):
            for name, url in targets.items():
                runs[name].append(wrk(url, args.duration, args.connections))
    figures = {name: {key: statistics.median(run[key] for run in found)
                      for key in ("rps", "p50", "p99", "errors")}
               for name, found in runs.items()}
    print(f"PostgreSQL + Redis; gunicorn 2 instances x 2 sync workers behind nginx "
          f"(1 worker process); wrk 2 threads x {args.connections} connections, "
          f"{args.duration} s per URL per round, median of {args.rounds} rounds")
    print(f"{'URL':<28} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'vs healthz':>11} "
          f"{'errors':>7}")
    ok = True
    for name, figure in figures.items():
        side = name.split()[0]
        floor = figures[f"{side} /healthz"]["rps"]
        ratio = figure["rps"] / floor
        if name.endswith("/healthz"):
            pass
        elif side == "nginx":
            ok &= ratio >= 10
        else:
            ok &= ratio >= 0.9
        ok &= figure["errors"] == 0
        print(f"{name:<28} {figure['rps']:>9.0f} {figure['p50']:>8.2f} {figure['p99']:>8.2f} "
              f"{ratio:>10.2f}x {figure['errors']:>7}")
    print("targets (nginx cached pages >= 10x nginx /healthz; gunicorn pages >= 0.9x "
          "gunicorn /healthz; no errors):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
