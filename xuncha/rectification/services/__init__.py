"""Services of the rectification app: the plan and its tasks, task progress and closure."""
