"""The default questionnaire (seeded by migration 0002; a jurisdiction publishes its own versions)."""

DEFAULT_TITLE = "巡察组巡后评估测评表"
DEFAULT_SCALE = "grade"
DEFAULT_COMMENT_PROMPT = "您对巡察组还有什么意见和建议？（选填）"
DEFAULT_ASPECTS: list[tuple[str, list[str]]] = [
    (
        "纪律作风",
        [
            "严格遵守中央八项规定及其实施细则精神，无违规接受宴请、收受礼品礼金等情况",
            "严格遵守保密纪律，不泄露巡察工作秘密",
            "不干预被巡察单位正常工作，不超越职权办事",
        ],
    ),
    (
        "工作作风",
        [
            "深入基层、深入群众，工作扎实细致",
            "实事求是，不搞形式主义，不给基层增加负担",
            "态度端正，沟通得当，尊重被巡察单位干部群众",
        ],
    ),
    (
        "工作质量",
        [
            "发现问题精准，反馈问题客观、准确",
            "整改意见和建议有针对性、可操作",
            "依规依纪依法开展工作，程序规范",
        ],
    ),
    (
        "廉洁自律",
        [
            "严格执行食宿、交通等标准，不给被巡察单位增加负担",
            "无利用巡察工作谋取私利等情况",
        ],
    ),
]


def load_default(questionnaire_model, aspect_model, item_model) -> None:
    """Create version 1 of the default questionnaire unless it exists (models passed in, so the data
    migration can use its historical models)."""
    if questionnaire_model.objects.filter(jurisdiction__isnull=True).exists():
        return
    q = questionnaire_model.objects.create(
        jurisdiction=None, version=1, title=DEFAULT_TITLE, scale=DEFAULT_SCALE, comment_prompt=DEFAULT_COMMENT_PROMPT
    )
    for a_order, (name, items) in enumerate(DEFAULT_ASPECTS, start=1):
        aspect = aspect_model.objects.create(questionnaire=q, order=a_order, name=name)
        item_model.objects.bulk_create(
            [item_model(aspect=aspect, order=i, text=text) for i, text in enumerate(items, start=1)]
        )
