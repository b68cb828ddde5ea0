"""Retry waits and redaction, without a network."""

from __future__ import annotations

import email.utils

import httpx

from grafana_okta_scim.live import MASK, Redactor, RetryPolicy, retry_delay

POLICY = RetryPolicy(attempts=4, backoff=0.5, max_wait=30.0)
NOW = 1_900_000_000.0


def response(status: int, **headers: str) -> httpx.Response:
    return httpx.Response(status, headers={k.replace("_", "-"): v for k, v in headers.items()})


def test_retry_after_seconds_and_http_date():
    assert retry_delay(response(429, Retry_After="7"), 0, POLICY, NOW) == 7.0
    soon = email.utils.formatdate(NOW + 10, usegmt=True)
    assert retry_delay(response(503, Retry_After=soon), 0, POLICY, NOW) == 10.0
    later = email.utils.formatdate(NOW + 3600, usegmt=True)
    assert retry_delay(response(503, Retry_After=later), 0, POLICY, NOW) == 30.0  # capped


def test_okta_rate_limit_reset_is_epoch_seconds():
    assert retry_delay(response(429, X_Rate_Limit_Reset=str(int(NOW) + 4)), 0, POLICY, NOW) == 4.0
    assert retry_delay(response(429, X_Rate_Limit_Reset=str(int(NOW) - 4)), 0, POLICY, NOW) == 0.0


def test_exponential_backoff_without_headers():
    assert [retry_delay(response(500), n, POLICY, NOW) for n in range(3)] == [0.5, 1.0, 2.0]


def test_redactor_masks_known_secrets_and_credential_shapes():
    redact = Redactor(["00oktaSecret"])
    text = redact("Authorization: Bearer abc.def SSWS 00oktaSecret glsa_abcDEF_123 tail")
    assert "abc.def" not in text and "00oktaSecret" not in text and "glsa_abc" not in text
    assert text.count(MASK) == 3 and text.endswith("tail")


def test_an_https_url_answered_in_plain_http_names_the_scheme_and_the_url(monkeypatch) -> None:
    """GIVEN a plain-HTTP server WHEN verify calls it at an https URL THEN the hint is about the
    scheme (not the certificate) and the line names the URL tried."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    from typer.testing import CliRunner

    from grafana_okta_scim.cli import app

    class Plain(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Plain)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"https://127.0.0.1:{server.server_port}"
        monkeypatch.setenv("GRAFANA_SCIM_TOKEN", "t0ken")
        monkeypatch.delenv("OKTA_API_TOKEN", raising=False)
        result = CliRunner().invoke(
            app, ["verify", "--example", "--grafana-url", url, "--phase", "1", "--json"]
        )
    finally:
        server.shutdown()
    assert result.exit_code == 1, result.stderr
    connector = next(c for c in json.loads(result.stdout)["checks"] if c["name"] == "scim.test_connector")
    text = json.dumps(connector)
    assert "plain HTTP, not HTTPS" in text and "certificate" not in text, text
    assert f"127.0.0.1:{server.server_port}" in text, text
