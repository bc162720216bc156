"""One normalisation of a username, for everything that counts or compares usernames (lock-out, rate limits)."""

import hashlib
import unicodedata

from django.contrib.auth.base_user import AbstractBaseUser


def username_key(username: str) -> str:
    """The username as every door's authentication sees it, case-folded; "" for a non-string.

    The form's UsernameField and DRF's CharField strip surrounding whitespace; UsernameField and
    AbstractBaseUser.normalize_username apply NFKC. So "alice ", " alice" and "ａｌｉｃｅ" are one
    key; case-folding also merges "ALICE", which locks a little more than one account, never less.
    """
    if not isinstance(username, str):
        return ""
    normalised = AbstractBaseUser.normalize_username(username.strip()).casefold()
    # NFKC again: case-folding can leave text that is not NFKC ("ǰ" folds to "j" + a combining caron).
    return unicodedata.normalize("NFKC", normalised).strip()


def digest(value: str) -> str:
    """A hex SHA-256 of any string (lone surrogates included): usernames may hold what a key must not."""
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()
