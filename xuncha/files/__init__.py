"""Uploaded files (附件): the one way the platform accepts and stores a file.

Evidence is what an inspection stands on, so a stored file must be exactly what was uploaded, of
the type it claims to be, and provably unchanged. Rules:

* **Allow-list, sniffed from the content** (``sniff.py``, pure Python, no libmagic): PDF and OFD
  (the national fixed-layout format of e-documents and e-invoices), Word/Excel in both the current
  (docx, xlsx) and the legacy binary format (doc, xls) that units still send, PowerPoint (pptx)
  for briefing slides, JPG/PNG for photos and scans, and plain text. Nothing else: no archives
  (their content escapes the check), no HTML/SVG (script), no macro-enabled Office files, no
  encrypted ones (their content cannot be checked, nor read later), and executables are refused
  by signature even when renamed.
* **The extension must name the sniffed type.** A real PNG called ``报告.pdf`` is refused with a
  message telling the uploader to rename it: the name is what officials see in lists, and a name
  that lies about the content misleads whoever opens it later.
* **Generated storage names.** Bytes live in ``MEDIA_ROOT/files/ab/cd/<uuid hex>`` with nothing
  from the user in the path. MEDIA_ROOT is never served by nginx; files leave through views that
  check permission and call ``storage.open_stored``.
* **Size limit before reading** (``FILES_MAX_UPLOAD_MB``) and again while streaming; SHA-256 and
  SM3 are computed in the same single pass that writes the bytes.
* **Safe to open before anything opens it** (``guard.py``, docs/adr/0009): ZIP bombs (entries,
  unpacked size, ratio), DTDs in the XML parts of Office and OFD files, and images past
  ``XUNCHA_UPLOAD_IMAGE_MAX_PIXELS`` are refused from their headers, before the sniffer or any
  parser reads them.
* **Nothing half-written.** Bytes are written first, then the row and its audit entry in one
  transaction; any failure there deletes the bytes. Django has no "on rollback" hook, so if the
  *caller's* outer transaction rolls back later, the bytes stay behind with no row: ``manage.py
  files_orphans`` lists them and ``--delete`` removes them. A row without bytes cannot happen.
* Files are evidence and are never deleted through the app. Their metadata (camera, GPS position,
  author…) is kept and read once at upload into ``StoredFile.properties`` (``metadata.py``) for
  the team to see. Files from the public are the exception: ``scrub.py`` removes what identifies
  the sender before they are sealed (docs/adr/0006).
"""
