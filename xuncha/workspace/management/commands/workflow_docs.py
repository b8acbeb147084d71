"""Render docs/workflow.md from the state machines in code (so the diagrams never drift).

Usage: python manage.py workflow_docs > docs/workflow.md
       python manage.py workflow_docs --check docs/workflow.md   (fails when out of date)
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from xuncha.workflow.catalogue import diagrams

REGENERATE = "python manage.py workflow_docs > docs/workflow.md"


def _guard_names(t) -> str:
    names = [g.__name__ for g in t.guards]
    if t.comment_required:
        names.append("comment_required")
    return ", ".join(names) or "—"


def render() -> str:
    lines = [
        "# State machines",
        "",
        "Generated from the transition tables in code by `python manage.py workflow_docs`; a test fails when",
        "this file is out of date. Every transition goes through the entity's `<entity>_transition` service,",
        "which locks the row, checks the edge, the permission and the guards, records an event and an audit row.",
        "",
    ]
    for d in diagrams():
        title, machine, states, initial = d.title, d.workflow, d.states, d.initial
        lines += [f"## {title}", "", "```mermaid", "stateDiagram-v2", f"    [*] --> {initial}"]
        for t in machine.transitions:
            for source in sorted(t.sources):
                lines.append(f"    {source} --> {t.target}: {t.action}")
        lines += ["```", "", "| state | 状态 |", "|---|---|"]
        lines += [f"| `{value}` | {label} |" for value, label in states.choices]
        lines += ["", "| action | 操作 | from | to | permission | guards |", "|---|---|---|---|---|---|"]
        for t in machine.transitions:
            sources = ", ".join(f"`{s}`" for s in sorted(t.sources))
            lines.append(f"| `{t.action}` | {t.label} | {sources} | `{t.target}` | `{t.perm}` | {_guard_names(t)} |")
        lines.append("")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Print docs/workflow.md (Mermaid state diagrams and transition tables) from the code."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--check", metavar="PATH", help="fail if PATH differs from what would be generated")

    def handle(self, *args, check=None, **options):
        with translation.override("zh-hans"):
            text = render()
        if check:
            try:
                current = Path(check).read_text(encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"{check}: {exc.strerror}. Run: {REGENERATE}") from exc
            if current.rstrip("\n") != text.rstrip("\n"):
                raise CommandError(f"{check} is out of date with the workflow tables. Run: {REGENERATE}")
            return
        self.stdout.write(text)
