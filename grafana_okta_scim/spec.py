"""The spec a user writes: pydantic models with every default and cross-field rule.

Field names are contract (see docs/spec-reference.md, generated from these models).
Secrets are never spec values: the models have no field that could hold a token or key.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

NAME_PATTERN = r"^[a-z][a-z0-9_-]*$"
FIXED_ROLE_PATTERN = r"^(fixed|basic|plugins|managed):[A-Za-z0-9._:-]+$"
NAME_ID_FORMAT_PATTERN = r"^urn:oasis:names:tc:SAML:[0-9.]+:nameid-format:[A-Za-z]+$"


class StrictModel(BaseModel):
    """Base for every spec model: unknown keys are errors, values are not coerced across types."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


_HOSTNAME = re.compile(
    r"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$"
)
# RFC 3986 path characters (unreserved, sub-delims, ":", "@", "/" and percent-encoding).
_URL_PATH = re.compile(r"^(?:[A-Za-z0-9._~!$&'()*+,;=:@/-]|%[0-9A-Fa-f]{2})*$")


def _https_url(value: str) -> str:
    if " " in value or not value.isprintable():  # every other whitespace is not printable
        raise ValueError("expected an https URL without spaces or control characters")
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.hostname:
        raise ValueError("expected an https URL")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError("expected an https URL without credentials, query or fragment")
    if not _HOSTNAME.match(parts.hostname):
        raise ValueError("expected an https URL whose host is a DNS name (ASCII; punycode for IDN)")
    try:
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        raise ValueError("expected an https URL with a numeric port") from None
    if not _URL_PATH.match(parts.path):
        raise ValueError("expected an https URL whose path has only URL characters (percent-encode others)")
    # Scheme and host are case-insensitive: written lower-case, so the ACS and entity URLs match.
    return urlunsplit(("https", parts.netloc.lower(), parts.path, "", "")).rstrip("/")


class OktaOrg(StrictModel):
    """The Okta organization every integration's app lives in."""

    org_name: str = Field(
        min_length=1,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9-]*$",
        description="Okta org name: the `example` in `example.okta.com`.",
    )
    base_url: str = Field(
        default="okta.com",
        pattern=r"^[a-z0-9.-]+\.[a-z]{2,}$",
        description="Okta domain: `okta.com`, `oktapreview.com` or `okta-emea.com`.",
    )

    @property
    def org_url(self) -> str:
        """The org's https URL, e.g. https://example.okta.com."""
        return f"https://{self.org_name}.{self.base_url}"


BackendType = Literal["local", "s3", "gcs", "azurerm", "http", "remote"]

_SECRET_BACKEND_KEYS = re.compile(
    r"(secret|password|token|access_key|sas_|client_certificate|credentials|private_key)", re.I
)


INTEGRATION_PLACEHOLDER = "{integration}"


class Backend(StrictModel):
    """Terraform backend written into versions.tf. No secrets: use the backend's env variables.

    `{integration}` in a string value is replaced by the integration's name, so integrations that
    share a backend keep separate states (required when a spec has several integrations).
    """

    type: BackendType = Field(description="Backend type.")
    config: dict[str, str | int | bool] = Field(
        default_factory=dict,
        description="Backend arguments (bucket, key, region, ...); `{integration}` in a value is "
        "replaced by the integration name. Credentials are refused.",
    )

    @property
    def per_integration(self) -> bool:
        """True when some value names the integration, giving each one its own state."""
        return any(isinstance(v, str) and INTEGRATION_PLACEHOLDER in v for v in self.config.values())

    def config_for(self, integration_name: str) -> dict[str, str | int | bool]:
        """The config with `{integration}` replaced by `integration_name`."""
        return {
            key: value.replace(INTEGRATION_PLACEHOLDER, integration_name) if isinstance(value, str) else value
            for key, value in self.config.items()
        }

    @model_validator(mode="after")
    def _s3_state_encrypted(self) -> Backend:
        if self.type == "s3" and self.config.get("encrypt", True) is not True:
            raise ValueError(
                f"config.encrypt: got {self.config['encrypt']!r}; expected true (the state holds the "
                "SCIM token and the SAML private key)"
            )
        return self

    @property
    def locks_with_lockfile(self) -> bool:
        """True for an s3 backend without a DynamoDB table: it locks with `use_lockfile`."""
        return self.type == "s3" and "dynamodb_table" not in self.config

    @field_validator("config")
    @classmethod
    def _no_secrets(cls, value: dict[str, str | int | bool]) -> dict[str, str | int | bool]:
        for key in value:
            if not re.fullmatch(r"[a-z][a-z0-9_]*", key):
                raise ValueError(f"{key}: got an invalid key; expected a lower-case identifier")
            if _SECRET_BACKEND_KEYS.search(key):
                raise ValueError(
                    f"{key}: got a credential key; expected credentials only in the backend's "
                    "environment variables, never in the spec"
                )
        return value


