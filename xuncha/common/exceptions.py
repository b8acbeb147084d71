"""Errors raised by services. Views turn them into form errors or messages, never a 500."""

from django.core.exceptions import ValidationError


class ServiceError(ValidationError):
    """A business rule refused the change. The message is shown to the user as it is."""
