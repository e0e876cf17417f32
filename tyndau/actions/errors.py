"""The one error an action, a schema or a handler raises: an HTTP status and a stable code."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NoReturn


class ActionError(Exception):
    """A refused action, with an HTTP status and a stable code for clients."""

    def __init__(self, status: int, code: str, message: str, fields: Mapping[str, str] | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = dict(fields or {})
        self.extra = extra

    def to_json(self) -> dict[str, Any]:
        """The error body every client sees."""
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.fields:
            body["fields"] = self.fields
        return body


def refuse(status: int, code: str, message: str, **fields: str) -> NoReturn:
    """Raise the API's error (``fields``: the words for each field it names)."""
    raise ActionError(status, code, message, fields or None)
