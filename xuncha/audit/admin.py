"""The audit log is not in the admin: it records who read which report, paper or identity, and it
is for the office head (audit.view), not the system administrator (docs/security.md)."""
