"""Analysis pages, one module per sub-topic (dashboards, common problems, situation report)."""
