"""The English catalog is complete: every Chinese msgid has an English translation."""

import re

from django.conf import settings


def _entries():
    text = (settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    return [e for e in text.split("\n\n") if "msgid " in e and not e.lstrip().startswith('msgid ""\nmsgstr ""\n"')]


def test_no_entry_is_fuzzy_or_empty():
    bad = []
    for entry in _entries():
        if (
            "#, fuzzy" in entry
            or re.search(r'^msgstr(\[\d\])? ""\Z', entry.strip(), re.M)
            and not re.search(r'^msgstr(\[\d\])? ""\n"', entry, re.M)
        ):
            bad.append(entry.splitlines()[-2] if len(entry.splitlines()) > 1 else entry)
    assert not bad, f"untranslated or fuzzy entries: {bad[:10]}"


def test_placeholders_survive_translation():
    for entry in _entries():
        msgid = "".join(re.findall(r'^(?:msgid|")(?: )?"?(.*)"$', entry.split("msgstr")[0], re.M))
        msgstr = entry.split("msgstr", 1)[1]
        for name in re.findall(r"%\((\w+)\)[sd]", msgid):
            assert f"%({name})" in msgstr, f"placeholder {name} lost in: {msgid}"
