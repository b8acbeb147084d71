"""Password rules (等保 level 3, identification): at least 12 characters drawn from at least three
of four classes (capitals, small letters, digits, symbols), not like the account's own details,
not a common password, not all digits.

Django's validators are subclassed only for their messages: each message is a Chinese msgid
like every other string of ours. Relying on Django's catalog let English slip into the Chinese
interface: Django 5.2 changed the msgid of the minimum-length error (``%d`` instead of
``%(min_length)d``) and its zh_Hans catalog still carries only the old one, so the error fell
back to English while the help text next to it was Chinese.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation as django_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class MinimumLengthValidator(django_validation.MinimumLengthValidator):
    def __init__(self, min_length: int = 12) -> None:
        super().__init__(min_length)

    def get_error_message(self) -> str:
        return _("密码太短，至少需要%(min_length)d个字符。") % {"min_length": self.min_length}

    def get_help_text(self) -> str:
        return _("密码至少%(min_length)d个字符。") % {"min_length": self.min_length}


def character_classes(password: str) -> int:
    """How many of the four classes occur: capitals, small letters, digits, anything else
    (punctuation, spaces, Chinese characters count as symbols)."""
    has_upper = any(c.isupper() for c in password)
    has_lower = any(c.islower() for c in password)
    has_digit = any(c.isdigit() for c in password)
    has_other = any(not (c.isupper() or c.islower() or c.isdigit()) for c in password)
    return has_upper + has_lower + has_digit + has_other


class CharacterClassesValidator:
    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                self.get_error_message(), code="password_too_simple", params={"min_classes": self.min_classes}
            )

    def get_error_message(self) -> str:
        return _("密码须包含大写字母、小写字母、数字、符号中的至少%(min_classes)d类。") % {
            "min_classes": self.min_classes
        }

    def get_help_text(self) -> str:
        return self.get_error_message()


class UserAttributeSimilarityValidator(django_validation.UserAttributeSimilarityValidator):
    def get_error_message(self) -> str:
        # Django fills in the field's verbose name (用户名, 姓名, ...) through params.
        return _("密码与%(verbose_name)s过于相似。")

    def get_help_text(self) -> str:
        return _("密码不能与用户名、姓名、电子邮箱等个人信息过于相似。")


class CommonPasswordValidator(django_validation.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return _("这个密码太常见，容易被猜中。")

    def get_help_text(self) -> str:
        return _("密码不能是常见密码。")


class NumericPasswordValidator(django_validation.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return _("密码不能全是数字。")

    def get_help_text(self) -> str:
        return _("密码不能全是数字。")
