"""The focus lists and tags in use (domain.md §4), as loaded by migration 0002 and the tests.

Item texts are as officials write them. Sub-items of 四个落实 follow common county practice.
"""

# (name, version, applies_to, note, active, [(item, [sub-items])])
FOCUS_LISTS = [
    (
        "四个落实",
        1,
        "unit",
        "2020年起对党组织开展巡察的监督重点",
        True,
        [
            (
                "落实党的理论路线方针政策和党中央重大决策部署情况",
                [
                    "学习贯彻习近平新时代中国特色社会主义思想",
                    "贯彻落实党中央和上级党组织重大决策部署",
                    "落实意识形态工作责任制",
                ],
            ),
            (
                "落实全面从严治党主体责任和监督责任情况",
                [
                    "落实全面从严治党主体责任",
                    "落实监督责任",
                    "落实中央八项规定精神、纠治“四风”",
                    "整治群众身边腐败问题和不正之风",
                ],
            ),
            ("落实新时代党的组织路线情况", ["领导班子和干部队伍建设", "选人用人", "基层党组织建设"]),
            ("落实巡视巡察、审计等监督发现问题整改情况", ["上轮巡察反馈问题整改", "审计等监督发现问题整改"]),
        ],
    ),
    (
        "六个围绕、一个加强",
        1,
        "unit",
        "2018—2022年巡察监督重点",
        True,
        [
            ("围绕党的政治建设", []),
            ("围绕党的思想建设", []),
            ("围绕党的组织建设", []),
            ("围绕党的作风建设", []),
            ("围绕党的纪律建设", []),
            ("围绕夺取反腐败斗争压倒性胜利", []),
            ("加强对巡视巡察整改落实情况的监督", []),
        ],
    ),
    (
        "三个聚焦",
        1,
        "village",
        "对村（社区）党组织开展巡察的监督重点",
        True,
        [
            ("聚焦党的理论路线方针政策和党中央决策部署在基层的贯彻落实", []),
            ("聚焦群众身边腐败问题和不正之风", []),
            ("聚焦基层党组织建设", []),
        ],
    ),
    (
        "三个聚焦",
        2,
        "village",
        "增加“聚焦巡视巡察整改落实”的四项表述",
        True,
        [
            ("聚焦党的理论路线方针政策和党中央决策部署在基层的贯彻落实", []),
            ("聚焦群众身边腐败问题和不正之风", []),
            ("聚焦基层党组织建设", []),
            ("聚焦巡视巡察整改落实", []),
        ],
    ),
]

TAGS = {
    "near_public": [
        "雁过拔毛",
        "吃拿卡要",
        "优亲厚友",
        "虚报冒领",
        "截留挪用",
        "贪污侵占",
        "强占掠夺",
        "与民争利",
        "欺压百姓",
        "黑恶势力“保护伞”",
        "乡匪村霸",
        "小官巨腐",
    ],
    "sector": [
        "土地和工程建设",
        "农村集体“三资”",
        "惠民惠农资金（补贴、低保）",
        "窗口服务和执法",
        "“四风”（形式主义、官僚主义、享乐主义、奢靡之风）",
    ],
    "bucket": ["党的领导弱化", "党的建设缺失", "全面从严治党不力"],
}


def load(apps=None) -> None:
    """Create the lists and tags that are missing (idempotent; used by the migration)."""
    if apps is None:
        from django.apps import apps as django_apps

        apps = django_apps
    focus_list = apps.get_model("findings", "FocusList")
    focus_item = apps.get_model("findings", "FocusItem")
    tag = apps.get_model("findings", "Tag")
    for name, version, applies_to, note, active, items in FOCUS_LISTS:
        row, created = focus_list.objects.get_or_create(
            name=name,
            version=version,
            jurisdiction=None,
            defaults={"applies_to": applies_to, "note": note, "active": active},
        )
        if not created:
            continue
        for position, (text, subs) in enumerate(items, start=1):
            parent = focus_item.objects.create(focus_list=row, position=position, text=text)
            for sub_position, sub in enumerate(subs, start=1):
                focus_item.objects.create(focus_list=row, parent=parent, position=sub_position, text=sub)
    for group, names in TAGS.items():
        for position, name in enumerate(names, start=1):
            tag.objects.get_or_create(group=group, name=name, defaults={"position": position})
