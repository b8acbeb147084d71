"""Demo fieldwork for the round on site: interviews (held and planned), a document request, a
site visit, and working papers in every state, one with an immediate-fix notice answered."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from xuncha.common.actors import SYSTEM
from xuncha.common.demo import demo_part
from xuncha.fieldwork import services
from xuncha.fieldwork.models import RecordKind, WorkingPaper
from xuncha.plans.models import Round, RoundState, TeamRole


def _pdf(title: str) -> SimpleUploadedFile:
    """A small real PDF (one page with a line of text) standing in for scanned evidence."""
    text = title.encode("ascii", "ignore") or b"evidence"
    stream = b"BT /F1 12 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>",
        b"<</Length %d>>stream\n" % len(stream) + stream + b"\nendstream",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
    ]
    body, offsets = b"%PDF-1.4\n", []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    body += b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return SimpleUploadedFile(f"{title}.pdf", body, content_type="application/pdf")


def fieldwork_seeded(county) -> bool:
    return WorkingPaper.objects.filter(team__round__jurisdiction=county).exists()


@transaction.atomic
def seed_fieldwork(county) -> dict[str, int]:
    rnd = Round.objects.filter(jurisdiction=county, state=RoundState.ON_SITE).order_by("-year", "-number").first()
    if rnd is None:
        return {"records": 0, "papers": 0}
    team = rnd.teams.order_by("number").first()
    town = team.targets.select_related("unit").order_by("unit__path").first()
    members = {m.role: m.person for m in team.members.select_related("person")}
    leader, liaison = members[TeamRole.LEADER], members[TeamRole.LIAISON]
    interviewers = [leader, liaison]
    start = rnd.entry_date
    main_leader = town.unit.posts.filter(is_main_leader=True, end_date__isnull=True).select_related("person").first()
    records = [
        services.record_create(
            actor=SYSTEM,
            team=team,
            target=town,
            kind=RecordKind.INTERVIEW,
            title="与镇党委书记个别谈话",
            occurred_on=start + timedelta(days=3),
            place="镇政府三楼会议室",
            category="main_leader",
            interviewee=main_leader.person if main_leader else None,
            interviewee_name="" if main_leader else "镇党委书记",
            interviewers=interviewers,
            content="谈话对象介绍了镇党委落实全面从严治党主体责任情况……（记录略）",
            confirmed_on=start + timedelta(days=3),
        ),
        services.record_create(
            actor=SYSTEM,
            team=team,
            target=town,
            kind=RecordKind.INTERVIEW,
            title="与镇纪委书记个别谈话（计划）",
            planned=True,
            category="discipline",
            interviewee_name="镇纪委书记",
        ),
        services.record_create(
            actor=SYSTEM,
            team=team,
            target=town,
            kind=RecordKind.DOCUMENTS,
            title="调阅2024—2025年会计凭证及补贴发放台账",
            occurred_on=start + timedelta(days=5),
            provider="镇财政所",
            handed_over_on=start + timedelta(days=5),
            content="共调阅凭证12册、台账3本。",
        ),
        services.record_create(
            actor=SYSTEM,
            team=team,
            target=town,
            kind=RecordKind.VISIT,
            title="实地走访石门村高标准农田项目",
            occurred_on=start + timedelta(days=8),
            place="石门村",
            content="项目已完工，部分沟渠存在质量问题。",
        ),
    ]
    papers = _papers(team, town, leader, liaison, records)
    return {"records": len(records), "papers": len(papers)}


def _papers(team, town, leader, liaison, records):
    def paper(title, facts, amount=None):
        p = services.paper_create(
            actor=SYSTEM,
            team=team,
            target=town,
            title=title,
            facts=facts,
            basis="《中国共产党纪律处分条例》相关规定；《示例县财政专项资金管理办法》",
            resp_principal=True,
            resp_first=True,
            amount=amount,
            finder=liaison,
            writer=liaison,
            occurred="2024年3月至2025年6月",
            place=town.unit.name,
            sources=records[:1],
        )
        services.paper_evidence_add(
            actor=SYSTEM,
            paper=p,
            uploads=[_pdf(f"evidence-{p.number}")],
            description="相关凭证及会议记录",
            effective_date=date(2025, 6, 30),
        )
        return p

    draft = services.paper_create(
        actor=SYSTEM, team=team, target=town, title="村级财务公开不及时（草稿）", writer=liaison
    )
    submitted = paper(
        "惠农补贴发放台账与银行流水不一致", "2024年度耕地地力保护补贴台账与银行代发流水相差4户共1.26万元。", "12600.00"
    )
    services.paper_transition(obj=submitted, action="submit", actor=SYSTEM)
    approved = paper("违规发放加班补贴", "2025年1月至6月，镇党政办以加班为名向工作人员发放补贴3.2万元。", "32000.00")
    services.paper_transition(obj=approved, action="submit", actor=SYSTEM)
    services.paper_transition(
        obj=approved, action="approve", actor=SYSTEM, data={"comment": "组务会研究认为事实清楚、证据充分，同意。"}
    )
    signed = paper("高标准农田项目工程质量不达标", "石门村高标准农田项目沟渠混凝土强度不达标，验收流于形式。")
    for action, data in (("submit", {}), ("approve", {"comment": "同意。"}), ("sign", {})):
        services.paper_transition(obj=signed, action=action, actor=SYSTEM, data=data)
    notice = services.fix_issue(
        actor=SYSTEM,
        paper=approved,
        requirement="立即停止违规发放，并于期限内全额清退。",
        due_on=team.round.entry_date + timedelta(days=30),
        issued_on=team.round.entry_date + timedelta(days=12),
    )
    services.fix_respond(actor=SYSTEM, notice=notice, response="已停止发放，清退2.1万元，其余部分正在追缴。")
    return [draft, submitted, approved, signed]


demo_part(
    order=20,
    seeded=fieldwork_seeded,
    seed=seed_fieldwork,
    message="已建立现场工作记录 {records} 条、问题底稿 {papers} 份。",
)
