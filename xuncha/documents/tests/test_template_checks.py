"""Issue 16, finding 6: an uploaded template is checked in every branch, under resource limits.

A payload or a misspelt field behind an ``{% if %}`` that the sample does not take used to pass the
upload and fail only when documents were generated, breaking that kind for the whole county; and a
loop over ``range(10**8)`` was refused as "cannot parse". Now the template's every branch is read
without running it (names, attributes, calls, filters), it is rendered with several variants of
the sample (all filled in, all blank, no list items) under limits of time, loop iterations and
output, and the result goes through the GB/T 9704 check; each refusal says what is wrong.
"""

from __future__ import annotations

import sys
import time
import types
from dataclasses import dataclass

import pytest
from django.urls import reverse
from jinja2 import nodes

from xuncha.audit.models import AuditEntry
from xuncha.common.exceptions import ServiceError
from xuncha.documents import registry, validation
from xuncha.documents.kinds import SPECS, DocumentKind
from xuncha.documents.limits import RenderLimitExceeded, RenderLimits
from xuncha.documents.models import DocumentTemplate
from xuncha.documents.rendering import load_template, render_docx, template_sources
from xuncha.documents.sandbox import document_env
from xuncha.documents.services import document_template_upload
from xuncha.documents.tests.docx_checks import body_text, open_docx
from xuncha.documents.tests.factories import replace_text, upload
from xuncha.documents.tests.test_sandbox import _template
from xuncha.files.models import StoredFile
from xuncha.plans.documents.exports import team_authorisation_export

AUTH = DocumentKind.TEAM_AUTHORISATION
NEVER = "{% if team.number > 99 %}"  # false with the sample and with every variant of it
LOOP_MESSAGE = "模板循环次数超过上限（100000次），请检查 for 循环。"


def _titled(title: str) -> bytes:
    return replace_text(AUTH, "巡察授权书", title)


def _refusal(data: bytes, kind: str = AUTH) -> ServiceError:
    with pytest.raises(ServiceError) as refused:
        validation.check_template(kind, data, name="授权书.docx")
    return refused.value


def _upload_refused(docs, data: bytes) -> str:
    with pytest.raises(ServiceError) as refused:
        document_template_upload(actor=docs.a["office"], kind=AUTH, jurisdiction=docs.a["county"], upload=upload(data))
    assert not DocumentTemplate.objects.exists() and not StoredFile.objects.exists()
    return " ".join(refused.value.messages)


# --- (a) what no sample render reaches is read anyway ---------------------------------------------


@pytest.mark.parametrize(
    "hidden",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ team.__class__ }}",
        "{{ ''|attr('__class__') }}",
        "{{ groups|map(attribute='__class__')|list }}",
        "{% for c in ().__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
    ],
)
def test_a_payload_behind_an_untaken_if_is_refused_at_upload(docs, hidden):
    message = _upload_refused(docs, _titled(f"{NEVER}{hidden}{{% endif %}}巡察授权书"))
    assert "不允许的写法" in message


def test_the_image_in_a_context_is_opaque_in_every_branch(db):
    kind = DocumentKind.ANNOUNCEMENT
    data = replace_text(kind, "二、受理时间", f"{NEVER}{{{{ report_qr.tpl }}}}{{% endif %}}二、受理时间")
    assert _refusal(data, kind).code == "template_unsafe"


def test_the_payload_is_refused_even_behind_a_name_that_does_not_exist(db):
    refused = _refusal(_titled("{% if never_true %}{{ ''.__class__.__mro__ }}{% endif %}巡察授权书"))
    assert refused.code == "template_unsafe"


@pytest.mark.parametrize(
    ("hidden", "named"),
    [
        ("{{ no_such_field }}", "no_such_field"),
        ("{{ team.nmae }}", "team.nmae"),  # a misspelt attribute of a real field
        ("{% for t in targets %}{{ t.untis }}{% endfor %}", "t.untis"),  # of a list's items
        ("{{ round.name.bogus }}", "round.name.bogus"),
    ],
)
def test_an_unknown_field_in_an_untaken_branch_is_refused(db, hidden, named):
    refused = _refusal(_titled(f"{NEVER}{hidden}{{% endif %}}巡察授权书"))
    assert refused.code == "template_field"
    assert "系统不提供的字段" in refused.messages[0] and named in refused.messages[0]
    assert "巡察授权书" in refused.messages[0]  # where: the paragraph it is in


