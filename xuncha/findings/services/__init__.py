"""Services of the findings app: problems, the team's reports and their review, feedback."""
