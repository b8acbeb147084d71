"""Malformed query parameters never answer a 5xx (issue 14, finding 8 and build item 6).

Every page that answers GET is found by walking the URL resolver: the pages without arguments, and
the pages with arguments whose views read the address (their objects come from the demo county).
The parameters each view reads are found by scanning its source (and the module's helpers it
calls) for ``GET.get("x")``, ``GET["x"]``, ``getlist("x")`` and the fields of the forms and the
filters of the FilterSets it binds to ``request.GET``. Each malformed value is sent in all of them
at once (and all repeated), and a page that fails is asked again parameter by parameter to name the culprit;
the common parameters the view does not read (``COMMON``) are sent together, each carrying every
malformed value (two requests per page: they are ignored, and that shows it), and are named one by
one only when such a request fails.

A page is opened as the first demo account that gets a 200 from it without parameters, so the
parameters reach the code behind the permission check.
"""

from __future__ import annotations

import inspect
import logging
import re
from urllib.parse import urlencode

import django_filters
import pytest
from django import forms
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

MALFORMED = [
    "abc",
    "-1",
    "0",
    "99999999999999999999999",
    "１２３",  # full-width digits
    "²",  # str.isdigit() says yes, int() says no
    "中文",
    "' OR 1=1 --",
    "\x00",  # sent as %00
    "2026-13-45",
    "",
    "9" * 5000,  # 5,000 characters, past Python's 4,300-digit int() limit
]
COMMON = ["page", "q", "round", "unit", "status", "state", "receiver", "year", "sort", "per_page", "kind"]
# The order in which accounts are tried: whoever sees most first.
ACCOUNTS = [
    "xcb_zhuren",
    "admin",
    "xcb_ganbu",
    "ldxz",
    "xcz_zuzhang",
    "mz_lianluoyuan",
    "xld_fenguan",
    "cz_chengban",
    "jw_chengban",
    "dw_fuzeren",
    "sj_xcb",
]
# Not pages: Django's admin, the captcha library's images, and logout (which would end the session).
SKIP_PREFIXES = ("admin/", "captcha/", "i18n/", "logout/")

# Pages with arguments whose views read the address: url name -> the demo object for the argument.
WITH_ARGS = {
    "plans:team_detail": "team",
    "plans:member_add": "team",
    "fieldwork:record_list": "team",
    "fieldwork:record_create": "team",
    "fieldwork:paper_list": "team",
    "findings:team_findings": "team",
    "analytics:round_situation": "round7",
    "analytics:round_dashboard": "round7",
    "transfers:round_stats": "round7",
    "plans:round_detail": "round8",
    "rectification:plan_letters": "plan",
    "rectification:letter_add": "plan",
    "rectification:plan_detail": "plan",
    "rectification:plan_reports": "plan",
    "accounts:relation_add": "person",
    "accounts:person_detail": "person",
}


