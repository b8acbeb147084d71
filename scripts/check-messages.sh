#!/usr/bin/env bash
# Lint: the English catalog holds every user-facing string. Regenerates the .po, compares it
# with the committed one (ignoring the creation date) and puts the original back either way.
set -euo pipefail
PO=locale/en/LC_MESSAGES/django.po
backup=$(mktemp)
cp "$PO" "$backup"
trap 'cp "$backup" "$PO"; rm -f "$backup"' EXIT
.venv/bin/python manage.py makemessages -l en --ignore=.venv --ignore=node_modules --ignore=test-artifacts \
  --no-obsolete --no-location -v 0
if ! diff -q -I 'POT-Creation-Date' "$backup" "$PO" >/dev/null; then
  diff -u -I 'POT-Creation-Date' "$backup" "$PO" | head -40 || true
  echo "locale/ is out of date: run 'make messages' and translate the new entries."
  exit 1
fi
