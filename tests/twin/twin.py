"""The Twin: one Okta org and one or more Grafana instances, their HTTP views, provisioning
between them and sign-in through them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .clock import Clock
from .errors import TwinError
from .grafana import GrafanaInstance
from .http_grafana import CloudView, GrafanaView
from .http_okta import OktaView
from .okta import OktaOrg
from .scim import ScimEndpoint

if TYPE_CHECKING:
    from .provisioning import Delivery
    from .server import Endpoints
    from .signin import SignIn


class Twin:
    """The shared model; see CONTRACT.md for the API."""

    def __init__(
        self, okta_org: str = "example", okta_base_url: str = "okta.com", clock: Clock | None = None
    ) -> None:
        self.clock = clock or Clock()
        self.okta = OktaOrg(okta_org, okta_base_url, self.clock)
        self.grafanas: dict[str, GrafanaInstance] = {}
        self.okta_view = OktaView(self)
        self.grafana_views: dict[str, GrafanaView] = {}
        self.cloud_view = CloudView(self)
        self.endpoints: Endpoints | None = None
        # Requests the views answered 501 because the twin cannot model them (TwinUnsupported).
        self.unsupported: list[str] = []
        from .provisioning import Provisioner

        self.provisioning = Provisioner(self)

    def add_grafana(
        self,
        url: str,
        kind: str = "cloud",
        stack_id: int | None = None,
        stack_slug: str | None = None,
        **kwargs: Any,
    ) -> GrafanaInstance:
        """A Grafana instance at `url` (Cloud stack or self-hosted Enterprise)."""
        url = url.rstrip("/")
        if url in self.grafanas:
            raise TwinError(f"grafana url: got {url}; expected one not added yet")
        if self.endpoints is not None:
            raise TwinError("add_grafana: the twin is being served; add every Grafana before serve()")
        grafana = GrafanaInstance(url, self.clock, kind, stack_id, stack_slug, **kwargs)
        grafana.scim = ScimEndpoint(grafana)
        self.grafanas[url] = grafana
        self.grafana_views[url] = GrafanaView(self, grafana)
        return grafana

    def grafana_at(self, url: str) -> GrafanaInstance:
        """The Grafana instance at url (trailing slash ignored)."""
        try:
            return self.grafanas[url.rstrip("/")]
        except KeyError:
            raise TwinError(f"grafana url: got {url}; expected one of {', '.join(self.grafanas)}") from None

    def grafana_view(self, url: str) -> GrafanaView:
        return self.grafana_views[self.grafana_at(url).url]

    def settle(self) -> list[Delivery]:
        """Okta's SCIM client delivers every queued change over HTTP; returns the deliveries."""
        return self.provisioning.settle()

    def sign_in(
        self, login: str, grafana_url: str, app_id: str | None = None, idp_initiated: bool = False
    ) -> SignIn:
        """The person signs in to Grafana through the Okta app (SP-initiated unless told)."""
        from .signin import sign_in

        return sign_in(self, login, grafana_url, app_id=app_id, idp_initiated=idp_initiated)