class ProviderVersions(StrictModel):
    """Version constraints written into required_providers."""

    grafana: str = Field(default="~> 4.45", min_length=1, description="grafana/grafana constraint.")
    okta: str = Field(
        default="~> 6.12, != 6.14.0",
        min_length=1,
        description="okta/okta constraint; the default leaves out 6.14.0, which shipped unintended "
        "breaking changes (fixed in 6.15.0). `>= 6.12, != 6.14.0, < 8.0` also admits 7.x, whose "
        "breaking changes touch none of the resources written here.",
    )


class TerraformSettings(StrictModel):
    """Settings of the generated root modules."""

    required_version: str = Field(default=">= 1.5", min_length=1, description="Terraform version constraint.")
    providers: ProviderVersions = Field(default_factory=ProviderVersions)
    backend: Backend | None = Field(
        default=None, description="Backend; default: Terraform's local backend (terraform.tfstate)."
    )


class Grafana(StrictModel):
    """The Grafana instance: a Cloud stack or a self-hosted Grafana Enterprise."""

    kind: Literal["cloud", "enterprise"] = Field(description="cloud or enterprise (self-hosted).")
    url: str = Field(description="https URL of the stack or instance; enterprise may have a sub-path.")
    stack_slug: str | None = Field(
        default=None, pattern=r"^[a-z0-9][a-z0-9-]*$", description="Cloud only, required there."
    )
    stack_id: int | None = Field(default=None, gt=0, description="Cloud only, required there.")
    org_id: int | None = Field(default=None, gt=0, description="Enterprise only; default: 1 (the main org).")

    @field_validator("url")
    @classmethod
    def _url_is_https(cls, value: str) -> str:
        return _https_url(value)

    @model_validator(mode="after")
    def _kind_fields(self) -> Grafana:
        errors: list[str] = []
        if self.kind == "cloud":
            if self.stack_slug is None:
                errors.append("stack_slug: missing; expected the stack slug on kind cloud")
            if self.stack_id is None:
                errors.append("stack_id: missing; expected the numeric stack id on kind cloud")
            if self.org_id is not None:
                errors.append("org_id: set; expected no org_id on kind cloud (a stack has one org)")
            if urlsplit(self.url).path not in ("", "/"):
                errors.append("url: has a path; expected the stack URL without a path on kind cloud")
        else:
            if self.stack_slug is not None:
                errors.append("stack_slug: set; expected it only on kind cloud")
            if self.stack_id is not None:
                errors.append("stack_id: set; expected it only on kind cloud")
        if errors:
            raise ValueError("\n".join(errors))
        return self

    @property
    def effective_org_id(self) -> int:
        """The Grafana org the integration targets (always 1 on Cloud)."""
        return self.org_id or 1

    @property
    def host(self) -> str:
        """Host (and port, if any) of the URL: one Grafana instance."""
        return urlsplit(self.url).netloc

    @property
    def has_subpath(self) -> bool:
        """True when Grafana is served from a sub-path (enterprise only)."""
        return urlsplit(self.url).path not in ("", "/")


