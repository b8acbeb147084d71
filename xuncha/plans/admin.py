"""Nothing of the plans app is in the system administrator's admin: rounds, teams, recusal
declarations and the talent pool are the office's business (separation of duties, docs/security.md).
Surprise rounds in particular must not be visible to whoever runs the installation."""
