"""The audit trail of admin actions: append-only, written in the same transaction as the action."""
