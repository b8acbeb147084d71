"""Handing a stored file to someone the calling view has already authorised; every view is logged."""

from typing import Any
from urllib.parse import quote

from django.http import FileResponse, HttpRequest

from xuncha.audit.services import audit_record
from xuncha.files.models import StoredFile
from xuncha.files.storage import open_stored


def stored_file_response(request: HttpRequest, stored: StoredFile, *, target: Any, what: str) -> FileResponse:
    """The file as a download, after an audit row naming who viewed which file of what."""
    audit_record(
        actor=request.user,
        action="files.view",
        target=target,
        after={"what": what, "file": stored.original_name, "sha256": stored.sha256},
    )
    response = FileResponse(open_stored(stored), content_type=stored.content_type)
    response["Content-Disposition"] = attachment_disposition(stored.original_name)
    return response


def attachment_disposition(name: str) -> str:
    """A download header that keeps a Chinese file name intact (RFC 5987)."""
    return f"attachment; filename*=UTF-8''{quote(name)}"