def _walk(patterns, prefix="", namespace=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(filter(None, [namespace, p.namespace])) or None
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + str(p.pattern), ":".join(filter(None, [namespace, p.name])), p.callback


_READS = [
    re.compile(r"""GET\.get(?:list)?\(\s*["'](\w+)["']"""),
    re.compile(r"""GET\[\s*["'](\w+)["']\s*\]"""),
    re.compile(r"""\bg\.get\(\s*["'](\w+)["']"""),  # g = request.GET
    re.compile(r"""\(\s*["'](\w+)["']\s*,\s*\w+\([^)]*\)\s*,\s*["']\w+["']\s*\)"""),  # (key, qs, attr) loops
    re.compile(r"""["'](\w+)["']\s+in\s+request\.GET"""),
    re.compile(r"""query_(?:value|ids)\(\s*request\s*,\s*["'](\w+)["']"""),  # xuncha.common.filters
]
_FORM_ON_GET = re.compile(r"(\w+)\(\s*request\.GET")
_CALL = re.compile(r"\b(_\w+)\(")


def _params(view) -> list[str]:
    """The query parameters ``view`` reads, from its source and its module's helpers it calls."""
    view = inspect.unwrap(view)
    module = inspect.getmodule(view)
    seen, todo, names = set(), [view], set()
    while todo:
        func = todo.pop()
        if func in seen:
            continue
        seen.add(func)
        try:
            source = inspect.getsource(func)
        except (OSError, TypeError):
            continue
        if "paginate(request" in source or ".get_page(request.GET" in source:
            names.add("page")
        for pattern in _READS:
            names.update(pattern.findall(source))
        for form_name in _FORM_ON_GET.findall(source):
            form = getattr(module, form_name, None)
            if isinstance(form, type) and issubclass(form, forms.BaseForm):
                names.update(form.base_fields)
            elif isinstance(form, type) and issubclass(form, django_filters.FilterSet):
                names.update(form.base_filters)
        for helper in _CALL.findall(source):
            target = getattr(module, helper, None)
            if inspect.isfunction(target) and target.__module__ == module.__name__:
                todo.append(target)
    return sorted(names)


def _pages() -> list[tuple[str, str, list[str]]]:
    pages = []
    for route, name, callback in _walk(get_resolver().url_patterns):
        if route.startswith(SKIP_PREFIXES):
            continue
        has_args = "<" in route or "(?P" in route
        if has_args and name not in WITH_ARGS:
            continue
        pages.append((name, route, _params(callback)))
    return pages


PAGES = _pages()


def _demo_objects() -> dict:
    from xuncha.accounts.models import Person
    from xuncha.plans.models import Round, RoundState, Team
    from xuncha.rectification.models import Task

    round8 = Round.objects.get(state=RoundState.ON_SITE)
    task = Task.objects.filter(problem__leader_assignments__leader__username="xld_fenguan").first()
    return {
        "round7": Round.objects.get(state=RoundState.RECTIFYING),
        "round8": round8,
        "team": Team.objects.filter(round=round8).order_by("pk").first(),
        "plan": task.plan,
        "person": Person.objects.filter(unit__name="青山镇").order_by("pk").first(),
    }


@pytest.fixture(scope="module")
def demo(demo_seeded, django_db_blocker):
    """The demo county, built once for the module and rolled back after it (as in test_need_to_know)."""
    with django_db_blocker.unblock():
        return _demo_objects()


@pytest.fixture(autouse=True)
def _quiet_error_log():
    """The failures are listed by the assertion; a traceback per malformed request is noise."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(level)


def _client_for(url: str) -> tuple[Client, int]:
    from xuncha.accounts.models import User

    client = Client(raise_request_exception=False)
    status = None
    for username in ACCOUNTS:
        client.force_login(User.objects.get(username=username))
        status = client.get(url).status_code
        if status == 200:
            return client, status
    client.force_login(User.objects.get(username=ACCOUNTS[0]))
    return client, client.get(url).status_code


def _query(pairs) -> str:
    return urlencode(pairs)


def _describe(value: str) -> str:
    return repr(value if len(value) < 30 else f"{value[:10]}…({len(value)} chars)")


def _check(client, url, pairs) -> str | None:
    response = client.get(f"{url}?{_query(pairs)}")
    if response.status_code < 500:
        return None
    exc = getattr(response, "exc_info", None)
    return f"{response.status_code} {exc[0].__name__ + ': ' + str(exc[1])[:120] if exc else ''}"


def _check_common(client, url, others) -> list[str]:
    """The common parameters the view does not read, all in one request carrying every malformed
    value repeated (``getlist`` sees them all; ``get`` the last, rotated so that each parameter ends
    on a different value), twice with different rotations; a failure is then named value by value."""
    n = len(MALFORMED)
    for shift in (0, n // 2):
        pairs = [(c, MALFORMED[(i + shift + k) % n]) for i, c in enumerate(others) for k in range(1, n + 1)]
        if not others or _check(client, url, pairs) is None:
            continue
        found = []
        for param in others:
            for value in MALFORMED:
                if (problem := _check(client, url, [(param, value)])) is not None:
                    found.append(f"{url}?{param}={_describe(value)} -> {problem}")
        return found or [f"{url} with the common parameters {others} repeated -> 5xx"]
    return []


@pytest.mark.parametrize(("name", "route", "params"), PAGES, ids=[p[0] for p in PAGES])
def test_malformed_query_parameters_never_answer_5xx(db, demo, name, route, params):
    args = [demo[WITH_ARGS[name]].pk] if name in WITH_ARGS else []
    url = reverse(name, args=args)
    client, status = _client_for(url)
    assert status < 500, f"{url} answers {status} without parameters"
    failures = []
    for value in MALFORMED:
        # Every parameter the view reads carries the value at once (a filter form drops a bad
        # field and applies the others, so each is still parsed); a 5xx is then named one by one.
        if params and _check(client, url, [(param, value) for param in params]) is not None:
            for param in params:
                if (problem := _check(client, url, [(param, value)])) is not None:
                    failures.append(f"{url}?{param}={_describe(value)} -> {problem}")
    repeated = [(param, v) for param in params for v in ("1", "abc", "", "99999999999999999999999")]
    if params and _check(client, url, repeated) is not None:
        for param in params:
            if (problem := _check(client, url, [(param, v) for _p, v in repeated[:4]])) is not None:
                failures.append(f"{url}?{param}=1&{param}=abc&… (repeated) -> {problem}")
    failures += _check_common(client, url, [c for c in COMMON if c not in params])
    assert not failures, f"{len(failures)} malformed parameters answered 5xx:\n" + "\n".join(failures)


def test_the_walk_finds_the_list_pages_and_their_parameters():
    """The discovery is not vacuous: known list pages and the parameters they read are found."""
    found = {name: params for name, _route, params in PAGES}
    assert len(found) >= 60, len(found)
    assert {"round", "receiver", "kind", "state", "page"} <= set(found["transfers:transfer_list"])
    assert {"unit", "round", "focus", "tag", "month"} <= set(found["analytics:dashboard_problems"])
    assert {"leader", "page"} <= set(found["rectification:assignment_list"])
    assert "year" in found["disclosure_public"]
    assert "webhook" in found["notify:delivery_list"]
    assert "p" in found["analytics:common_campaign"]
