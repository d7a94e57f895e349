"""A person using the portal over HTTP (requests), for deploy/stack_check.py and the write
benchmarks: signs in with the form, sends POSTs with the CSRF cookie's token."""

from __future__ import annotations

import re

import requests

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Visitor:
    def __init__(self, base: str, *, timeout: float = 300):
        self.base = base.rstrip("/")
        self.http = requests.Session()
        self.timeout = timeout

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.http.get(self.base + path, allow_redirects=False, timeout=self.timeout,
                             **kwargs)

    def post(self, path: str, data: dict | None = None, **kwargs) -> requests.Response:
        token = self.http.cookies.get("csrftoken", "")
        headers = {"X-CSRFToken": token, "Referer": self.base + path}
        headers.update(kwargs.pop("headers", {}))
        return self.http.post(self.base + path, data=data or {}, headers=headers,
                              allow_redirects=False, timeout=self.timeout, **kwargs)

    def sign_in(self, username: str, password: str,
                totp_key: str | None = None) -> requests.Response:
        """Sign in with the form; with `totp_key` (hex, as django-otp stores it), also pass
        the second factor that organisers must: the code the authenticator shows now."""
        page = self.get("/accounts/login/")
        match = TOKEN.search(page.text)
        if page.status_code != 200 or not match:
            raise RuntimeError(f"sign-in page: {page.status_code}")
        answer = self.post("/accounts/login/", {"username": username, "password": password,
                                                "csrfmiddlewaretoken": match.group(1)})
        if answer.status_code != 302 or "sessionid" not in self.http.cookies:
            raise RuntimeError(f"sign-in of {username} refused: {answer.status_code}")
        if totp_key is not None:
            answer = self.pass_second_factor(totp_key)
        return answer

    def pass_second_factor(self, totp_key: str) -> requests.Response:
        from binascii import unhexlify

        from django_otp.oath import TOTP

        page = self.get("/accounts/two-factor/code/")
        match = TOKEN.search(page.text)
        if page.status_code != 200 or not match:
            raise RuntimeError(f"second-factor page: {page.status_code}")
        code = f"{TOTP(unhexlify(totp_key)).token():06d}"
        answer = self.post("/accounts/two-factor/code/", {
            "code": code, "csrfmiddlewaretoken": match.group(1)})
        if answer.status_code != 302:
            raise RuntimeError(f"second factor refused: {answer.status_code}")
        return answer
