"""Accounts: sign-in lock-out, API token revocation and the throttled account pages."""
