"""Retry waits and redaction, without a network."""

from __future__ import annotations

import email.utils

import httpx

from grafana_okta_scim.verify.http import RetryPolicy, retry_delay
from grafana_okta_scim.verify.redact import MASK, Redactor

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