@pytest.mark.parametrize(
    ("hidden", "code"),
    [
        ("{{ team.full_name.encode() }}", "template_call"),  # a method outside the whitelist
        ("{{ targets() }}", "template_call"),  # data is not callable
        ("{{ team.full_name|no_such_filter }}", "template_filter"),
        ("{% if team is no_such_test %}x{% endif %}", "template_filter"),
        ("{% include 'other.xml' %}", "template_unsafe"),
        ("{% for t in targets recursive %}{{ loop(t.children) }}{% endfor %}", "template_unsafe"),
        ("{% for i in range(10**8) %}x{% endfor %}", "template_limit_loops"),
        ("{% for i in range(1000) %}{% for j in range(1000) %}x{% endfor %}{% endfor %}", "template_limit_loops"),
    ],
)
def test_other_faults_in_an_untaken_branch_are_refused(db, hidden, code):
    assert _refusal(_titled(f"{NEVER}{hidden}{{% endif %}}巡察授权书")).code == code


def test_what_a_template_assigns_itself_is_not_a_missing_field(db):
    own = (
        "{% set ns = namespace(n=0) %}{% for t in targets %}{% set ns.n = ns.n + 1 %}{% endfor %}"
        "{% macro line(x) %}{{ x|upper }}{% endmacro %}{{ line(team.full_name) }}{{ ns.n }}"
        "{% for k, v in team.items() %}{{ k }}{{ v }}{{ loop.index }}{% endfor %}巡察授权书"
    )
    validation.check_template(AUTH, _titled(own))


# --- (b) the limits, each with its own message ---------------------------------------------------


def test_a_loop_over_range_ten_to_the_eight_is_refused_quickly_as_a_loop_limit(docs):
    start = time.monotonic()
    message = _upload_refused(docs, _titled("{% for i in range(10**8) %}x{% endfor %}巡察授权书"))
    assert time.monotonic() - start < 5
    assert LOOP_MESSAGE in message and "无法解析" not in message


def test_loops_counted_while_rendering_stop_at_the_limit(docs):
    # Not constant, so only the render can count it: 60000 + 2 × 60000 iterations.
    nested = "{% for i in range(team.number * 60000) %}{% for j in range(2) %}{% endfor %}{% endfor %}巡察授权书"
    start = time.monotonic()
    message = _upload_refused(docs, _titled(nested))
    assert time.monotonic() - start < 5
    assert LOOP_MESSAGE in message


def test_a_template_producing_huge_output_is_refused_with_the_output_message(docs):
    text = "这是反复出现的一段很长的文字。" * 40
    message = _upload_refused(docs, _titled(f"{{% for i in range(team.number * 50000) %}}{text}{{% endfor %}}"))
    assert "模板生成的内容超过上限" in message and "MB" in message


@pytest.mark.parametrize(
    "expression",
    [
        "'x' * 10**8",
        "'x'.center(10**8)",
        "'x'|center(10**8)",
        "'%100000000d'|format(1)",
        "'%100000000d' % 1",
        "'{:>100000000}'.format(1)",
        "('x' * 100000)|replace('x', 'x' * 1000)",
        "(['x' * 100000] * 1000)|join",
        # a list of references is small in memory and huge printed: every way of printing it
        "['x' * 100000] * 1000",
        "[['x' * 100000] * 1000] * 1000",
        "'' ~ (['x' * 100000] * 1000)",
        "(['x' * 100000] * 1000)|string",
        "(['x' * 100000] * 1000)|map('string')|join",
        "([{'a': 'x' * 100000}] * 1000)|join(attribute='a')",
        "'{}'.format(['x' * 100000] * 1000)",
        "'%s' % ([['x' * 100000] * 1000],)",
    ],
)
def test_one_expression_cannot_build_a_huge_string(db, expression):
    start = time.monotonic()
    refused = _refusal(_titled(f"{{{{ {expression} }}}}巡察授权书"))
    assert refused.code == "template_limit_output", refused.messages
    assert time.monotonic() - start < 5


@pytest.mark.parametrize("expression", ["10 ** 5000", "(10 ** 900) * (10 ** 900)", "(2 ** 3000) ** 2"])
def test_a_huge_number_is_refused(db, expression):
    refused = _refusal(_titled(f"{{{{ {expression} }}}}巡察授权书"))
    assert refused.code == "template_limit_number" and "数字" in refused.messages[0]


def test_the_time_limit_stops_a_render_that_keeps_working(db):
    # 90000 iterations of string work: under the loop limit, but more than 0.2 s.
    busy = "{% for i in range(90000) %}{{ ('第' ~ i ~ '项')|replace('项', '条')|upper|length }}{% endfor %}"
    start = time.monotonic()
    with pytest.raises(RenderLimitExceeded) as stopped:
        render_docx(_template(busy), {}, limits=RenderLimits(seconds=0.2))
    assert time.monotonic() - start < 2
    assert stopped.value.limit == "time" and "时间上限" in stopped.value.message


