"""Default Word templates of the planning documents: authorisation, entry notice, announcement.

Built by ``xuncha.documents.build_templates`` with the kernel's helpers and layout (GB/T 9704).
The templates are docxtpl templates: ``{{ name }}`` prints a context value, ``{%p for … %}`` /
``{%p if … %}`` in a paragraph of their own repeat or drop paragraphs.
"""

from __future__ import annotations

from docx.document import Document as DocxDocument

from xuncha.documents import layout
from xuncha.documents.build_parts import closing, header, members, note, para, sub


def team_authorisation(doc: DocxDocument) -> None:
    header(doc)
    para(doc, "巡察授权书", "公文标题")
    para(
        doc,
        "根据《中国共产党巡视工作条例》和{{ committee_short }}巡察工作统一部署，{{ approval }}，"
        "授权{{ team.full_name }}对下列单位党组织开展{{ round.name }}。",
    )
    para(doc, "一、巡察对象", "公文一级标题")
    para(doc, "{%p for t in targets %}")
    para(doc, "{{ t.index }}. {{ t.unit }}（{{ t.mode }}{% if t.theme %}：{{ t.theme }}{% endif %}），{{ t.period }}。")
    para(doc, "{%p endfor %}")
    para(doc, "二、巡察组组成", "公文一级标题")
    members(doc)
    para(doc, "三、授权期限", "公文一级标题")
    para(doc, "授权期限自{{ valid_from }}至{{ valid_to }}，一次一授权，巡察结束后自动失效。")
    para(doc, "四、工作要求", "公文一级标题")
    para(
        doc,
        "巡察组应当严守政治纪律、组织纪律、廉洁纪律和工作纪律，严格执行保密规定，依规依纪依法开展巡察。"
        "被巡察单位党组织应当自觉接受巡察监督，积极支持配合巡察组工作。",
    )
    closing(doc)


def entry_notice(doc: DocxDocument) -> None:
    header(doc)
    para(doc, "关于{{ team.full_name }}进驻开展巡察的通知", "公文标题")
    para(doc, "{{ addressee }}：", "公文主送机关")
    para(
        doc,
        "根据{{ committee_short }}巡察工作统一部署，经{{ committee_short }}巡察工作领导小组批准，"
        "{{ team.full_name }}将于{{ period }}对你单位党组织开展{{ mode }}{% if theme %}（{{ theme }}）{% endif %}。"
        "为做好巡察进驻准备工作，现将有关事项通知如下。",
    )
    para(doc, "一、巡察组组成", "公文一级标题")
    members(doc)
    para(doc, "二、巡察时间", "公文一级标题")
    para(doc, "巡察组于{{ entry }}进驻，{{ exit }}结束巡察。进驻后召开巡察工作动员会，请你单位提前做好会务安排。")
    para(doc, "三、需准备的材料", "公文一级标题")
    sub(
        doc,
        "（一）汇报材料。",
        "你单位党组织落实全面从严治党主体责任和监督责任、贯彻落实党中央和上级党组织决策部署、"
        "落实巡视巡察和审计等监督发现问题整改情况的书面汇报，经主要负责人审定。",
    )
    sub(
        doc,
        "（二）资料清单。",
        "领导班子成员名单及分工、机构设置和人员编制情况、近三年“三重一大”事项决策会议记录、财务会计资料等，"
        "按巡察组提供的资料清单逐项准备。",
    )
    sub(doc, "（三）谈话名单。", "领导班子成员、内设机构和下属单位主要负责人名单，注明职务、分管工作和联系方式。")
    sub(doc, "（四）工作联系人。", "确定一名熟悉情况的同志作为工作联系人，负责与巡察组的日常联络。")
    para(doc, "以上材料请于巡察组进驻时提交。")
    para(doc, "四、联系方式", "公文一级标题")
    para(doc, "巡察组联系人：{{ contact.name }}，联系电话：{{ contact.phone }}。")
    closing(doc)
    # 附注: for the office's dispatch staff, the last day it may arrive; 版记: who else gets it.
    note(doc, "本通知请于{{ notice_due }}前送达")
    layout.record_block(doc, copy_to="{{ team.full_name }}", organ="{{ issuer }}", issued="{{ date }}印发")


def announcement(doc: DocxDocument) -> None:
    title = doc.add_paragraph("{{ team.full_name }}", style="公文标题")
    title.add_run().add_break()  # one title over two lines, not two titles
    title.add_run("关于巡察{{ unit_name }}的公告")
    para(
        doc,
        "根据{{ committee_short }}巡察工作统一部署，{{ team.full_name }}于{{ period }}对{{ unit }}开展"
        "{{ mode }}{% if theme %}（{{ theme }}）{% endif %}。现将有关事项公告如下。",
    )
    para(doc, "一、受理范围", "公文一级标题")
    para(
        doc,
        "巡察期间，巡察组主要受理反映{{ scope }}的来信来电来访。根据分级负责、属地管理的原则，"
        "不属于巡察受理范围的信访问题，将按规定转交被巡察党组织和有关部门处理。",
    )
    para(doc, "二、受理时间", "公文一级标题")
    para(doc, "{{ opens_on }}至{{ closes_on }}。")
    para(doc, "三、受理方式", "公文一级标题")
    para(doc, "举报电话：{{ phone }}")
    for key, label in (("mailbox", "邮政信箱"), ("email", "电子邮箱"), ("address", "来访地址")):
        para(doc, f"{{%p if {key} %}}")
        para(doc, f"{label}：{{{{ {key} }}}}")
        para(doc, "{%p endif %}")
    para(doc, "网上举报：{{ report_url }}（可扫描下方二维码）")
    para(doc, "{{ report_qr }}", "公文居中")
    closing(doc, "{{ signer }}")
