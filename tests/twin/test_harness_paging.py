"""The replay providers' HTTP client reads every page of an Okta list from the twin."""

from __future__ import annotations

from tests.terraform.harness.twin_api import Client
from tests.twin import Twin, serve


def test_pages_follow_next_when_okta_sends_one_link_header_per_relation() -> None:
    # GIVEN five groups and an Okta view answering two per page (Link: self and Link: next)
    twin = Twin(okta_org="example", okta_base_url="okta.com")
    names = [f"team-{n}" for n in range(5)]
    for name in names:
        twin.okta.add_group(name)
    twin.okta_view.page_size = 2
    with serve(twin) as endpoints:
        client = Client(endpoints.okta_url, {"Authorization": "SSWS test-token"})
        # WHEN the client lists the groups
        found = client.pages("/api/v1/groups")
    # THEN every page was read, not only the first
    assert sorted(group["profile"]["name"] for group in found) == names