def test_the_limits_hold_for_every_render_not_only_the_check():
    env = document_env(limits=RenderLimits(loop_iterations=10))
    with pytest.raises(RenderLimitExceeded):
        env.from_string("{% for i in range(6) %}{% for j in range(2) %}{% endfor %}{% endfor %}").render()
    assert document_env().from_string("{{ range(3)|list|length }}").render() == "3"


# --- a good template is accepted ------------------------------------------------------------------


def test_a_reworded_default_template_is_accepted_and_generates_documents(docs):
    reworded = replace_text(
        AUTH,
        "三、授权期限",
        "三、授权期限及要求",
    )
    row = document_template_upload(
        actor=docs.a["office"], kind=AUTH, jurisdiction=docs.a["county"], upload=upload(reworded)
    )
    assert row.active
    text = body_text(open_docx(team_authorisation_export(actor=docs.a["office"], team=docs.a["team"]).content))
    assert "三、授权期限及要求" in text and docs.a["team"].round.name in text


@pytest.mark.parametrize("kind", list(SPECS), ids=str)
def test_every_default_template_passes_every_check(db, kind):
    validation.check_template(kind, SPECS[kind].default_path.read_bytes())


# --- the variants reach every branch of the default templates --------------------------------------


@dataclass
class _Marked:
    """A template whose every ``if`` branch writes a marker when taken."""

    markers: set[str]


def _mark_branches(env, source: str) -> tuple[object, set[str]]:
    tree = env.parse(source)
    markers: set[str] = set()
    for number, branch in enumerate(tree.find_all(nodes.If)):
        for side, body in (("then", branch.body), ("else", branch.else_)):
            marker = f"@@if{number}-{side}@@"
            markers.add(marker)
            body.insert(0, nodes.Output([nodes.TemplateData(marker)]))
        if branch.elif_:  # an elif is one more If in elif_; its else belongs to the outer else
            pytest.fail("the default templates use no elif; extend _mark_branches if they do")
    code = env.compile(tree)
    return env.template_class.from_code(env, code, env.make_globals(None), None), markers


@pytest.mark.parametrize("kind", list(SPECS), ids=str)
def test_the_sample_variants_take_every_branch_of_the_default_template(db, kind):
    sample = registry.sample_context(kind)
    sources = template_sources(load_template(str(SPECS[kind].default_path)))
    for source in sources:
        env = document_env()
        template, markers = _mark_branches(env, source.text)
        taken: set[str] = set()
        for variant in validation.sample_variants(sample):
            taken |= {m for m in markers if m in template.render(variant.context)}
        assert taken == markers, f"{kind} {source.part}: branches never taken: {sorted(markers - taken)}"


# --- the upload page, the audit and the conformance check ---------------------------------------


def test_a_refusal_shows_in_the_form_leaves_nothing_and_is_audited(client, docs, media):
    client.force_login(docs.a["office"])
    data = {
        "kind": AUTH.value,
        "jurisdiction": docs.a["county"].pk,
        "upload": upload(_titled(f"{NEVER}{{{{ no_such_field }}}}{{% endif %}}巡察授权书")),
    }
    response = client.post(reverse("documents:template_list"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "系统不提供的字段" in page and "no_such_field" in page
    assert not DocumentTemplate.objects.exists() and not StoredFile.objects.exists()
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))
    entry = AuditEntry.objects.get(action="documents.template.refused")
    assert entry.actor_id == docs.a["office"].pk
    assert entry.after["kind"] == AUTH.value and entry.after["code"] == "template_field"
    assert "no_such_field" in entry.after["reason"] and len(entry.after["sha256"]) == 64


@dataclass(frozen=True)
class _Fault:
    rule: str
    message: str


@dataclass(frozen=True)
class _Report:
    faults: list[_Fault]

    @property
    def ok(self) -> bool:
        return not self.faults


def test_a_template_whose_result_breaks_gbt_9704_is_refused(db, monkeypatch):
    seen = []

    def check(data: bytes, *, kind: str) -> _Report:
        seen.append((kind, data[:2]))
        return _Report([_Fault("title.font", "标题应使用二号小标宋体字"), _Fault("margin.top", "天头应为37 mm")])

    fake = types.ModuleType("xuncha.documents.conformance")
    fake.check = check  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "xuncha.documents.conformance", fake)
    refused = _refusal(SPECS[AUTH].default_path.read_bytes())
    assert refused.code == "template_format"
    assert "GB/T 9704" in refused.messages[0] and "标题应使用二号小标宋体字" in refused.messages[0]
    assert seen == [(AUTH, b"PK")]  # the rendered sample, a .docx


def test_without_the_conformance_module_the_check_is_skipped(monkeypatch):
    monkeypatch.setitem(sys.modules, "xuncha.documents.conformance", None)  # import fails
    assert validation._conformance_faults(b"PK", AUTH) == []
