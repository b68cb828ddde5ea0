"""Keep secrets out of every message verify, discover and impact print or log."""

from __future__ import annotations

import re

MASK = "[REDACTED]"
# Credentials that may sit in text a server or library echoes back.
_PATTERNS = (
    re.compile(r"(?i)\b(bearer|ssws)\s+[^\s\"',;]+"),
    re.compile(r"\bglsa_[A-Za-z0-9_]+"),
    re.compile(r"\bglc_[A-Za-z0-9_=+/]+"),
)


class Redactor:
    """Replaces every known secret, and anything shaped like a credential, with a mask."""

    def __init__(self, secrets: list[str] | None = None) -> None:
        self._secrets: list[str] = []
        for secret in secrets or []:
            self.add(secret)

    def add(self, secret: str | None) -> None:
        """Remember a secret (ignored when empty); longer secrets are replaced first."""
        if secret and secret not in self._secrets:
            self._secrets.append(secret)
            self._secrets.sort(key=len, reverse=True)

    def __call__(self, text: str) -> str:
        """`text` with every secret and credential-looking value masked."""
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        for pattern in _PATTERNS:
            text = pattern.sub(lambda m: _mask_match(m), text)
        return text


def _mask_match(match: re.Match[str]) -> str:
    if match.lastindex:
        return f"{match.group(1)} {MASK}"
    return MASK
