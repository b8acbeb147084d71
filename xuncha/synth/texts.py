"""Plausible Chinese text for synthetic data: place names, problems, records, reports.

Fragments are combined by the generators with a seeded ``random.Random``, so the same seed always
gives the same words. The person-name alphabets and the department list come from the demo county
(``accounts.demo``), so the two data sets read alike.
"""

from __future__ import annotations

import random

from xuncha.accounts.demo import GIVEN, SURNAMES

# --- places --------------------------------------------------------------------------------------

_PLACE_HEADS = "安宁平和泰丰永兴长清新青广东西南北金云龙凤河白石桃柳松溪华德民嘉福盛顺乐康定通阳"
_PLACE_TAILS = "阳山江川水城原州宁丰平安台溪源林泉桥坪湖岭川口"


def place_name(index: int) -> str:
    """A distinct two-character name for every index below 40 × 27 (then a numeral suffix)."""
    base = len(_PLACE_HEADS) * len(_PLACE_TAILS)
    head, tail = divmod(index % base, len(_PLACE_TAILS))
    suffix = "" if index < base else str(index // base + 1)
    return f"{_PLACE_HEADS[head]}{_PLACE_TAILS[tail]}{suffix}"


TOWN_WORDS = ["城关", "青山", "河口", "石桥", "柳林", "东坝", "白沙", "马坪", "龙泉", "新店", "高桥", "双河", "黄土"]
VILLAGE_WORDS = ["石门", "松林", "桃园", "上坝", "渡口", "沙洲", "李家湾", "白马", "红旗", "新建", "杨庄", "前进"]
VILLAGE_WORDS += ["金星", "团结", "高家", "王家坪", "枫树", "大湾", "水井", "茶园", "竹林", "凉水", "岩口", "梨树"]


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


# --- rounds and teams ---------------------------------------------------------------------------

FOCUS_LISTS = ["四个落实", "三个聚焦", "四个落实（含巡察整改）"]
THEMES = [
    "惠民惠农财政补贴资金管理",
    "医保基金使用",
    "乡村振兴衔接资金使用",
    "工程建设项目招投标",
    "国有资产管理",
    "群众身边不正之风和腐败问题",
    "集体“三资”管理",
]
BRIEFINGS = [
    ("discipline", "县纪委监委关于被巡察单位党风廉政建设和信访举报情况的通报"),
    ("organisation", "县委组织部关于被巡察单位领导班子和干部队伍建设情况的通报"),
    ("audit", "县审计局关于被巡察单位近三年审计发现问题的通报"),
    ("petition", "县信访局关于被巡察单位信访情况的通报"),
]
APPRAISALS = ["优秀", "称职", "称职", "称职", "基本称职"]

# --- working papers -----------------------------------------------------------------------------

PROBLEMS = [
    ("贯彻落实党中央决策部署不到位", "党的领导"),
    ("落实意识形态工作责任制不到位", "党的领导"),
    ("“三重一大”事项集体决策制度执行不严", "党的领导"),
    ("违规发放津贴补贴", "全面从严治党"),
    ("公务接待超标准", "全面从严治党"),
    ("公务用车管理不规范", "全面从严治党"),
    ("惠农补贴发放台账与银行流水不一致", "全面从严治党"),
    ("工程项目未经招标直接发包", "全面从严治党"),
    ("专项资金挤占挪用", "全面从严治党"),
    ("村级财务公开不及时", "全面从严治党"),
    ("集体资产出租未公开竞价", "全面从严治党"),
    ("低保评定优亲厚友", "全面从严治党"),
    ("干部选拔任用程序不规范", "选人用人"),
    ("干部人事档案管理不严", "选人用人"),
    ("基层党组织“三会一课”制度落实不到位", "基层党组织建设"),
    ("党费收缴不规范", "基层党组织建设"),
    ("发展党员程序不规范", "基层党组织建设"),
    ("上轮巡察反馈问题整改不彻底", "巡察整改"),
    ("审计发现问题整改不到位", "巡察整改"),
]
PLACES_IN_UNIT = ["办公室", "财务室", "党政办", "会议室", "项目现场", "村委会", "财政所", "综合办"]
BASES = [
    "《中国共产党纪律处分条例》第一百零四条",
    "《党政机关厉行节约反对浪费条例》相关规定",
    "《中华人民共和国招标投标法》第三条",
    "《农村基层组织工作条例》相关规定",
    "《党政领导干部选拔任用工作条例》相关规定",
    "《中国共产党支部工作条例（试行）》相关规定",
]
RESPONSIBILITY = [
    "单位党组织落实全面从严治党主体责任不力，主要负责人履行第一责任人职责不到位。",
    "分管领导履行“一岗双责”不到位，对分管领域问题失察。",
    "纪检监察组织履行监督责任不到位，日常监督流于形式。",
]
MEETING_OPINIONS = ["组务会研究认为事实清楚、证据充分，同意。", "同意，请补充相关凭证后签发。", "同意。"]
EVIDENCE = ["会计凭证复印件", "银行流水", "会议记录", "谈话笔录", "项目合同", "发放花名册", "现场照片"]
FIX_REQUIREMENTS = [
    "立即停止违规行为，并于期限内全额清退。",
    "立即整改，完善相关制度并报送整改情况。",
    "限期公开相关信息，接受群众监督。",
]
FIX_RESPONSES = ["已停止发放并清退全部款项。", "已完善制度并组织全体干部学习。", "已在村务公开栏补充公开。"]


def paper_title(rng: random.Random) -> tuple[str, str]:
    return rng.choice(PROBLEMS)


def paper_facts(rng: random.Random, unit: str, person: str, amount: float | None) -> str:
    year = rng.choice(("2021", "2022", "2023", "2024", "2025", "2026"))
    money = f"涉及金额{amount:,.2f}元。" if amount else ""
    return (
        f"{year}年{rng.randint(1, 12)}月至{rng.randint(1, 12)}月，{unit}{rng.choice(PLACES_IN_UNIT)}"
        f"经{person}同意，{rng.choice(('未按规定程序', '未经集体研究', '以会议费名义', '以劳务费名义'))}"
        f"{rng.choice(('支出', '发放', '拨付', '报销'))}相关款项{rng.randint(2, 40)}笔。{money}"
    )


# --- field records ------------------------------------------------------------------------------

INTERVIEW_CATEGORIES = [
    ("main_leader", "与党组织主要负责人个别谈话"),
    ("leadership", "与领导班子成员个别谈话"),
    ("leadership", "与领导班子成员个别谈话"),
    ("discipline", "与纪检监察负责人个别谈话"),
    ("organisation", "与组织人事负责人个别谈话"),
    ("middle", "与中层干部个别谈话"),
    ("cadre", "与一般干部职工个别谈话"),
    ("retired", "与离退休干部个别谈话"),
    ("public", "与群众代表谈话"),
]
INTERVIEW_CONTENT = "谈话对象介绍了本单位落实全面从严治党主体责任、干部队伍建设和作风建设情况，反映了{}等问题。"
DOCUMENT_TITLES = ["调阅近三年会计凭证及账簿", "调阅党组会议记录和“三重一大”决策记录", "调阅干部人事档案"]
DOCUMENT_TITLES += ["调阅工程项目招投标资料", "调阅补贴发放台账"]
VISIT_TITLES = ["实地走访项目现场", "走访村（社区）便民服务中心", "实地查看集体资产出租情况"]
OTHER_RECORDS = [("special_check", "财务专项检查"), ("questionnaire", "民主测评和问卷调查")]
PROVIDERS = ["财务室", "办公室", "组织人事股", "项目办"]

# --- reports from the public --------------------------------------------------------------------

REPORT_WHAT = [
    "{unit}在低保评定中优亲厚友，有不符合条件的干部亲属享受低保。",
    "{unit}的工程项目施工方是领导亲戚，质量很差，刚修好就坏了。",
    "{unit}惠农补贴发放迟缓，部分群众至今未领到。",
    "{unit}领导经常公车私用，周末也开去钓鱼。",
    "{unit}集体土地出租价格明显偏低，租给了干部亲属。",
    "{unit}办事要托关系，不送礼就拖着不办。",
    "{unit}账目不公开，群众看不到钱花在哪里。",
]
REPORT_PEOPLE = ["主要负责人", "分管副职", "财务人员", "村委会主任", "报账员", "办公室主任"]
TEAM_QUESTIONS = [
    "请问具体是哪一年的事？是否有相关材料？",
    "请问涉及的大约金额是多少？",
    "能否提供更具体的时间和地点？",
]
REPORTER_ANSWERS = ["大概是前年的事，我有照片可以补充。", "金额不清楚，村里很多人都知道。", "就在村东头，去年秋天。"]
