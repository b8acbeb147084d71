from django import forms
from django.utils.translation import gettext_lazy as _

from xuncha.appraisal.models import Scale
from xuncha.appraisal.scoring import SCALE_OPTIONS
from xuncha.appraisal.services.surveys import MAX_COMMENT, MAX_TOKENS
from xuncha.common.forms import DateInput, StyledFormMixin
from xuncha.plans.services.pool import APPRAISAL_GRADES


class OpenForm(StyledFormMixin, forms.Form):
    count = forms.IntegerField(
        label=_("发放份数"),
        min_value=1,
        max_value=MAX_TOKENS,
        help_text=_("一般按参加反馈会议的该单位人数确定。每份对应一个一次性链接和二维码。"),
    )


class QuestionnaireForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("问卷名称"), max_length=100)
    scale = forms.ChoiceField(label=_("评价方式"), choices=Scale.choices)
    structure = forms.CharField(
        label=_("评价方面和项目"),
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("每个评价方面写成一段：第一行是方面名称，以下每行一个评价项目；段与段之间空一行。"),
    )
    comment_prompt = forms.CharField(label=_("意见建议提示语"), max_length=200, required=False)


class RuleForm(StyledFormMixin, forms.Form):
    w_survey = forms.IntegerField(label=_("问卷测评权重"), min_value=0, max_value=100)
    w_problems = forms.IntegerField(label=_("发现问题权重"), min_value=0, max_value=100)
    w_cases = forms.IntegerField(label=_("线索成案权重"), min_value=0, max_value=100)
    w_rectify = forms.IntegerField(label=_("整改完成率权重"), min_value=0, max_value=100)
    problems_per_unit = forms.IntegerField(
        label=_("每个单位发现问题基准数"), min_value=1, max_value=100, help_text=_("达到该数即得满分。")
    )
    cases_target = forms.IntegerField(
        label=_("线索立案审查基准数"), min_value=1, max_value=100, help_text=_("每组达到该数即得满分。")
    )
    threshold = forms.IntegerField(
        label=_("预警分数线"), min_value=1, max_value=100, help_text=_("综合得分低于该分数时提示巡察办主任。")
    )


class HandleForm(StyledFormMixin, forms.Form):
    handled_on = forms.DateField(label=_("谈话日期"), widget=DateInput())
    note = forms.CharField(
        label=_("处理情况"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("谈话对象、方式（谈话提醒、约谈等）和提出的要求。"),
    )


class GradeForm(StyledFormMixin, forms.Form):
    grade = forms.ChoiceField(label=_("考核等次"), choices=[(g, g) for g in APPRAISAL_GRADES])
    note = forms.CharField(label=_("考核评语"), max_length=200, required=False)


class AnswerForm(forms.Form):
    """Built from the survey's questionnaire: one radio group per item, then the comment."""

    def __init__(self, *args, questionnaire, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(v), label) for v, label in SCALE_OPTIONS[questionnaire.scale]]
        self.aspects = []
        for aspect in questionnaire.aspects.all():
            names = []
            for item in aspect.items.all():
                name = f"item_{item.pk}"
                self.fields[name] = forms.ChoiceField(
                    label=item.text,
                    choices=choices,
                    widget=forms.RadioSelect,
                    error_messages={"required": _("请选择。")},
                )
                names.append(name)
            self.aspects.append((aspect.name, names))
        self.fields["comment"] = forms.CharField(
            label=questionnaire.comment_prompt or _("意见建议（选填）"),
            widget=forms.Textarea(attrs={"rows": 4}),
            max_length=MAX_COMMENT,
            required=False,
        )

    def grouped(self):
        return [(name, [self[n] for n in names]) for name, names in self.aspects]

    def values(self) -> dict[int, int]:
        d = self.cleaned_data
        return {int(k.removeprefix("item_")): int(v) for k, v in d.items() if k.startswith("item_")}
