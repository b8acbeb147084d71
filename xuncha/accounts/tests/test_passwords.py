"""Password policy (等保 level 3; issue 14, finding 4): at least 12 characters from at least three
of four classes, no common, numeric or look-alike passwords, every message in Chinese."""

import re

import pytest
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from xuncha.accounts.demo import DEMO_PASSWORD
from xuncha.accounts.models import User
from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import PASSWORD, make_user

CJK = re.compile(r"[\u4e00-\u9fff]")


def _refusals(password: str, user=None) -> list[str]:
    with translation.override("zh-hans"):
        try:
            validate_password(password, user)
        except ValidationError as exc:
            return list(exc.messages)
    return []


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("xuncha2026", "至少需要12个字符"),  # too short, two classes
        ("abcdefghijkl", "至少3类"),  # long enough, one class
        ("Abcdefghijkl", "至少3类"),  # two classes
        ("Ab1-", "至少需要12个字符"),
        ("123456789012", "不能全是数字"),
        ("password1234", "太常见"),
    ],
)
def test_weak_passwords_are_refused_in_chinese(password, expected):
    messages = _refusals(password)
    assert messages, f"{password!r} was accepted"
    assert any(expected in m for m in messages), messages
    assert all(CJK.search(m) and "password" not in m.lower() for m in messages), messages


def test_a_password_like_the_user_name_is_refused_in_chinese(db):
    user = User(username="zhangsan-office", full_name="张三")
    messages = _refusals("Zhangsan-office1", user)
    assert any("过于相似" in m for m in messages), messages


@pytest.mark.parametrize("password", ["Xuncha-2026-demo", "Qingshan#Town88", DEMO_PASSWORD, PASSWORD])
def test_strong_passwords_pass(password):
    assert _refusals(password) == []


def test_help_texts_are_chinese():
    with translation.override("zh-hans"):
        texts = password_validators_help_texts()
    assert len(texts) == 5
    assert all(CJK.search(t) and "password" not in t.lower() for t in texts), texts
    assert any("12" in t for t in texts)


def test_the_office_sees_the_length_rule_in_chinese(client, world):
    """The create-account page used to show Django's English minimum-length message."""
    staff = make_user(world.a["dept"], Role.OFFICE_STAFF, scope=world.a["county"])
    client.force_login(staff)
    # the page states the rules the validators enforce
    assert "密码至少12个字符" in client.get(reverse("accounts:user_create")).content.decode()
    form = {"username": "newbie", "full_name": "新用户", "unit": world.a["dept"].pk}
    html = client.post(
        reverse("accounts:user_create"), {**form, "password1": "xuncha2026", "password2": "xuncha2026"}
    ).content.decode()
    assert "至少需要12个字符" in html
    assert "too short" not in html and "This password" not in html
    assert not User.objects.filter(username="newbie").exists()
