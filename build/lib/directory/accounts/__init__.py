"""Users, passwords, tokens and their revocation."""
