"""The endpoint under test and the shape of each request, and the secrets that must never be written."""

from __future__ import annotations

from dataclasses import dataclass, field

CONNECT_TIMEOUT_S = 10.0
READ_TIMEOUT_S = 300.0  # longest silence allowed between two bytes of a response
REQUEST_TIMEOUT_S = 600.0  # longest one request may take in all, however steadily the server trickles


ENDPOINT_PATHS = {"chat": "/chat/completions", "completions": "/completions"}


@dataclass(frozen=True)
class Target:
    """The endpoint under test and the shape of each request. The API key never shows in repr."""

    base_url: str
    model: str
    input_tokens: int
    output_tokens: int
    endpoint: str = "chat"
    ignore_eos: bool = True  # ask for all output_tokens (vLLM, SGLang, llama.cpp honour it)
    connect_timeout_s: float = CONNECT_TIMEOUT_S
    read_timeout_s: float = READ_TIMEOUT_S
    request_timeout_s: float = REQUEST_TIMEOUT_S
    api_key: str | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        """Full URL of the completion endpoint (adds /v1 unless the base URL ends with it)."""
        base = self.base_url.rstrip("/")
        if not base.endswith("/v1"):
            base += "/v1"
        return base + ENDPOINT_PATHS[self.endpoint]


def secrets_of(target: Target) -> tuple[str, ...]:
    """What must never be written: the API key and a password in the base URL."""
    from urllib.parse import unquote, urlsplit

    password = urlsplit(target.base_url).password
    found = [target.api_key, password, unquote(password) if password else None]
    return tuple(s for s in found if s)
