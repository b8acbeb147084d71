"""Fill untranslated or fuzzy entries of a .po file from a JSON dict {msgid: msgstr}.

Usage: python scripts/po_fill.py locale/en/LC_MESSAGES/django.po translations.json && make messages
(make messages re-wraps the long lines the way makemessages writes them, which lint compares.)
Entries whose msgid is in the dict get that msgstr and lose their fuzzy flag; the rest are
left alone. Prints the msgids still untranslated afterwards. (Developer tool; not run by CI.)
"""

import json
import re
import sys


def _unquote(block: str) -> str:
    return "".join(json.loads(part) for part in re.findall(r'"(?:[^"\\]|\\.)*"', block))


def _unfuzzy(line: str) -> str:
    """Drop the fuzzy flag from a flags line ("#, fuzzy, python-format" → "#, python-format")."""
    if not line.startswith("#,"):
        return line
    flags = [f.strip() for f in line[2:].split(",") if f.strip() and f.strip() != "fuzzy"]
    return f"#, {', '.join(flags)}" if flags else ""


def main(po_path: str, json_path: str) -> None:
    with open(json_path, encoding="utf-8") as fh:
        table = json.load(fh)
    with open(po_path, encoding="utf-8") as fh:
        entries = fh.read().split("\n\n")
    out, missing = [], []
    for entry in entries:
        m = re.search(r'^msgid ((?:".*"\n?)+)msgstr ((?:".*"\n?)+)\Z', entry.strip() + "\n", re.M)
        if not m or re.search(r"^msgid_plural", entry, re.M):  # a "#| msgid_plural" comment is fine
            out.append(entry)
            continue
        msgid = _unquote(m.group(1))
        msgstr = _unquote(m.group(2))
        fuzzy = "#, fuzzy" in entry
        if msgid and msgid in table and (fuzzy or not msgstr):
            head = entry[: entry.index("msgid ")]
            lines = (_unfuzzy(line) for line in head.splitlines() if not line.startswith("#|"))
            head = "\n".join(line for line in lines if line)
            head = head + "\n" if head else ""
            quoted_id = json.dumps(msgid, ensure_ascii=False)
            entry = f"{head}msgid {quoted_id}\nmsgstr {json.dumps(table[msgid], ensure_ascii=False)}"
        elif msgid and (fuzzy or not msgstr):
            missing.append(msgid)
        out.append(entry)
    with open(po_path, "w", encoding="utf-8") as fh:
        fh.write("\n\n".join(out))
    print(f"still missing: {len(missing)}")
    for msgid in missing:
        print(" ", msgid)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
