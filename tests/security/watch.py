"""What a page did that only an injected payload, or a broken CSP, would make it do."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from tests.security.payloads import MARKER, URL


@dataclass
class Watch:
    """Everything a page did that only an injected payload (or a CSP violation) would do."""

    problems: list[str] = field(default_factory=list)
    path: str = ""

    def add(self, problem: str) -> None:
        self.problems.append(f"{self.path}: {problem}")

    def attach(self, page) -> None:
        page.on("dialog", self._dialog)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.add(f"page error: {error}"))
        page.on("request", self._request)

    def _dialog(self, dialog) -> None:
        self.add(f"{dialog.type} dialog: {dialog.message}")
        dialog.dismiss()

    def _console(self, message) -> None:
        # A CSP violation is reported as a console error, so any error fails the page: either
        # a payload reached the DOM as markup or one of our own pages breaks the policy.
        if MARKER in message.text or message.type == "error":
            where = message.location.get("url", "")
            if not where.endswith("/favicon.ico"):
                self.add(f"console {message.type} at {where}: {message.text}")

    def _request(self, request) -> None:
        # Marker URLs are root paths (/xss-marker/...); our own slugs may contain the word.
        if urlsplit(request.url).path.startswith(URL):
            self.add(f"request to {request.url}")
