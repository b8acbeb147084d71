"""Test helpers for two-factor sign-in: an enrolled authenticator and the codes it would show."""

from __future__ import annotations

import time

from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from xuncha.accounts.tests.factories import PASSWORD
from xuncha.accounts.twofactor import services


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    """A confirmed authenticator and its ten recovery codes, through the services."""
    device = services.totp_enrol_start(user=user)
    return services.totp_enrol_confirm(user=user, token=next_code(device))


def next_code(device: TOTPDevice) -> str:
    """A code the server accepts now. It refuses a time step it has already accepted (replay), so
    this takes the first step of its tolerance window above the last one used: a phone would
    show it now or within the next 30 seconds. Never waits: the window moves with the drift."""
    device.refresh_from_db()
    now = int((time.time() - device.t0) // device.step) + device.drift
    t = next(t for t in range(now - device.tolerance, now + device.tolerance + 1) if t > device.last_t)
    return f"{hotp(device.bin_key, t, digits=device.digits):0{device.digits}d}"


def sign_in(client, user, code: str | None = None):
    """Password, then the code step; returns the last response."""
    response = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/login/code/", response
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return client.post("/login/code/", {"code": code or next_code(device)})
