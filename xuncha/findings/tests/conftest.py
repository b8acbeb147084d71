import pytest

from xuncha.findings.tests.factories import findings_site, problem, walk, written


@pytest.fixture
def site(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return findings_site(world)


@pytest.fixture
def approved(site, world):
    """Two problems for the town and its inspection report approved by the secretary's meeting."""
    from xuncha.findings.models import DraftKind
    from xuncha.findings.services import reports as report_services

    problem(site, title="违规发放津贴补贴", description="2025年违规发放补贴3.2万元。")
    problem(site, item=2, title="选人用人不规范", description="2024年提拔干部未经民主推荐。")
    report = report_services.draft_create(
        actor=site["users"]["member"],
        team=site["team"],
        kind=DraftKind.INSPECTION,
        target=site["target"],
        sections=written("inspection"),
    )
    return walk(report, site, world, until="approve")
