"""The office's pages: rounds to evaluate, a round's surveys, the sheet of links, a team's results."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuncha.accounts.decorators import perm_required
from xuncha.accounts.permissions import Perm, access_scoped
from xuncha.appraisal import selectors, services
from xuncha.appraisal.forms import GradeForm, HandleForm, OpenForm
from xuncha.appraisal.models import Survey, TeamAppraisal
from xuncha.appraisal.qr import qr_svg
from xuncha.common.pagination import paginate
from xuncha.common.views_helpers import form_action, post_action, post_form_action
from xuncha.plans.access import access_member, access_round, access_target, access_team
from xuncha.plans.services.pool import APPRAISAL_GRADES

CODE = Perm.SURVEY_MANAGE


def _survey(user, pk) -> Survey:
    qs = Survey.objects.select_related("target__unit", "target__round__jurisdiction", "team", "questionnaire")
    return access_scoped(user, CODE, qs, pk)


def answer_url(token: str) -> str:
    path = reverse("appraisal_public:answer", args=[token])
    return settings.XUNCHA_PUBLIC_BASE_URL.rstrip("/") + path


@require_GET
@perm_required(CODE)
def index(request):
    page = paginate(request, selectors.round_list(user=request.user))
    flagged = selectors.flagged_appraisals(user=request.user).select_related("team__round").order_by("pk")[:50]
    return render(request, "appraisal/index.html", {"page": page, "flagged": flagged})


@require_GET
def round_detail(request, pk):
    rnd = access_round(request.user, pk, CODE)
    ctx = {"round": rnd, "teams": selectors.round_overview(round_obj=rnd)}
    return render(request, "appraisal/round_detail.html", ctx)


@require_http_methods(["GET", "POST"])
def survey_open(request, pk):
    target = access_target(request.user, pk, CODE)
    form = OpenForm(request.POST or None)
    ok, survey = form_action(request, form, lambda d: services.survey_open(actor=request.user, target=target, **d))
    if ok:
        messages.success(request, _("已开展巡后评估，请打印测评链接和二维码，在反馈会议上发放。"))
        return redirect("appraisal:survey_sheet", survey.pk)
    back = reverse("appraisal:round_detail", args=[target.round_id])
    return render(request, "appraisal/survey_open.html", {"form": form, "target": target, "back": back})


@require_GET
def survey_sheet(request, pk):
    survey = _survey(request.user, pk)
    services.sheet_record(actor=request.user, survey=survey)
    urls = [answer_url(t.token) for t in selectors.sheet_tokens(survey)]
    rows = [{"url": url, "qr": qr_svg(url)} for url in urls]
    ctx = {"survey": survey, "rows": rows, "answered": survey.answers.count()}
    return render(request, "appraisal/survey_sheet.html", ctx)


@require_POST
def survey_close(request, pk):
    survey = _survey(request.user, pk)
    return post_action(
        request,
        lambda: services.survey_close(actor=request.user, survey=survey),
        _("测评已结束，未使用的链接已失效。"),
        reverse("appraisal:round_detail", args=[survey.target.round_id]),
    )


@require_GET
def team_detail(request, pk):
    team = access_team(request.user, pk, CODE)
    live = selectors.team_live(team)
    members = team.members.select_related("person").order_by("role", "pk")
    ctx = {
        "team": team,
        "live": live,
        "appraisal": TeamAppraisal.objects.filter(team=team).select_related("handled_by", "computed_by").first(),
        "aspects": selectors.aspect_results(team),
        "items": selectors.item_results(team),
        "comments": paginate(request, selectors.comments(team)),
        "surveys": team.surveys.select_related("target__unit").order_by("target__unit__path"),
        "members": members,
        "grades": APPRAISAL_GRADES,
        "handle_form": HandleForm(),
    }
    return render(request, "appraisal/team_detail.html", ctx)


def _team_url(team) -> str:
    return reverse("appraisal:team_detail", args=[team.pk])


@require_POST
def team_compute(request, pk):
    team = access_team(request.user, pk, CODE)
    return post_action(
        request,
        lambda: services.team_appraisal_compute(actor=request.user, team=team),
        _("已按当前数据完成评定。"),
        _team_url(team),
    )


@require_POST
def team_handle(request, pk):
    qs = TeamAppraisal.objects.select_related("team__round__jurisdiction")
    appraisal = access_scoped(request.user, CODE, qs, pk)
    return post_form_action(
        request,
        HandleForm(request.POST),
        lambda d: services.team_appraisal_handle(actor=request.user, appraisal=appraisal, **d),
        _("已记录处理情况。"),
        _team_url(appraisal.team),
    )


@require_POST
def member_grade(request, pk):
    member = access_member(request.user, pk, CODE)
    return post_form_action(
        request,
        GradeForm(request.POST),
        lambda d: services.member_grade(actor=request.user, member=member, **d),
        _("已保存%(name)s的考核等次。") % {"name": member.person.name},
        _team_url(member.team),
    )
