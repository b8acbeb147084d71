"""Rectification pages, one module per sub-topic (plans and tasks, supervision, follow-up…)."""
