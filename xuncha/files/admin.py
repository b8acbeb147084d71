"""Stored files are not in the admin: their names and owners are case content (evidence, briefings,
templates are reached through the pages that scope them)."""
