"""HTTP done once for verify, discover and impact: timeouts, bounded retries, TLS on, secrets
redacted, and what a failure without an HTTP answer means."""

from __future__ import annotations

import email.utils
import logging
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import httpx

from .redact import Redactor

log = logging.getLogger("grafana_okta_scim.live")

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
USER_AGENT = "grafana-okta-scim-verify"
TransportKind = Literal["tls", "plain-http", "dns", "timeout", "connect", "network"]


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry 429 and 5xx answers.

    attempts: total tries per request (default 4). backoff: first wait in seconds, doubled per
    retry (default 0.5). max_wait: longest single wait, also for Retry-After and Okta's
    X-Rate-Limit-Reset (default 30 s). 5xx answers are retried for idempotent methods only.
    """

    attempts: int = 4
    backoff: float = 0.5
    max_wait: float = 30.0


@dataclass(frozen=True)
class HttpSettings:
    """Timeout in seconds per request (default 10), optional CA bundle, retry policy."""

    timeout: float = 10.0
    ca_bundle: Path | None = None
    retry: RetryPolicy = field(default_factory=RetryPolicy)


class TransportError(Exception):
    """A request that got no HTTP answer: TLS, DNS, timeout or connection failure."""

    def __init__(self, kind: TransportKind, message: str) -> None:
        self.kind = kind
        self.message = message
        super().__init__(message)


def retry_delay(response: httpx.Response, attempt: int, policy: RetryPolicy, now: float) -> float:
    """Seconds to wait before retry number `attempt` (0-based) after `response`.

    Retry-After (seconds or an HTTP date) wins, then Okta's X-Rate-Limit-Reset (UTC epoch
    seconds), then exponential backoff; never negative, never above policy.max_wait.
    """
    wait = _retry_after(response.headers.get("retry-after"), now)
    if wait is None and response.status_code == 429:
        reset = response.headers.get("x-rate-limit-reset")
        if reset and reset.strip().isdigit():
            wait = int(reset) - now
    if wait is None:
        wait = policy.backoff * (2**attempt)
    return min(max(wait, 0.0), policy.max_wait)


def _retry_after(value: str | None, now: float) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return when.timestamp() - now


# OpenSSL's reasons when the server answered a TLS hello in plain HTTP.
_PLAIN_HTTP_REASONS = {
    "WRONG_VERSION_NUMBER",
    "HTTP_REQUEST",
    "RECORD_LAYER_FAILURE",
    "PACKET_LENGTH_TOO_LONG",
}


def classify(exc: httpx.TransportError) -> TransportKind:
    """Name the cause of a transport failure, looking through the exception chain."""
    if isinstance(exc, httpx.TimeoutException):
        return "timeout"
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError) and getattr(seen, "reason", None) in _PLAIN_HTTP_REASONS:
            return "plain-http"
        if isinstance(seen, ssl.SSLError | ssl.CertificateError):
            return "tls"
        if isinstance(seen, socket.gaierror):
            return "dns"
        seen = seen.__cause__ or seen.__context__
    text = str(exc).lower()
    if "certificate" in text or "ssl" in text or "tls" in text:
        return "tls"
    if "name or service not known" in text or "name resolution" in text or "nodename" in text:
        return "dns"
    if isinstance(exc, httpx.ConnectError):
        return "connect"
    return "network"


def ssl_context(ca_bundle: Path | None) -> ssl.SSLContext:
    """Certificate verification on; with the system store or the given CA bundle."""
    context = ssl.create_default_context(cafile=str(ca_bundle) if ca_bundle else None)
    context.check_hostname = True
    context.verify_mode = ssl.CERT_REQUIRED
    return context


class HttpClient:
    """An httpx client bound to one base URL and one credential, with retries and redaction."""

    def __init__(
        self,
        base_url: str,
        authorization: str | None,
        settings: HttpSettings,
        redactor: Redactor,
        sleep: Callable[[float], None] = time.sleep,
        extra_headers: dict[str, str] | None = None,
    ) -> None:
        headers = {"Accept": "application/json", "User-Agent": USER_AGENT, **(extra_headers or {})}
        if authorization:
            headers["Authorization"] = authorization
            redactor.add(authorization.partition(" ")[2])
        self.redact = redactor
        self.settings = settings
        self._sleep = sleep
        self.client = httpx.Client(
            base_url=base_url.rstrip("/") + "/",
            headers=headers,
            timeout=settings.timeout,
            verify=ssl_context(settings.ca_bundle),
            follow_redirects=False,
        )

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self.client.close()

    @property
    def base_url(self) -> httpx.URL:
        """The base URL every relative path is joined to."""
        return self.client.base_url

    def same_origin(self, url: str) -> bool:
        """True when `url` has the base URL's scheme, host and port (credentials stay there)."""
        base, target = self.client.base_url, httpx.URL(url)
        return (target.scheme, target.host, target.port) == (base.scheme, base.host, base.port)

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """Send one request, retrying 429 (any method) and 5xx (idempotent methods) a bounded
        number of times; raise TransportError (redacted) when no answer comes."""
        policy = self.settings.retry
        url = url.lstrip("/")
        for attempt in range(max(1, policy.attempts)):
            try:
                response = self.client.request(method, url, **kwargs)
            except httpx.TransportError as exc:
                kind = classify(exc)
                raise TransportError(kind, self.redact(f"{kind}: {exc}")) from None
            if not self._should_retry(method, response.status_code, attempt):
                return response
            wait = retry_delay(response, attempt, policy, time.time())
            log.info(
                "%s %s answered %s; retry %d/%d in %.2fs",
                method,
                self.redact(str(response.url)),
                response.status_code,
                attempt + 1,
                policy.attempts - 1,
                wait,
            )
            response.close()
            self._sleep(wait)
        raise AssertionError("unreachable: the last attempt always returns")

    def _should_retry(self, method: str, status: int, attempt: int) -> bool:
        if attempt + 1 >= max(1, self.settings.retry.attempts) or status not in RETRY_STATUSES:
            return False
        return status == 429 or method.upper() in IDEMPOTENT


def transport_hint(error: TransportError, what: str, timeout: float) -> str:
    """What a failure without an HTTP answer means (TLS, DNS, timeout, connection)."""
    if error.kind == "tls":
        return (
            f"TLS verification failed for {what}: the certificate is not trusted or does not "
            "match the host name; pass --ca-bundle for a private CA (verification stays on)."
        )
    if error.kind == "plain-http":
        return (
            f"scheme: {what} answered in plain HTTP, not HTTPS; the URL names the wrong port or "
            "scheme (http:// is accepted only for a loopback test server)."
        )
    if error.kind == "dns":
        return f"DNS: the host name of {what} does not resolve; check the URL."
    if error.kind == "timeout":
        return f"timeout: {what} did not answer within {timeout:g} s."
    if error.kind == "connect":
        return f"connection failed: nothing accepts connections at {what}; is it running?"
    return f"network error talking to {what}."
