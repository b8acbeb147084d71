"""The load test's Locust users: officials who sign in through the login form and then work.

User *i* plays role ``i mod 5`` of the plan (office staff, team member, unit liaison, county leader,
city office) with that role's next account. It signs in as a person does: the login page, the
password, and where the account has an authenticator the code step with the code the app would
show (``credentials.totp_code``). A code is accepted once (django-otp refuses a replayed one), so a
second user of the same account waits for the next 30-second step, as a person would.

Then it works without pause (a closed loop: each user sends its next request when the last one has
answered), in the phase ``drive.py`` sets: ``mixed`` (the role's list, detail, filter, download and
write requests by the plan's weights), ``ceiling`` (the trivial page in the site's layout, signed
in), ``floor`` (the same page, one user alone: its time without queueing) and ``bare`` (a view with
no layout and no session, from a client without cookies). Any answer but the expected one is a
failure: for pages 200 (no redirect followed: a redirect to the login or the code page is an
error), for downloads 200 with the document's type, for writes the redirect to the page that then
shows the success message (and no error message).
"""

from __future__ import annotations

import random
import time
from typing import Any
from urllib.parse import urlencode, urlsplit

import gevent
from locust import FastHttpUser, constant, task
from locust.contrib.fasthttp import FastHttpSession
from locust.exception import StopUser

from xuncha.synth.load.credentials import STEP, current_step, totp_code

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


class SignInFailed(Exception):
    pass


class State:
    """Shared by the users of this process (greenlets: no locks needed between two yields)."""

    def __init__(self) -> None:
        self.plan: dict[str, Any] = {}
        self.phase = "mixed"
        self.started = 0
        self.signed_in = 0
        self.failed: list[str] = []
        self.last_step: dict[str, int] = {}  # username → the last code step used

    def configure(self, plan: dict[str, Any], phase: str = "mixed") -> None:
        self.plan, self.phase = plan, phase


STATE = State()


def _path(location: str) -> str:
    return urlsplit(location or "").path


class Official(FastHttpUser):
    wait_time = constant(0)
    network_timeout = 120.0  # a slow document under load is measured, not cut off
    connection_timeout = 10.0

    def on_start(self) -> None:
        plan = STATE.plan
        index, STATE.started = STATE.started, STATE.started + 1
        roles = list(plan["roles"])
        self.index = index
        self.role = roles[index % len(roles)]
        role = plan["roles"][self.role]
        self.account = role["accounts"][(index // len(roles)) % len(role["accounts"])]
        self.by_kind: dict[str, list[dict[str, Any]]] = {}
        for req in role["requests"]:
            self.by_kind.setdefault(req["kind"], []).append(req)
        self.kinds = [k for k in plan["weights"] if k in self.by_kind]
        self.weights = [plan["weights"][k] for k in self.kinds]
        self.rng = random.Random(f"{plan.get('seed', 0)}:{index}")
        # The bare phase's client: a cookie jar of its own, so its requests carry no session.
        self.anonymous = FastHttpSession(self.host, self.environment.events.request, user=self)
        try:
            self.sign_in()
        except SignInFailed as exc:
            STATE.failed.append(f"{self.account['username']}: {exc}")
            raise StopUser() from exc
        STATE.signed_in += 1

    # --- signing in -----------------------------------------------------------------------

    def sign_in(self) -> None:
        urls, account = STATE.plan["urls"], self.account
        self._call("GET", urls["login"], "sign-in · login page", 200)
        form = {"username": account["username"], "password": account["password"]}
        after = urls["verify"] if account["totp"] else urls["home"]
        self._call("POST", urls["login"], "sign-in · password", 302, data=form, location=after)
        if account["totp"]:
            self._call("GET", urls["verify"], "sign-in · code page", 200)
            code = {"code": self._code(account)}
            self._call("POST", urls["verify"], "sign-in · code", 302, data=code, location=urls["home"])
        self._call("GET", urls["home"], "sign-in · home", 200)

    def _code(self, account: dict[str, Any]) -> str:
        """The authenticator's code, in a step no other user of this account has used."""
        username = account["username"]
        while STATE.last_step.get(username, -1) >= current_step():
            gevent.sleep(STEP - time.time() % STEP + 0.2)
        step = current_step()
        STATE.last_step[username] = step
        return totp_code(account["totp"], step)

    def _call(
        self, method: str, url: str, name: str, status: int, *, data: dict[str, str] | None = None, location: str = ""
    ) -> Any:
        with self._request(self.client, method, url, name, data) as response:
            got = _path(response.headers.get("location", "")) if response.headers else ""
            if response.status_code != status or (location and got != location):
                problem = f"HTTP {response.status_code} {got}".strip()
                response.failure(problem)
                raise SignInFailed(f"{name}: {problem}")
        return response

    def _request(self, client: FastHttpSession, method: str, url: str, name: str, data: dict[str, str] | None) -> Any:
        if method == "GET":
            return client.get(url, name=name, allow_redirects=False, catch_response=True)
        body = urlencode({**(data or {}), "csrfmiddlewaretoken": self._csrf()})
        return client.post(url, data=body, headers=FORM, name=name, allow_redirects=False, catch_response=True)

    def _csrf(self) -> str:
        return next((c.value for c in self.client.cookiejar if c.name == "csrftoken"), "") or ""

    # --- working ----------------------------------------------------------------------------

    @task
    def work(self) -> None:
        phase = STATE.phase
        if phase == "mixed":
            kind = self.rng.choices(self.kinds, self.weights)[0]
            req = self.rng.choice(self.by_kind[kind])
            name = f"{self.role} · {kind} · {req['key']}"
            if kind == "write":
                self._write(req, name)
            else:
                self._page(self.client, req["url"], name, req)
        elif phase == "ceiling":
            self._page(self.client, STATE.plan["urls"]["layout"], "ceiling · layout page, signed in", {})
        elif phase == "floor" and self.index == 0:
            self._page(self.client, STATE.plan["urls"]["layout"], "floor · layout page, one user", {})
        elif phase == "bare":
            self._page(self.anonymous, STATE.plan["urls"]["bare"], "bare · view without session", {})
        else:  # between phases, and while the others sign in
            gevent.sleep(0.1)

    def _page(self, client: FastHttpSession, url: str, name: str, req: dict[str, Any]) -> None:
        with self._request(client, "GET", url, name, None) as response:
            kind = (response.headers or {}).get("content-type", "")
            if response.status_code != 200:
                where = _path((response.headers or {}).get("location", ""))
                response.failure(f"HTTP {response.status_code} {where}".strip())
            elif req.get("content_type") and not kind.startswith(req["content_type"]):
                response.failure(f"content type {kind}")

    def _write(self, req: dict[str, Any], name: str) -> None:
        """The form post, then the page it leads to, which must show the success message."""
        with self._request(self.client, "POST", req["url"], name, req["data"]) as response:
            got = _path((response.headers or {}).get("location", ""))
            if response.status_code != 302 or got != req["then"]:
                response.failure(f"HTTP {response.status_code} {got}".strip())
                return
        with self._request(self.client, "GET", req["then"], f"{name} (next page)", None) as response:
            text = response.text or ""
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif "alert-danger" in text or "alert-success" not in text:
                response.failure("no success message")
