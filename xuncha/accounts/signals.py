"""Sign-ins and sign-outs go into the audit log (failed attempts are counted by django-axes)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db import transaction
from django.dispatch import receiver

from xuncha.audit.services import audit_record


@receiver(user_logged_in)
def _audit_login(sender, request, user, **kwargs):
    with transaction.atomic():
        audit_record(actor=user, action="auth.login", target=user)


@receiver(user_logged_out)
def _audit_logout(sender, request, user, **kwargs):
    if user is not None:
        with transaction.atomic():
            audit_record(actor=user, action="auth.logout", target=user)