class RotatingToken(StrictModel):
    """A token that Terraform replaces before it expires."""

    seconds_to_live: int = Field(gt=0, description="Lifetime of each token in seconds.")
    early_rotation_window_seconds: int = Field(
        gt=0, description="Rotate this many seconds before expiry; must be shorter than the lifetime."
    )

    @model_validator(mode="after")
    def _window_shorter(self) -> RotatingToken:
        if self.early_rotation_window_seconds >= self.seconds_to_live:
            raise ValueError(
                f"early_rotation_window_seconds: got {self.early_rotation_window_seconds}; "
                f"expected less than seconds_to_live ({self.seconds_to_live})"
            )
        return self


class Token(StrictModel):
    """The service account token Okta authenticates with."""

    seconds_to_live: int = Field(
        default=0, ge=0, description="Lifetime in seconds; default: 0, a token that never expires."
    )
    rotation: RotatingToken | None = Field(
        default=None, description="Rotate the token instead; default: no rotation."
    )
    name: str | None = Field(
        default=None,
        min_length=1,
        max_length=190,
        description=(
            'Token name (the name prefix of a rotating token); default: "<service account name>-okta". '
            "discover sets another when the adopted account already has a token of that name "
            "(Grafana refuses a duplicate)."
        ),
    )

    @model_validator(mode="after")
    def _one_kind(self) -> Token:
        if self.rotation is not None and self.seconds_to_live:
            raise ValueError("seconds_to_live: set beside rotation; expected it inside rotation only")
        return self


