"""Two-factor sign-in (TOTP with django-otp) and its enforcement.

* ``policy``      — who must enrol (per role: the office's rule, else the settings default), whether
  a session passed a code and how recently (reads only).
* ``services``    — enrol, recovery codes, disable, the office's reset and rules (writes, audited).
* ``signin``      — the pending second step of the login; failures reported to django-axes.
* ``middleware``  — ``TwoFactorRequiredMiddleware``: enrol first; unverified sessions give a code.
* ``decorators``  — ``require_fresh_otp`` for sensitive actions.

Changing the encryption keys is not a page at all: it is done on the server's command line only.
"""
