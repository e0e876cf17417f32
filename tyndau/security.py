"""Passwords (scrypt, salted), opaque tokens (only their SHA-256 is stored), safe redirects and paths.

scrypt is slow on purpose (~50 ms): callers in the server run it in a worker thread.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from pathlib import Path

from yarl import URL

MAX_PASSWORD = 1024
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
# The hash of a password nobody knows: checked when a user name is unknown, so that an unknown
# name costs the same scrypt as a wrong password and names do not leak by timing.
DUMMY_HASH = "scrypt$16384$8$1$byAVVadSi6Vnz66ynAcvsA==$9SqnvLdtwOSyrVp2kG8zub-rMtd4p5V3yqoEEg5uj6w="
HOME = "/console"
_NOT_IN_PATHS = re.compile(r"[\x00-\x20\x7f-\x9f\\]")


def hash_password(password: str) -> str:
    """A self-describing scrypt hash: ``scrypt$n$r$p$salt$hash``."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, dklen=32, **_SCRYPT)
    b64 = lambda b: base64.urlsafe_b64encode(b).decode("ascii")  # noqa: E731
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${b64(salt)}${b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    """Constant-time check of a password against :func:`hash_password` output."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.urlsafe_b64decode(digest)
        actual = hashlib.scrypt(
            password.encode("utf-8"), salt=base64.urlsafe_b64decode(salt),
            n=int(n), r=int(r), p=int(p), dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def new_token(prefix: str) -> str:
    """A fresh secret token; the prefix tells a reader what kind it is (``tyn_``, ``tys_``)."""
    return prefix + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the store keeps of a token."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def safe_next(value: object, default: str = HOME) -> str:
    """Where to go after login: a path on this site, never another host (``/\t/evil.example``)."""
    if not isinstance(value, str) or not value.startswith("/") or value.startswith("//") or _NOT_IN_PATHS.search(value):
        return default
    try:
        url = URL(value)
    except ValueError:
        return default
    if url.scheme or url.host or url.path.startswith(("/login", "/logout")):
        return default
    return value


def confined(path: str | Path, roots: list[Path]) -> Path | None:
    """``path`` resolved, if it is a file inside one of ``roots`` (symlinks followed), else None."""
    try:
        resolved = Path(path).expanduser().resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        return None
    for root in roots:
        try:
            if resolved.is_relative_to(root.resolve()) and resolved.is_file():
                return resolved
        except OSError:
            continue
    return None
