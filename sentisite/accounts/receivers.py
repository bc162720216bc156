"""Signal receivers, connected by AccountsConfig.ready(): the lock-out's counts and token revocation."""

from django.contrib.auth import get_user_model, user_logged_in, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from . import lockout, services


# Every password check (the login form, the admin's, the API token endpoint) goes through
# authenticate(), which sends these signals.
@receiver(user_login_failed, dispatch_uid="sentisite.accounts.count_failure")
def count_failure(sender, credentials, request=None, **kwargs):
    if request is None:
        return
    attempt = lockout.attempt_of(request)
    if attempt is not None:
        lockout.failed(attempt)  # its door reserved the slots before the password was checked
    else:
        username = credentials.get("username")
        lockout.record_failure(request, username if isinstance(username, str) else "")


@receiver(user_logged_in, dispatch_uid="sentisite.accounts.clear_failures")
def clear_failures(sender, request, user, **kwargs):
    lockout.clear_failures(user.get_username())


@receiver(post_save, sender=get_user_model(), dispatch_uid="sentisite.accounts.revoke_tokens")
def revoke_tokens_on_new_password(sender, instance, created, **kwargs):
    # set_password() keeps the new raw password in `_password` until save() has run the validators'
    # password_changed() hooks (AbstractBaseUser.save): so this is every new password, whichever path
    # set it (change page, reset link, admin, manage.py changepassword). A hash upgraded at sign-in
    # clears `_password` before saving, and keeps the tokens.
    if not created and getattr(instance, "_password", None) is not None:
        services.api_tokens_revoke(user=instance)