class ServiceAccount(StrictModel):
    """The Grafana service account whose token Okta uses for SCIM calls."""

    name: str = Field(default="okta-scim", min_length=1, max_length=190, description="Account name.")
    role: Literal["Admin", "Editor", "Viewer", "None"] = Field(
        default="Admin",
        description="Basic role. Admin is sufficient; with None, grant fixed_roles instead.",
    )
    fixed_roles: list[Annotated[str, Field(pattern=FIXED_ROLE_PATTERN)]] = Field(
        default_factory=list,
        description="RBAC roles granted by name, e.g. fixed:org.users:writer, fixed:teams:writer.",
    )
    via: Literal["instance", "cloud_api"] = Field(
        default="instance",
        description="instance: the Grafana API (GRAFANA_AUTH); cloud_api: the Cloud API (cloud only).",
    )
    token: Token = Field(default_factory=Token)

    @field_validator("fixed_roles")
    @classmethod
    def _unique_roles(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("expected each role once")
        return value


class ScimSettings(StrictModel):
    """Grafana's SCIM settings (grafana_scim_config, or [auth.scim] in grafana.ini)."""

    user_sync: bool = Field(default=True, description="Provision users.")
    group_sync: bool = Field(default=False, description="Provision groups as teams (excludes Team Sync).")
    reject_non_provisioned_users: bool = Field(
        default=False, description="Refuse sign-in to users SCIM did not provision."
    )


class AssertionAttributes(StrictModel):
    """SAML attribute names Grafana reads; the Okta app sends each one."""

    login: str = Field(default="login", min_length=1, description="Attribute holding the Grafana login.")
    email: str = Field(default="email", min_length=1, description="Attribute holding the email.")
    name: str = Field(default="displayName", min_length=1, description="Attribute holding the display name.")
    groups: str | None = Field(default="groups", description="null: send no groups.")
    external_uid: str = Field(default="userUID", min_length=1, description="Stable user id SCIM matches on.")


RoleValue = Annotated[str, Field(min_length=1)]


class RoleValues(StrictModel):
    """Values of the role attribute mapped to Grafana roles; each value is matched whole (spaces
    and commas included: Grafana receives them as a JSON list)."""

    admin: list[RoleValue] = Field(default_factory=list, description="Values that make a user Admin.")
    editor: list[RoleValue] = Field(default_factory=list, description="Values that make a user Editor.")
    viewer: list[RoleValue] = Field(default_factory=list, description="Values that make a user Viewer.")


SignatureAlgorithm = Literal["rsa-sha256", "rsa-sha512"]


# A SAML NameID format URN (also how discover tells one from other text).
NAME_ID_FORMAT_PATTERN = r"^urn:oasis:names:tc:SAML:[0-9.]+:nameid-format:[A-Za-z]+$"


class Saml(StrictModel):
    """SAML sign-in between Okta and Grafana."""

    configure_grafana: bool = Field(
        default=True,
        description="Manage Grafana's SAML settings (grafana_sso_settings); false on all but one "
        "integration per Grafana host.",
    )
    assertion_attributes: AssertionAttributes = Field(
        default_factory=AssertionAttributes, description="SAML attribute names Grafana reads."
    )
    role_attribute: str | None = Field(
        default=None,
        min_length=1,
        pattern=r"^[A-Za-z][A-Za-z0-9_]*$",
        description="SAML attribute carrying the role, sent from the Okta user profile attribute "
        "of the same name (create it in Okta's Profile Editor: the runbook says how); default: "
        "roles come from the groups attribute when role_values is set, else no role mapping.",
    )
    role_values: RoleValues | None = Field(
        default=None,
        description="Values mapped to Grafana roles: Okta group names (matched in the groups "
        "attribute) without role_attribute, values of role_attribute with it.",
    )
    allow_sign_up: bool | None = Field(
        default=None,
        description="Create Grafana users on first SAML sign-in; default: false when scim.user_sync "
        "is on (SCIM provisions users; sign-up would bypass it), true otherwise.",
    )
    auto_login: bool = Field(
        default=False,
        description="Grafana's SAML auto_login: skip Grafana's login page and go straight to Okta.",
    )
    org_mapping: str | list[Annotated[str, Field(min_length=1)]] | None = Field(
        default=None,
        description="Grafana's SAML org_mapping: a list of `<org attribute value>:<org id>[:<role>]` "
        "entries (sent to Grafana as a JSON list, so a value may hold spaces or commas), or one "
        "comma-separated string without spaces. Org sync then replaces each user's org "
        "memberships and roles at every sign-in. Default: none when scim.user_sync is on (SCIM "
        "puts users into the org); without SCIM, for org N other than 1, every user of the app "
        "into org N (as Viewer, or with the role mapping's role).",
    )
    org_attribute: str = Field(
        default="org",
        min_length=1,
        pattern=r"^[A-Za-z][A-Za-z0-9_]*$",
        description="SAML attribute naming the user's Grafana org; sent only when org_mapping "
        "applies (org other than 1, or org_mapping set).",
    )
    skip_org_role_sync: bool | None = Field(
        default=None,
        description="Grafana's skip_org_role_sync: true leaves org memberships and roles alone at "
        "sign-in; false lets sign-in overwrite them (org_mapping, role mapping). Default: true "
        "when scim.user_sync is on and neither role mapping nor org_mapping is asked for, else "
        "false.",
    )
    name_id_format: str = Field(
        default="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
        pattern=NAME_ID_FORMAT_PATTERN,
        description="SAML NameID format Grafana requests and the Okta app sends (the user's email "
        "by default).",
    )
    signature_algorithm: SignatureAlgorithm = Field(
        default="rsa-sha256",
        description="Algorithm Grafana signs SAML requests with; used only when the "
        "grafana_saml_private_key variable is set (null otherwise).",
    )

    @model_validator(mode="after")
    def _role_values_need_attribute(self) -> Saml:
        if (
            self.role_values is not None
            and self.role_attribute is None
            and self.assertion_attributes.groups is None
        ):
            raise ValueError(
                "role_values: set with no attribute to read; expected role_attribute, or "
                "assertion_attributes.groups (role values are then group names)"
            )
        return self

    @field_validator("org_mapping")
    @classmethod
    def _org_mapping_unsplit(cls, value: str | list[str] | None) -> str | list[str] | None:
        if isinstance(value, str) and (not value.strip() or any(c.isspace() for c in value)):
            raise ValueError(
                f"got {value!r}; expected no spaces in the string form (Grafana splits it on commas "
                "and whitespace): write org_mapping as a list of entries instead"
            )
        return value

    @property
    def role_source(self) -> str | None:
        """The SAML attribute roles are read from: role_attribute, else the groups attribute when
        role_values is set, else None (no role mapping)."""
        if self.role_attribute is not None:
            return self.role_attribute
        if self.role_values is not None:
            return self.assertion_attributes.groups
        return None


class GroupAssignment(StrictModel):
    """One group assigned to the Okta app, by name (looked up) or by id."""

    group: str | None = Field(
        default=None,
        min_length=1,
        description="Okta group name, matched exactly; Okta groups and groups mastered in AD or "
        "LDAP (type APP_GROUP) alike.",
    )
    group_id: str | None = Field(default=None, pattern=r"^00g[A-Za-z0-9]+$", description="Okta group id.")
    priority: int = Field(
        default=0,
        ge=0,
        description="Okta assignment priority: the lower wins when a user is in several groups.",
    )

    @model_validator(mode="after")
    def _exactly_one(self) -> GroupAssignment:
        if (self.group is None) == (self.group_id is None):
            got = "both group and group_id" if self.group is not None else "neither group nor group_id"
            raise ValueError(f"group: got {got}; expected exactly one of group (a name) or group_id")
        return self


class GroupsFilter(StrictModel):
    """Which of a user's groups the SAML groups attribute carries."""

    type: Literal["STARTS_WITH", "EQUALS", "CONTAINS", "REGEX"] = Field(
        default="REGEX", description="How value matches Okta group names (Okta's filter_type)."
    )
    value: str = Field(default=".*", min_length=1, description="The filter; default: every group.")


DEFAULT_NAME_EXPRESSION = 'user.firstName + " " + user.lastName'
POLICY_ID = re.compile(r"^rst[A-Za-z0-9]{6,}$")


class SingleLogout(StrictModel):
    """okta_app_saml single logout (SLO): kept as an adopted app has it."""

    url: str = Field(description="Where Okta sends the logout response (single_logout_url).")
    issuer: str = Field(min_length=1, description="The SP's issuer of logout requests.")
    certificate: str | None = Field(
        default=None, min_length=1, description="The SP's public signing certificate (x509, no PEM lines)."
    )

    @field_validator("url")
    @classmethod
    def _url_is_https(cls, value: str) -> str:
        return _https_url(value)


class OktaApp(StrictModel):
    """The Okta SAML app integration for Grafana."""

    label: str = Field(default="Grafana", min_length=1, max_length=100, description="App label.")
    assignments: list[GroupAssignment] = Field(default_factory=list)
    assignments_authoritative: bool | None = Field(
        default=None,
        description="true: okta_app_group_assignments owns every group assignment of the app (an "
        "apply unassigns groups not listed); false: one okta_app_group_assignment per listed group "
        "(other assignments untouched). Default: true for an app this spec creates; required "
        "when adopt.okta_app_id is set.",
    )
    push_groups: list[str] = Field(
        default_factory=list,
        description="Assigned group names pushed to Grafana as teams; needs scim.group_sync.",
    )
    delete_pushed_teams_on_destroy: bool = Field(
        default=False,
        description="Removing a push group also deletes its Grafana team (okta_push_group "
        "delete_target_group_on_destroy); default: false, the team stays.",
    )
    groups_filter: GroupsFilter = Field(default_factory=GroupsFilter)
    tile: Literal["hidden", "idp-initiated"] = Field(
        default="hidden",
        description="hidden: no tile on the Okta dashboard (sign in from Grafana); idp-initiated: "
        "a tile that signs in from Okta (Grafana allow_idp_initiated with a matching relay state).",
    )
    name_expression: str = Field(
        default=DEFAULT_NAME_EXPRESSION,
        min_length=1,
        description="Okta expression for the display name sent to Grafana (Okta's "
        "user.displayName is often empty).",
    )
    authentication_policy: str | None = Field(
        default=None,
        min_length=1,
        description="The app's authentication (access) policy: a policy id (`rst...`), or a policy "
        "name looked up exactly (data.okta_policy, type ACCESS_POLICY). Default: a new app gets "
        "the org's default access policy; an adopted app keeps the one it has.",
    )
    user_name_template: str | None = Field(
        default=None,
        min_length=1,
        description="Application username template (Okta expression), the SCIM userName and the "
        "NameID Grafana sees; default: the provider's `${source.login}` (type BUILT_IN). "
        "`discover` copies an adopted app's template here: every okta_app_saml update is a full "
        "PUT that would reset it.",
    )
    user_name_template_type: Literal["BUILT_IN", "CUSTOM"] | None = Field(
        default=None,
        description="Type of user_name_template; default: BUILT_IN, or CUSTOM when "
        "user_name_template is set.",
    )
    single_logout: SingleLogout | None = Field(
        default=None, description="Single logout settings of an adopted app; default: none (off)."
    )
    acs_endpoints: list[Annotated[str, Field(min_length=1)]] = Field(
        default_factory=list,
        description="Extra ACS endpoints of an adopted app (okta_app_saml acs_endpoints); default: none.",
    )
    honor_force_authn: bool = Field(default=False, description="Okta honors SAML ForceAuthn.")
    saml_signed_request_enabled: bool = Field(default=False, description="Okta expects signed SAML requests.")
    accessibility_self_service: bool = Field(
        default=False, description="Users may request the app from the Okta dashboard."
    )

    @property
    def authentication_policy_id(self) -> str | None:
        """The policy id when authentication_policy is an id (else None: a name, or unset)."""
        policy = self.authentication_policy
        return policy if policy is not None and POLICY_ID.match(policy) else None


class ToApp(StrictModel):
    """Provisioning > To App toggles."""

    create_users: bool = Field(
        default=True, description="Create Users: assigning a user creates it in Grafana."
    )
    update_user_attributes: bool = Field(
        default=True, description="Update User Attributes: profile changes in Okta reach Grafana."
    )
    deactivate_users: bool = Field(
        default=True,
        description="Deactivate Users: unassigning or deactivating a user in Okta disables it in Grafana.",
    )


class SupportedActions(StrictModel):
    """Provisioning > Integration supported actions."""

    import_new_users_and_profile_updates: bool = Field(
        default=True, description="Import New Users and Profile Updates (Okta reads users from Grafana)."
    )
    push_new_users: bool = Field(default=True, description="Push New Users to Grafana.")
    push_profile_updates: bool = Field(default=True, description="Push Profile Updates to Grafana.")
    push_groups: bool = Field(
        default=False, description="Push Groups (Grafana teams); required when okta_app.push_groups is set."
    )


class Provisioning(StrictModel):
    """How SCIM provisioning is switched on in Okta."""

    mode: Literal["manual", "okta-api"] = Field(
        default="manual",
        description="manual: by hand after apply (runbook); okta-api: okta_app_connection and "
        "okta_app_features (Okta documents these only for some catalog apps).",
    )
    to_app: ToApp = Field(default_factory=ToApp)
    actions: SupportedActions = Field(default_factory=SupportedActions)


class Adopt(StrictModel):
    """Existing objects to import instead of create (import ids as the providers' docs give
    them; `grafana-okta-scim discover` fills these in)."""

    service_account_id: str | None = Field(
        default=None, pattern=r"^[A-Za-z0-9_.:-]+$", description="Terraform import id of the SA."
    )
    okta_app_id: str | None = Field(
        default=None,
        pattern=r"^0oa[A-Za-z0-9]+$",
        description="Import the existing Okta SAML app with this id; then "
        "okta_app.assignments_authoritative is required.",
    )
    grafana_sso_settings: str | None = Field(
        default=None,
        pattern=r"^[a-z_]+$",
        description="Import grafana_sso_settings: its import id, the provider name (`saml`).",
    )
    grafana_scim_config: str | None = Field(
        default=None,
        pattern=r"^([0-9]+:)?scim-config$",
        description="Import grafana_scim_config: its import id, `scim-config` (or `<org id>:scim-config`).",
    )
    okta_group_assignments: dict[str, Annotated[str, Field(pattern=r"^0oa[A-Za-z0-9]+/00g[A-Za-z0-9]+$")]] = (
        Field(
            default_factory=dict,
            description="Import okta_app_group_assignment instances: assignment key (the group name, "
            "or group_id, as in okta_app.assignments) -> `<app id>/<group id>`. Needs "
            "okta_app.assignments_authoritative: false.",
        )
    )
    okta_push_mappings: dict[str, Annotated[str, Field(pattern=r"^0oa[A-Za-z0-9]+/[A-Za-z0-9]+$")]] = Field(
        default_factory=dict,
        description="Import okta_push_group instances: push group name (as in "
        "okta_app.push_groups) -> `<app id>/<push group mapping id>`. The mappings exist in "
        "phase 2 only: plan with `-var provisioning_enabled=true`.",
    )

    @model_validator(mode="after")
    def _keys_named(self) -> Adopt:
        errors = [
            f"{field}: got an empty key; expected a group name or id"
            for field in ("okta_group_assignments", "okta_push_mappings")
            if any(not key for key in getattr(self, field))
        ]
        if errors:
            raise ValueError("\n".join(errors))
        return self


class Integration(StrictModel):
    """One Grafana target connected to one Okta app."""

    name: str = Field(pattern=NAME_PATTERN, max_length=48, description="Folder and Terraform name.")
    grafana: Grafana
    service_account: ServiceAccount = Field(default_factory=ServiceAccount)
    scim: ScimSettings = Field(default_factory=ScimSettings)
    saml: Saml = Field(default_factory=Saml)
    okta_app: OktaApp = Field(default_factory=OktaApp)
    provisioning: Provisioning = Field(default_factory=Provisioning)
    adopt: Adopt = Field(default_factory=Adopt)

    @model_validator(mode="after")
    def _cross_field(self) -> Integration:
        errors = [
            *_service_account_problems(self),
            *_group_problems(self),
            *_app_problems(self),
            *_provisioning_problems(self),
        ]
        if errors:
            raise ValueError("\n".join(errors))
        return self


def _service_account_problems(integration: Integration) -> list[str]:
    """The service account's way in (`via`) and its roles against the Grafana kind."""
    account = integration.service_account
    errors: list[str] = []
    if account.via == "cloud_api" and integration.grafana.kind != "cloud":
        errors.append("service_account.via: got 'cloud_api'; expected 'instance' on kind enterprise")
    if account.role == "None" and not account.fixed_roles:
        errors.append(
            "service_account.fixed_roles: got []; expected fixed:org.users:writer "
            "(and fixed:teams:writer with group sync) when role is None"
        )
    if account.fixed_roles and account.via == "cloud_api":
        errors.append(
            "service_account.fixed_roles: set with via cloud_api; expected via instance "
            "(role assignments go through the instance API)"
        )
    return errors


def _group_problems(integration: Integration) -> list[str]:
    """Pushed groups are assigned by name, each group is listed once, and group sync is on."""
    app = integration.okta_app
    errors: list[str] = []
    assigned = {a.group for a in app.assignments if a.group}
    errors += [
        f"okta_app.push_groups[{index}]: got {group!r}; expected a group assigned by "
        "name in okta_app.assignments"
        for index, group in enumerate(app.push_groups)
        if group not in assigned
    ]
    errors += [
        f"okta_app.push_groups: got {group!r} more than once; expected each group once"
        for group in _repeated(app.push_groups)
    ]
    errors += [
        f"okta_app.assignments: got {group!r} more than once; expected each group once"
        for group in _repeated([a.group or a.group_id or "" for a in app.assignments])
    ]
    if app.push_groups and not integration.scim.group_sync:
        errors.append("scim.group_sync: got false; expected true when okta_app.push_groups is set")
    return errors


def _app_problems(integration: Integration) -> list[str]:
    """An adopted app says how its assignments are owned; the tile matches Grafana's SAML."""
    app = integration.okta_app
    errors: list[str] = []
    if integration.adopt.okta_app_id and app.assignments_authoritative is None:
        errors.append(
            "okta_app.assignments_authoritative: missing; expected true or false when "
            "adopt.okta_app_id is set (true unassigns every group of the adopted app that "
            "assignments does not list, and with Deactivate Users on Okta then deactivates "
            "their users in Grafana; false manages only the listed groups)"
        )
    if app.tile == "idp-initiated" and not integration.saml.configure_grafana:
        errors.append(
            "okta_app.tile: got 'idp-initiated'; expected 'hidden' when saml.configure_grafana "
            "is false (Grafana must allow IdP-initiated sign-in where its SAML is managed)"
        )
    return errors


def _provisioning_problems(integration: Integration) -> list[str]:
    """Push groups need the provisioning action that pushes them."""
    if integration.okta_app.push_groups and not integration.provisioning.actions.push_groups:
        return ["provisioning.actions.push_groups: got false; expected true when okta_app.push_groups is set"]
    return []


def _repeated(values: list[str]) -> list[str]:
    """Values that occur more than once, each named once, in first-seen order."""
    seen: set[str] = set()
    repeated: list[str] = []
    for value in values:
        if value in seen and value not in repeated:
            repeated.append(value)
        seen.add(value)
    return repeated


class Spec(StrictModel):
    """A spec file: one Okta org and one or more integrations."""

    version: Literal[1] = Field(description="Spec format version; must be 1.")
    okta: OktaOrg
    terraform: TerraformSettings = Field(default_factory=TerraformSettings)
    integrations: list[Integration] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_names(self) -> Spec:
        errors: list[str] = []
        seen: set[str] = set()
        for index, integration in enumerate(self.integrations):
            if integration.name in seen:
                errors.append(
                    f"integrations[{index}].name: got {integration.name!r} a second time; expected a "
                    "unique name (each integration gets its own folder)"
                )
            seen.add(integration.name)
        saml_owner: dict[str, str] = {}
        owners: set[str] = set()  # saml_owner's values
        for index, integration in enumerate(self.integrations):
            if not integration.saml.configure_grafana or integration.name in owners:
                continue  # a repeated name is reported once, above
            host = integration.grafana.host
            if host in saml_owner:
                errors.append(
                    f"integrations[{index}].saml.configure_grafana: got true on {integration.name!r}, "
                    f"and {saml_owner[host]!r} manages SAML on the same Grafana ({host}); expected "
                    "false on one of them (SAML settings are instance-wide)"
                )
            else:
                saml_owner[host] = integration.name
                owners.add(integration.name)
        backend = self.terraform.backend
        if backend is not None and len(self.integrations) > 1 and not backend.per_integration:
            errors.append(
                "terraform.backend.config: got one state location for "
                f"{len(self.integrations)} integrations; expected {INTEGRATION_PLACEHOLDER} in a "
                "value (e.g. key: grafana-okta-scim/{integration}.tfstate) so each keeps its own state"
            )
        if errors:
            raise ValueError("\n".join(errors))
        return self

    def integration(self, name: str) -> Integration:
        """The integration called `name` (KeyError naming the known ones otherwise)."""
        for integration in self.integrations:
            if integration.name == name:
                return integration
        known = ", ".join(i.name for i in self.integrations)
        raise KeyError(f"no integration {name!r}; expected one of: {known}")
