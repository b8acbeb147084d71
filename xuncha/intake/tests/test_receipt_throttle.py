"""Guessing receipt codes: slowed per client and per code prefix, never a lock on every reporter.

Issue 13, finding 5: an installation-wide lock let one person (spread over many addresses) shut
every reporter out of their follow-up. These tests pin the replacement: captchas instead of blocks,
a hard ceiling that only hits the client that reached it, and no oracle about the code.
"""

import re

import pytest
from captcha.models import CaptchaStore
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse

from xuncha.intake import services

LIMITS = {"captcha_after": 3, "per_client": 30, "prefix_digits": 4, "per_prefix": 10, "global": 300}
WRONG = "受理码不正确，请核对后重新输入。"
WRONG_WITH_CAPTCHA = "受理码或验证码不正确，请核对后重新输入。"
HINT = "为防止恶意尝试，请输入验证码。"
REFUSED = "尝试次数过多，请15分钟后再试。"
ALERT = re.compile(r'<div class="alert alert-danger" role="alert">(.*?)</div>', re.S)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def limits(settings):
    settings.XUNCHA_RECEIPT_THROTTLE = dict(LIMITS)
    return settings.XUNCHA_RECEIPT_THROTTLE


@pytest.fixture
def code(window):
    return services.report_file(announcement=window["announcement"], content={"what": "反映的问题"}).code


def _captcha() -> dict:
    key = CaptchaStore.generate_key()
    return {"captcha_0": key, "captcha_1": CaptchaStore.objects.get(hashkey=key).response}


def _wrong(code: str, n: int, prefix: str | None = None) -> str:
    """A well-formed code that is not ``code``; by default each ``n`` in another prefix, never its own."""
    head = prefix if prefix is not None else f"{(int(code[:4]) + 1 + n % 9_999) % 10_000:04d}"
    tail = f"{n:012d}"
    return head + (tail if head + tail != code else f"{n + 1:012d}")


def _try(client: Client, addr: str, data: dict):
    return client.post(reverse("intake_public:follow_up"), data, REMOTE_ADDR=addr)


def _alert(response) -> str:
    found = ALERT.findall(response.content.decode())
    return found[0].strip() if found else ""


def _asks_for_captcha(response) -> bool:
    page = response.content.decode()
    return HINT in page and 'name="captcha_1"' in page


def test_many_addresses_cannot_lock_out_a_reporter(code, limits):
    for i in range(320):  # one guess per address: no client ever reaches its own limits
        assert _try(Client(), f"10.0.{i // 250}.{i % 250 + 1}", {"code": _wrong(code, i)}).status_code == 200
    # The reporter, from an address that never guessed wrong, still gets in (with the captcha now).
    assert _try(Client(), "192.0.2.7", {"code": code, **_captcha()}).status_code == 302
    # The high guess rate asks everyone for the captcha; without it the code is not looked at, so the
    # right and a wrong code get the same answer.
    assert _asks_for_captcha(Client().get(reverse("intake_public:follow_up"), REMOTE_ADDR="192.0.2.8"))
    right, wrong = (_try(Client(), "192.0.2.9", {"code": c}) for c in (code, _wrong(code, 999)))
    assert right.status_code == wrong.status_code == 200 and _asks_for_captcha(right) and _asks_for_captcha(wrong)
    assert _alert(right) == _alert(wrong) == ""
    # Below the signal nobody is asked: a reporter with a clean address gets in with the code alone.
    limits["global"] = 10_000
    assert not _asks_for_captcha(Client().get(reverse("intake_public:follow_up"), REMOTE_ADDR="192.0.2.10"))
    assert _try(Client(), "192.0.2.10", {"code": code}).status_code == 302


def test_one_client_gets_a_captcha_then_its_own_ceiling(client, code, limits):
    limits["per_client"] = 6
    addr = "198.51.100.9"
    for i in range(3):
        response = _try(client, addr, {"code": _wrong(code, i)})
        assert response.status_code == 200 and _alert(response) == WRONG
    assert _asks_for_captcha(client.get(reverse("intake_public:follow_up"), REMOTE_ADDR=addr))
    # The right code without the captcha: asked for the captcha, not let in, not told anything.
    response = _try(client, addr, {"code": code})
    assert response.status_code == 200 and _asks_for_captcha(response) and _alert(response) == ""
    # A wrong captcha answers exactly like a wrong or malformed code (with a right captcha).
    bad_captcha = _try(client, addr, {"code": code, "captcha_0": CaptchaStore.generate_key(), "captcha_1": "XXXX"})
    wrong_code = _try(client, addr, {"code": _wrong(code, 7), **_captcha()})
    malformed = _try(client, addr, {"code": "12ab", **_captcha()})
    assert {_alert(r) for r in (bad_captcha, wrong_code, malformed)} == {WRONG_WITH_CAPTCHA}
    assert {r.status_code for r in (bad_captcha, wrong_code, malformed)} == {200}
    # The right code with the captcha gets in; it does not wipe the count (a receipt of one's own
    # must not reset the guessing budget).
    assert _try(client, addr, {"code": code, **_captcha()}).status_code == 302
    assert _asks_for_captcha(Client().get(reverse("intake_public:follow_up"), REMOTE_ADDR=addr))
    # Five failures so far (three plain, two with a captcha); one more reaches the ceiling of six.
    _try(client, addr, {"code": _wrong(code, 8), **_captcha()})
    refused = _try(Client(), addr, {"code": code, **_captcha()})
    assert refused.status_code == 429 and REFUSED in refused.content.decode()
    assert _try(Client(), "198.51.100.10", {"code": code}).status_code == 302  # another client is not refused


