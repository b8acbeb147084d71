"""What every document context shares: dates written the 公文 way and the jurisdiction's names.

A context is plain data (dicts, lists, strings): no model instance goes into one. A template is
untrusted (an office may upload its own) and a live object is a path to the database (see
sandbox.py). Dates are written the way a 公文 writes them ("2026年11月2日"). Each domain builds the
contexts of its own kinds of document and registers a sample of each (see ``registry.py``).
"""

from __future__ import annotations

from datetime import date

from xuncha.accounts.models import OrgUnit

LEVEL_CHARS = "省市县区旗州盟"
_LEVEL_BY_TYPE = {"province": "省", "city": "市", "county": "县"}


def cn_date(value: date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def jurisdiction_names(jurisdiction: OrgUnit) -> dict[str, str]:
    """How documents name the committee and its organs: 中共示例县委, 县委, 巡察工作领导小组…"""
    name = jurisdiction.name
    level = name[-1] if name[-1] in LEVEL_CHARS else _LEVEL_BY_TYPE.get(jurisdiction.unit_type, "县")
    committee = f"中共{name}委"
    return {
        "jurisdiction": name,
        "committee": committee,
        "committee_short": f"{level}委",
        "leading_group": f"{committee}巡察工作领导小组",
        "office": f"{committee}巡察工作领导小组办公室",
    }


# The names of a made-up jurisdiction, for the samples an uploaded template is checked against.
SAMPLE_NAMES = {
    "jurisdiction": "示例县",
    "committee": "中共示例县委",
    "committee_short": "县委",
    "leading_group": "中共示例县委巡察工作领导小组",
    "office": "中共示例县委巡察工作领导小组办公室",
}
