"""Reading the audit record as a whole. The log's pages and their scoped list are the workspace's
(xuncha/workspace/audit_log.py): reading by scope needs the access package, which is above audit."""

from __future__ import annotations

from xuncha.audit.verify import VerifyReport, audit_verify_full


def audit_chain_verify() -> VerifyReport:
    """The full check (chain, MACs, checkpoints) with the configured keys and anchor file."""
    return audit_verify_full()