def test_an_ipv6_host_cannot_rotate_addresses_within_its_64(client, code, limits):
    for i in range(3):
        _try(Client(), f"2001:db8:1:2::{i + 1:x}", {"code": _wrong(code, i)})
    assert _asks_for_captcha(Client().get(reverse("intake_public:follow_up"), REMOTE_ADDR="2001:db8:1:2:ffff::9"))
    assert not _asks_for_captcha(Client().get(reverse("intake_public:follow_up"), REMOTE_ADDR="2001:db8:1:3::1"))
    assert _try(Client(), "2001:db8:1:3::1", {"code": code}).status_code == 302


def test_guesses_at_one_prefix_slow_that_prefix_only(client, window, code, limits):
    other = code
    while other[:4] == code[:4]:
        other = services.report_file(announcement=window["announcement"], content={"what": "另一件"}).code
    for i in range(10):  # aimed at the reporter's region of the code space, one guess per address
        assert _alert(_try(Client(), f"10.2.0.{i + 1}", {"code": _wrong(code, i, prefix=code[:4])})) == WRONG
    # The same prefix from a fresh address: the captcha first, whether the code is right or wrong.
    right = _try(Client(), "192.0.2.20", {"code": code})
    wrong = _try(Client(), "192.0.2.21", {"code": _wrong(code, 50, prefix=code[:4])})
    assert right.status_code == wrong.status_code == 200 and _asks_for_captcha(right) and _asks_for_captcha(wrong)
    assert _alert(right) == _alert(wrong) == ""
    assert _try(Client(), "192.0.2.22", {"code": code, **_captcha()}).status_code == 302
    # Another prefix is untouched: no captcha, a wrong code is just wrong, the right code gets in.
    assert _alert(_try(Client(), "192.0.2.23", {"code": _wrong(other, 1, prefix=other[:4])})) == WRONG
    assert _try(Client(), "192.0.2.24", {"code": other}).status_code == 302


@pytest.mark.parametrize(
    "bad",
    [
        "abc",
        "1234",
        "1" * 15,
        "1" * 17,
        "1" * 100,
        "１２３４５６７８９０１２３４５",  # full-width, one digit short
        "<script>",
        "0000-0000-0000-0000",
    ],
)
def test_malformed_and_wrong_codes_get_one_sentence(client, code, limits, bad):
    wrong = _try(Client(), "192.0.2.30", {"code": _wrong(code, 1)})
    malformed = _try(Client(), "192.0.2.31", {"code": bad})
    assert wrong.status_code == malformed.status_code == 200
    assert _alert(wrong) == _alert(malformed) == WRONG
    assert "<script>" not in malformed.content.decode()


def test_full_width_digits_are_read_as_digits(code, limits):
    # Chinese input methods often type full-width digits; they must neither crash nor be refused.
    full = "".join(chr(ord(ch) - ord("0") + ord("０")) for ch in code)
    assert _try(Client(), "192.0.2.40", {"code": f"{full[:4]}－{full[4:]}"}).status_code == 302


def _table_rows() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _dump() -> str:
    out = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            out.extend(str(value) for row in cursor.fetchall() for value in row if value is not None)
    return "\n".join(out)


def test_nothing_about_the_visitor_reaches_the_database_or_the_logs(client, code, limits, caplog):
    caplog.set_level("DEBUG")
    before = _table_rows()
    v4, v6 = "203.0.113.77", "2001:db8:abcd:12::77"
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 MARKER-UA")
    for addr in (v4, v6):
        for _ in range(3):
            _try(client, addr, {"code": "9"})
        _try(client, addr, {"code": _wrong(code, 1), "captcha_0": "x", "captcha_1": "y"})
        _try(client, addr, {"code": code, **_captcha()})
    after = _table_rows()
    changed = {t for t in after if after[t] != before.get(t)}
    # The only rows added: the follow-up session (holds the report id) and unused captcha challenges.
    assert changed <= {"django_session", "captcha_captchastore"}
    dump = _dump()
    for needle in (v4, v6, "2001:db8:abcd:12", "203.0.113", "MARKER-UA"):
        assert needle not in dump and needle not in caplog.text
