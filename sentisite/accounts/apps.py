"""The accounts app: its ready() connects the lock-out's and the token revocation's receivers."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sentisite.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from . import receivers  # noqa: F401  (connects them)
