"""Behaviour of the okta/okta v6.12.0 resources the generated modules use, against the twin.

Every request follows the provider's source at tag v6.12.0, cited as `file:line` under
okta/services/idaas/ (read with
`git -C /work/.mirror/okta+terraform-provider-okta/repo show v6.12.0:okta/services/idaas/<file>`).
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from .behaviour import ApiError, Context, DataModel, Model, changed

APPS = "/api/v1/apps"


def _zero_to_prior(prior: Any, value: Any) -> Any:
    """SDKv2 stores a zero value read back for an attribute the configuration left null as null
    (its shims normalise null/zero); keep null where the prior value was null."""
    if prior is None and value in ("", False, 0, None, [], {}):
        return None
    return value


def _set(state: dict[str, Any], name: str, value: Any) -> None:
    state[name] = _zero_to_prior(state.get(name), value)


# -- okta_app_saml -----------------------------------------------------------------------------

# Defaults of the schema (app.go:19-129, resource_okta_app_saml.go: honor_force_authn,
# saml_version, saml_signed_request_enabled, skip_authentication_policy): the SDK plans them and
# d.Get returns them when the configuration is silent, so buildSamlApp sends them.
SAML_DEFAULTS: dict[str, Any] = {
    "status": "ACTIVE",
    "accessibility_self_service": False,
    "auto_submit_toolbar": False,
    "hide_ios": False,
    "hide_web": False,
    "user_name_template": "${source.login}",
    "user_name_template_type": "BUILT_IN",
    "honor_force_authn": False,
    "saml_version": "2.0",
    "saml_signed_request_enabled": False,
    "skip_authentication_policy": False,
}
OKTA_ISSUER = "http://www.okta.com/${org.externalKey}"
STATEMENT_DEFAULTS = {
    "namespace": "urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified",
    "type": "EXPRESSION",
}


def _get(state: dict[str, Any], name: str) -> Any:
    """d.Get: the value, else the schema default, else the type's zero value."""
    value = state.get(name)
    if value is None:
        value = SAML_DEFAULTS.get(name)
    return value


def _s(state: dict[str, Any], name: str) -> str:
    return _get(state, name) or ""


def _b(state: dict[str, Any], name: str) -> bool:
    return bool(_get(state, name))


def build_saml_app(state: dict[str, Any]) -> dict[str, Any]:
    """The whole app object sent on create and on EVERY update (resource_okta_app_saml.go:638-780,
    buildSamlApp; app.go:229-284 for credentials, visibility, accessibility, notes, settings):
    what the configuration does not set goes out as its default or empty, never as Okta had it."""
    sign_on: dict[str, Any] = {
        "defaultRelayState": _s(state, "default_relay_state"),
        "ssoAcsUrl": _s(state, "sso_url"),
        "recipient": _s(state, "recipient"),
        "destination": _s(state, "destination"),
        "audience": _s(state, "audience"),
        "idpIssuer": _s(state, "idp_issuer"),
        "subjectNameIdTemplate": _s(state, "subject_name_id_template"),
        "subjectNameIdFormat": _s(state, "subject_name_id_format"),
        "responseSigned": _b(state, "response_signed"),
        "assertionSigned": _b(state, "assertion_signed"),
        "signatureAlgorithm": _s(state, "signature_algorithm"),
        "digestAlgorithm": _s(state, "digest_algorithm"),
        "honorForceAuthn": _b(state, "honor_force_authn"),
        "authnContextClassRef": _s(state, "authn_context_class_ref"),
        "slo": {"enabled": False},  # :712, replaced below only when single_logout_issuer is set
        "samlSignedRequestEnabled": _b(state, "saml_signed_request_enabled"),
    }
    if state.get("single_logout_issuer"):  # :721-730
        sign_on["slo"] = {
            "enabled": True,
            "issuer": state["single_logout_issuer"],
            "logoutUrl": _s(state, "single_logout_url"),
        }
        sign_on["spCertificate"] = {"x5c": [_s(state, "single_logout_certificate")]}
    acs = list(state.get("acs_endpoints") or [])  # :735-770
    sign_on["allowMultipleAcsEndpoints"] = bool(acs)
    if acs:
        sign_on["acsEndpoints"] = [{"index": i, "url": url} for i, url in enumerate(acs)]
    sign_on["attributeStatements"] = [  # :748-765
        {
            "filterType": st.get("filter_type") or "",
            "filterValue": st.get("filter_value") or "",
            "name": st.get("name") or "",
            "namespace": st.get("namespace") or STATEMENT_DEFAULTS["namespace"],
            "type": st.get("type") or STATEMENT_DEFAULTS["type"],
            "values": list(st.get("values") or []),
        }
        for st in state.get("attribute_statements") or []
    ]
    app: dict[str, Any] = {
        "name": state.get("preconfigured_app") or state.get("name") or "",
        "label": state["label"],
        "signOnMode": "SAML_1_1" if _get(state, "saml_version") == "1.1" else "SAML_2_0",
        "visibility": {  # app.go:246
            "autoSubmitToolbar": _b(state, "auto_submit_toolbar"),
            "hide": {"iOS": _b(state, "hide_ios"), "web": _b(state, "hide_web")},
        },
        "accessibility": {  # app.go:238
            "selfService": _b(state, "accessibility_self_service"),
            "errorRedirectUrl": _s(state, "accessibility_error_redirect_url"),
            "loginRedirectUrl": _s(state, "accessibility_login_redirect_url"),
        },
        "settings": {
            "implicitAssignment": bool(state.get("implicit_assignment")),
            "notes": {
                k: v
                for k, v in (("admin", state.get("admin_note")), ("enduser", state.get("enduser_note")))
                if v
            },
            "app": json.loads(state["app_settings_json"]) if state.get("app_settings_json") else {},
            "signOn": sign_on,
        },
        "credentials": {
            "userNameTemplate": {  # app.go:229 BuildUserNameTemplate
                "template": _s(state, "user_name_template"),
                "type": _s(state, "user_name_template_type"),
                "suffix": _s(state, "user_name_template_suffix"),
                "pushStatus": _s(state, "user_name_template_push_status"),
            }
        },
    }
    if state.get("key_id"):  # :767
        app["credentials"]["signing"] = {"kid": state["key_id"]}
    if not app["name"]:
        del app["name"]
    return app


def _link(obj: dict[str, Any], name: str) -> str:
    link = (obj.get("_links") or {}).get(name) or {}
    if isinstance(link, list):
        link = link[0] if link else {}
    return link.get("href") or ""


def _validate_saml(state: dict[str, Any]) -> None:
    """validateAppSaml (resource_okta_app_saml.go:820-840) and the custom-app required fields."""
    for st in state.get("attribute_statements") or []:
        kind = st.get("type") or "EXPRESSION"
        if (st.get("filter_type") or st.get("filter_value")) and kind != "GROUP":
            raise ApiError("invalid 'attribute_statements'", "filter_* need type GROUP")
        if st.get("values") and kind != "EXPRESSION":
            raise ApiError("invalid 'attribute_statements'", "values need type EXPRESSION")
    if not state.get("preconfigured_app") and not (
        state.get("response_signed") or state.get("assertion_signed")
    ):
        raise ApiError(
            "failed to create SAML application", "custom SAML apps must sign the response or assertion"
        )


class AppSaml(Model):
    """okta_app_saml (SDKv2)."""

    defaults: ClassVar[dict[str, Any]] = SAML_DEFAULTS

    def plan(self, ctx: Context, prior: dict[str, Any] | None, planned: dict[str, Any]) -> dict[str, Any]:
        planned = super().plan(ctx, prior, planned)
        # app.go:160-163 (DiffSuppressFunc of idp_issuer): Okta's own default is no change
        if prior is not None and not planned.get("idp_issuer") and prior.get("idp_issuer") == OKTA_ISSUER:
            planned["idp_issuer"] = prior["idp_issuer"]
        return planned

    def create(self, ctx: Context, planned: dict[str, Any]) -> dict[str, Any]:
        # resource_okta_app_saml.go:455-492
        _validate_saml(planned)
        okta = ctx.okta()
        activate = "true" if _get(planned, "status") == "ACTIVE" else "false"
        created = okta.call("POST", APPS, build_saml_app(planned), {"activate": activate}).body
        state = dict(planned, id=created["id"])
        # :480-489: unless skip_authentication_policy, createOrUpdateAuthenticationPolicy
        if not _b(planned, "skip_authentication_policy"):
            self._assign_policy(ctx, created["id"], planned.get("authentication_policy"))
        return self._read(ctx, state, planned)  # type: ignore[return-value]

    @staticmethod
    def _assign_policy(ctx: Context, app_id: str, policy_id: str | None) -> None:
        """app_authentication_policy.go:11-19 (configured id) and :32-47 with policy.go:397-420
        (the org's system ACCESS_POLICY when none is configured)."""
        okta = ctx.okta()
        if not policy_id:
            policies = okta.call("GET", "/api/v1/policies", query={"type": "ACCESS_POLICY"}).body or []
            system = [p for p in policies if p.get("system")]
            if len(system) != 1:
                raise ApiError(
                    "failed to set authentication policy", "cannot find default ACCESS_POLICY policy"
                )
            policy_id = system[0]["id"]
        okta.call("PUT", f"{APPS}/{app_id}/policies/{policy_id}")

    def read(self, ctx: Context, state: dict[str, Any]) -> dict[str, Any] | None:
        return self._read(ctx, state, state)

    def _read(self, ctx: Context, state: dict[str, Any], prior: dict[str, Any]) -> dict[str, Any] | None:
        # resource_okta_app_saml.go:494-582 (resourceAppSamlRead)
        okta = ctx.okta()
        answer = okta.call("GET", f"{APPS}/{state['id']}", ok=(404,))
        if answer.status == 404:
            return None
        app = answer.body
        new = dict(state)
        if not _b(new, "skip_authentication_policy"):  # :503-507, app_authentication_policy.go:21
            policy = _link(app, "accessPolicy")
            if policy:
                new["authentication_policy"] = policy.rstrip("/").rsplit("/", 1)[-1]
        else:
            new["authentication_policy"] = ""
        settings = app.get("settings") or {}
        sign_on = settings.get("signOn") or {}
        for name, key in (  # app.go:353-368 setSamlSettings
            ("default_relay_state", "defaultRelayState"),
            ("sso_url", "ssoAcsUrl"),
            ("recipient", "recipient"),
            ("destination", "destination"),
            ("audience", "audience"),
            ("idp_issuer", "idpIssuer"),
            ("subject_name_id_template", "subjectNameIdTemplate"),
            ("subject_name_id_format", "subjectNameIdFormat"),
            ("response_signed", "responseSigned"),
            ("assertion_signed", "assertionSigned"),
            ("signature_algorithm", "signatureAlgorithm"),
            ("digest_algorithm", "digestAlgorithm"),
            ("honor_force_authn", "honorForceAuthn"),
            ("authn_context_class_ref", "authnContextClassRef"),
            ("saml_signed_request_enabled", "samlSignedRequestEnabled"),
        ):
            _set(new, name, sign_on.get(key))
        acs = sign_on.get("acsEndpoints") or []
        if sign_on.get("allowMultipleAcsEndpoints") and acs:  # app.go:369-395
            _set(new, "acs_endpoints", [e["url"] for e in sorted(acs, key=lambda e: e.get("index", 0))])
        new["attribute_statements"] = [  # app.go:401-426
            {
                "name": st.get("name"),
                "namespace": st.get("namespace"),
                "type": st.get("type"),
                "values": _zero_to_prior(_prior_statement(prior, i, "values"), st.get("values") or []),
                "filter_type": _zero_to_prior(
                    _prior_statement(prior, i, "filter_type"), st.get("filterType")
                ),
                "filter_value": _zero_to_prior(
                    _prior_statement(prior, i, "filter_value"), st.get("filterValue")
                ),
            }
            for i, st in enumerate(sign_on.get("attributeStatements") or [])
        ]
        slo = sign_on.get("slo") or {}
        if slo.get("enabled"):  # app.go:416-422
            new["single_logout_issuer"] = slo.get("issuer")
            new["single_logout_url"] = slo.get("logoutUrl")
            x5c = (sign_on.get("spCertificate") or {}).get("x5c") or []
            if x5c:
                new["single_logout_certificate"] = x5c[0]
        new["features"] = list(app.get("features") or [])  # :520
        template = (app.get("credentials") or {}).get("userNameTemplate") or {}
        new["user_name_template"] = template.get("template")  # :522-525
        new["user_name_template_type"] = template.get("type")
        _set(new, "user_name_template_suffix", template.get("suffix"))
        _set(new, "user_name_template_push_status", template.get("pushStatus"))
        _set(new, "preconfigured_app", None)  # app.Name: custom apps carry a generated name
        new["name"] = app.get("name")
        _set(new, "implicit_assignment", settings.get("implicitAssignment") or False)
        kid = ((app.get("credentials") or {}).get("signing") or {}).get("kid") or ""
        if kid and app.get("status") != "INACTIVE":  # :535-555
            new["key_id"] = kid
            metadata = okta.call("GET", f"{APPS}/{app['id']}/sso/saml/metadata").body
            new["metadata"] = metadata if isinstance(metadata, str) else json.dumps(metadata)
            new["metadata_url"] = _link(app, "metadata")
            new["entity_url"] = _entity_id(new["metadata"])
            new["certificate"] = _certificate(new["metadata"])
        new["status"] = app.get("status")  # app.go:182-201 appRead
        new["sign_on_mode"] = app.get("signOnMode")
        new["label"] = app.get("label")
        accessibility = app.get("accessibility")
        if accessibility is not None:
            new["accessibility_self_service"] = bool(accessibility.get("selfService"))
            _set(new, "accessibility_error_redirect_url", accessibility.get("errorRedirectUrl"))
            _set(new, "accessibility_login_redirect_url", accessibility.get("loginRedirectUrl"))
        visibility = app.get("visibility") or {}
        new["auto_submit_toolbar"] = bool(visibility.get("autoSubmitToolbar"))
        new["hide_ios"] = bool((visibility.get("hide") or {}).get("iOS"))
        new["hide_web"] = bool((visibility.get("hide") or {}).get("web"))
        new["saml_version"] = "1.1" if app.get("signOnMode") == "SAML_1_1" else "2.0"
        return new

    def update(self, ctx: Context, prior: dict[str, Any], planned: dict[str, Any]) -> dict[str, Any]:
        # resource_okta_app_saml.go:584-628 and app.go:511-530 (AppUpdateStatus)
        _validate_saml(planned)
        okta = ctx.okta()
        status = _get(planned, "status")
        if changed(prior, planned, "status"):
            action = "activate" if status == "ACTIVE" else "deactivate"
            okta.call("POST", f"{APPS}/{prior['id']}/lifecycle/{action}")
        others = [k for k in planned if k != "status" and prior.get(k) != planned.get(k)]
        if not others:
            return self._read(ctx, dict(planned, id=prior["id"]), planned)  # type: ignore[return-value]
        okta.call("PUT", f"{APPS}/{prior['id']}", build_saml_app(planned))  # :603, a full PUT
        if not _b(planned, "skip_authentication_policy"):  # :620-625: on every update too
            self._assign_policy(ctx, prior["id"], planned.get("authentication_policy"))
        return self._read(ctx, dict(planned, id=prior["id"]), planned)  # type: ignore[return-value]

    def delete(self, ctx: Context, prior: dict[str, Any]) -> None:
        # app.go:439-475 (deleteApplication): deactivate when ACTIVE, then DELETE
        okta = ctx.okta()
        if _get(prior, "status") == "ACTIVE":
            okta.call("POST", f"{APPS}/{prior['id']}/lifecycle/deactivate", ok=(404,))
        okta.call("DELETE", f"{APPS}/{prior['id']}", ok=(404,))

    def import_state(self, ctx: Context, import_id: str) -> dict[str, Any] | None:
        # app.go:166 appImporter: the id, then Read. skip_authentication_policy is never set
        # (the Read only d.Get's it, false: resource_okta_app_saml.go:504), so it stays null and
        # the first plan updates it to its default (what discover's report announces).
        # honor_force_authn and saml_signed_request_enabled have schema defaults (false,
        # resource_okta_app_saml.go:294, :437) and setSamlSettings sets both from Okta's answer
        # (app.go:366, :368): an imported state holds false, not null.
        seed = {"id": import_id, "honor_force_authn": False, "saml_signed_request_enabled": False}
        return self._read(ctx, seed, {})


def _prior_statement(prior: dict[str, Any], index: int, name: str) -> Any:
    statements = prior.get("attribute_statements") or []
    if index < len(statements):
        return statements[index].get(name)
    # no prior statement (an import, or one added in Okta): setSamlSettings copies st.Values
    # (app.go:406-414), nil for a GROUP statement, which SetNonPrimitives stores as null
    return "" if name != "values" else None


def _entity_id(metadata: str) -> str:
    marker = 'entityID="'
    start = metadata.find(marker)
    if start < 0:
        return ""
    start += len(marker)
    return metadata[start : metadata.find('"', start)]


def _certificate(metadata: str) -> str:
    start = metadata.find("X509Certificate>")
    if start < 0:
        return ""
    start += len("X509Certificate>")
    return metadata[start : metadata.find("<", start)].strip()


# -- group assignments ------------------------------------------------------------------------


def _assignment_body(group: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {}
    if group.get("priority") is not None:
        body["priority"] = int(group["priority"])
    if group.get("profile"):
        body["profile"] = json.loads(group["profile"])
    return body


class AppGroupAssignments(Model):
    """okta_app_group_assignments (SDKv2): authoritative over every group of the app."""

    force_new = frozenset({"app_id"})

    def create(self, ctx: Context, planned: dict[str, Any]) -> dict[str, Any]:
        # resource_okta_app_group_assignments.go:108-128: a PUT per listed group, id = app id
        okta = ctx.okta()
        for group in planned.get("group") or []:
            okta.call("PUT", f"{APPS}/{planned['app_id']}/groups/{group['id']}", _assignment_body(group))
        state = self.read(ctx, dict(planned, id=planned["app_id"]))
        if state is None:
            raise ApiError("failed to fetch group assignments", "the app is gone")
        return state

    def read(self, ctx: Context, state: dict[str, Any]) -> dict[str, Any] | None:
        # :130-165 with app.go:303 (every assignment of the app, click-ops ones included) and
        # syncGroups :219-270 (listed ones in config order, then the others)
        okta = ctx.okta()
        try:
            current = okta.pages(f"{APPS}/{state['app_id']}/groups", {"limit": 200})
        except ApiError as error:
            if error.status == 404:
                return None
            raise
        by_id = {a["id"]: a for a in current}
        listed = state.get("group") or []
        result = []
        for group in listed:
            found = by_id.get(group["id"])
            if found is not None:
                result.append(_tf_group(found, group))
        known = {g["id"] for g in listed}
        result += [_tf_group(a, None) for a in current if a["id"] not in known]
        return dict(state, id=state.get("id") or state["app_id"], group=result)

    def update(self, ctx: Context, prior: dict[str, Any], planned: dict[str, Any]) -> dict[str, Any]:
        # :167-193 (splitAssignmentsTargets :316): unassign what left the list, then PUT the rest
        okta = ctx.okta()
        wanted = {g["id"]: g for g in planned.get("group") or []}
        for group in prior.get("group") or []:
            if group["id"] not in wanted:
                okta.call("DELETE", f"{APPS}/{planned['app_id']}/groups/{group['id']}", ok=(404,))
        before = {g["id"]: g for g in prior.get("group") or []}
        for group_id, group in wanted.items():
            if before.get(group_id) != group:
                okta.call("PUT", f"{APPS}/{planned['app_id']}/groups/{group_id}", _assignment_body(group))
        state = self.read(ctx, dict(planned, id=prior.get("id") or planned["app_id"]))
        return state if state is not None else dict(planned, group=[])

    def delete(self, ctx: Context, prior: dict[str, Any]) -> None:
        # :195-216: unassigns EVERY listed group (404s ignored)
        okta = ctx.okta()
        for group in prior.get("group") or []:
            okta.call("DELETE", f"{APPS}/{prior['app_id']}/groups/{group['id']}", ok=(404,))

    def import_state(self, ctx: Context, import_id: str) -> dict[str, Any] | None:
        return self.read(ctx, {"id": import_id, "app_id": import_id, "group": []})


def _tf_group(assignment: dict[str, Any], listed: dict[str, Any] | None) -> dict[str, Any]:
    """groupAssignmentToTFGroup / syncGroups: id, priority (when >= 0), profile (as JSON)."""
    profile = assignment.get("profile")
    text = json.dumps(profile, sort_keys=True) if profile else None
    if listed is not None and listed.get("profile") and text and json.loads(listed["profile"]) == profile:
        text = listed["profile"]
    if listed is not None and not listed.get("profile") and not profile:
        text = listed.get("profile")
    priority = assignment.get("priority")
    return {
        "id": assignment["id"],
        "priority": priority if isinstance(priority, int) and priority >= 0 else None,
        "profile": text,
    }


class AppGroupAssignment(Model):
    """okta_app_group_assignment (SDKv2): one group, per-group and non-authoritative."""

    force_new = frozenset({"app_id", "group_id"})
    defaults: ClassVar[dict[str, Any]] = {"retain_assignment": False}

    def create(self, ctx: Context, planned: dict[str, Any]) -> dict[str, Any]:
        # resource_okta_app_group_assignment.go:88-101: CreateApplicationGroupAssignment is a PUT
        okta = ctx.okta()
        answer = okta.call(
            "PUT", f"{APPS}/{planned['app_id']}/groups/{planned['group_id']}", _assignment_body(planned)
        ).body
        state = self.read(ctx, dict(planned, id=answer.get("id") or planned["group_id"]))
        if state is None:
            raise ApiError("failed to get application group assignment", "gone after create")
        return state

    def read(self, ctx: Context, state: dict[str, Any]) -> dict[str, Any] | None:
        # :117-140: a 404 drops it from state; profile and priority copied back
        okta = ctx.okta()
        answer = okta.call("GET", f"{APPS}/{state['app_id']}/groups/{state['group_id']}", ok=(404,))
        if answer.status == 404:
            return None
        found = answer.body
        new = dict(state)
        profile = found.get("profile")
        text = json.dumps(profile) if profile is not None else "null"
        held = state.get("profile")
        if not (held is None and not profile) and not (held and json.loads(held) == profile):
            new["profile"] = text
        if found.get("priority") is not None and state.get("priority") is not None:
            new["priority"] = found["priority"]
        return new

    def update(self, ctx: Context, prior: dict[str, Any], planned: dict[str, Any]) -> dict[str, Any]:
        # :103-115: "Create actually does a PUT"
        okta = ctx.okta()
        okta.call(
            "PUT", f"{APPS}/{planned['app_id']}/groups/{planned['group_id']}", _assignment_body(planned)
        )
        return self.read(ctx, dict(planned, id=prior["id"])) or dict(planned, id=prior["id"])

    def delete(self, ctx: Context, prior: dict[str, Any]) -> None:
        # :142-158: unassigns unless retain_assignment
        if prior.get("retain_assignment"):
            return
        ctx.okta().call("DELETE", f"{APPS}/{prior['app_id']}/groups/{prior['group_id']}")

    def import_state(self, ctx: Context, import_id: str) -> dict[str, Any] | None:
        # :24-40: "<app_id>/<group_id>", retain_assignment false, GET of the assignment
        parts = import_id.split("/")
        if len(parts) != 2:
            raise ApiError("invalid resource import specifier", "Use: terraform import <app_id>/<group_id>")
        answer = ctx.okta().call("GET", f"{APPS}/{parts[0]}/groups/{parts[1]}").body
        found = {
            "id": answer.get("id") or parts[1],
            "app_id": parts[0],
            "group_id": parts[1],
            "retain_assignment": False,
        }
        # the Read after the import (:117-140) sets priority whenever Okta answers one
        # (`if g.PriorityPtr != nil`, :136)
        if answer.get("priority") is not None:
            found["priority"] = answer["priority"]
        return found


# -- group push -------------------------------------------------------------------------------


class PushGroup(Model):
    """okta_push_group (plugin framework)."""

    force_new = frozenset({"app_id", "source_group_id"})
    defaults: ClassVar[dict[str, Any]] = {
        "status": "ACTIVE",
        "delete_target_group_on_destroy": True,
    }  # resource_okta_push_group.go:102-115
    legacy_sdk = False

    def plan(self, ctx: Context, prior: dict[str, Any] | None, planned: dict[str, Any]) -> dict[str, Any]:
        planned = super().plan(ctx, prior, planned)
        if prior is not None and planned.get("target_group_id") is None:
            planned["target_group_id"] = prior.get("target_group_id")
        return planned

    def create(self, ctx: Context, planned: dict[str, Any]) -> dict[str, Any]:
        # resource_okta_push_group.go:137-218
        okta = ctx.okta()
        body: dict[str, Any] = {
            "status": planned.get("status") or "ACTIVE",
            "sourceGroupId": planned["source_group_id"],
        }
        if planned.get("target_group_name"):
            body["targetGroupName"] = planned["target_group_name"]
        if isinstance(planned.get("target_group_id"), str) and planned["target_group_id"]:
            body["targetGroupId"] = planned["target_group_id"]
        if not body.get("targetGroupName") and not body.get("targetGroupId"):  # :184-197
            source = okta.call("GET", f"/api/v1/groups/{planned['source_group_id']}").body
            body["targetGroupName"] = source["profile"]["name"]
        mapping = okta.call("POST", f"{APPS}/{planned['app_id']}/group-push/mappings", body).body
        return _mapping_state(planned, mapping)

    def read(self, ctx: Context, state: dict[str, Any]) -> dict[str, Any] | None:
        # :220-242 (a failed GET is an error, even a 404), :343-349 copies id, source, target, status
        mapping = ctx.okta().call("GET", f"{APPS}/{state['app_id']}/group-push/mappings/{state['id']}").body
        return _mapping_state(state, mapping)

    def update(self, ctx: Context, prior: dict[str, Any], planned: dict[str, Any]) -> dict[str, Any]:
        # :244-278: refused unless the state's status is ACTIVE or INACTIVE; PATCH of the status
        if prior.get("status") not in ("ACTIVE", "INACTIVE"):
            raise ApiError(
                "Group push mapping in disallowed status",
                f"status {prior.get('status')}: Okta updates a mapping only when ACTIVE or INACTIVE",
            )
        mapping = (
            ctx.okta()
            .call(
                "PATCH",
                f"{APPS}/{prior['app_id']}/group-push/mappings/{prior['id']}",
                {"status": planned.get("status")},
            )
            .body
        )
        return _mapping_state(dict(planned, id=prior["id"]), mapping)

    def delete(self, ctx: Context, prior: dict[str, Any]) -> None:
        # :280-307: refused outside ACTIVE/INACTIVE; deactivate, then DELETE with deleteTargetGroup
        if prior.get("status") not in ("ACTIVE", "INACTIVE"):
            raise ApiError(
                "Group push mapping in disallowed status",
                f"status {prior.get('status')}: deleting needs INACTIVE, and Okta sets it only from ACTIVE",
            )
        okta = ctx.okta()
        path = f"{APPS}/{prior['app_id']}/group-push/mappings/{prior['id']}"
        if prior.get("status") != "INACTIVE":
            okta.call("PATCH", path, {"status": "INACTIVE"})
        delete_target = prior.get("delete_target_group_on_destroy")
        okta.call("DELETE", path, query={"deleteTargetGroup": "true" if delete_target else "false"})

    def import_state(self, ctx: Context, import_id: str) -> dict[str, Any] | None:
        # :309-340: "<app_id>/<mapping_id>"; delete_target_group_on_destroy takes its default
        app_id, _, mapping_id = import_id.partition("/")
        seed = {"id": mapping_id, "app_id": app_id, "delete_target_group_on_destroy": True}
        return self.read(ctx, seed)


def _mapping_state(state: dict[str, Any], mapping: dict[str, Any]) -> dict[str, Any]:
    return dict(
        state,
        id=mapping.get("id"),
        source_group_id=mapping.get("sourceGroupId"),
        target_group_id=mapping.get("targetGroupId"),
        status=mapping.get("status"),
        app_config=None,
    )


# -- provisioning connection and features -----------------------------------------------------


class AppConnection(Model):
    """okta_app_connection (plugin framework); cannot be destroyed."""

    legacy_sdk = False

    def _send(self, ctx: Context, planned: dict[str, Any]) -> dict[str, Any]:
        # :146-194 / :313-370: POST connections/default (buildDefaultProvisioningConnections
        # :217), then activate or deactivate by `action`; state from the answer (:196-215)
        okta = ctx.okta()
        profile = planned.get("profile") or {}
        body = {
            "baseUrl": planned["base_url"],
            "profile": {
                "authScheme": profile.get("auth_scheme") or "TOKEN",
                "token": profile.get("token") or "",
            },
        }
        answer = okta.call("POST", f"{APPS}/{planned['id']}/connections/default", body).body or {}
        new = dict(planned)
        if planned.get("action") == "activate":
            okta.call("POST", f"{APPS}/{planned['id']}/connections/default/lifecycle/activate")
            new["status"] = "ENABLED"
        elif planned.get("action") == "deactivate":
            okta.call("POST", f"{APPS}/{planned['id']}/connections/default/lifecycle/deactivate")
            new["status"] = "DISABLED"
        new["base_url"] = answer.get("baseUrl") or ""
        new["profile"] = dict(profile, auth_scheme=(answer.get("profile") or {}).get("authScheme"))
        if new.get("status") is None:
            new["status"] = answer.get("status") or "UNKNOWN"
        return new

    def create(self, ctx: Context, planned: dict[str, Any]) -> dict[str, Any]:
        return self._send(ctx, planned)

    def update(self, ctx: Context, prior: dict[str, Any], planned: dict[str, Any]) -> dict[str, Any]:
        return self._send(ctx, planned)

    def read(self, ctx: Context, state: dict[str, Any]) -> dict[str, Any] | None:
        # :249-285 and setStatus :287-311: ENABLED -> activate, DISABLED -> deactivate, any
        # other status (UNKNOWN on a custom app) -> action ""
        answer = ctx.okta().call("GET", f"{APPS}/{state['id']}/connections/default").body or {}
        new = dict(state, base_url=answer.get("baseUrl") or state.get("base_url"))
        status = answer.get("status") or ""
        new["status"] = status or "UNKNOWN"
        new["action"] = {"ENABLED": "activate", "DISABLED": "deactivate"}.get(status, "")
        profile = dict(state.get("profile") or {})
        if answer.get("profile"):
            profile["auth_scheme"] = answer["profile"].get("authScheme")
        new["profile"] = profile or None
        return new

    def delete(self, ctx: Context, prior: dict[str, Any]) -> None:
        return None  # :372-377: a warning, nothing sent


class AppFeatures(Model):
    """okta_app_features (plugin framework); cannot be destroyed."""

    legacy_sdk = False

    def _send(self, ctx: Context, planned: dict[str, Any]) -> dict[str, Any]:
        # Create :328-351 / Update :616-642: PUT features/{name} (buildUpdateAppFeature :495),
        # then the answer copied into state (updateAppFeatureState :353, user provisioning :438-493)
        body = _features_request(planned)
        answer = ctx.okta().call("PUT", f"{APPS}/{planned['app_id']}/features/{planned['name']}", body).body
        return _features_state(planned, answer)

    def create(self, ctx: Context, planned: dict[str, Any]) -> dict[str, Any]:
        return self._send(ctx, planned)

    def update(self, ctx: Context, prior: dict[str, Any], planned: dict[str, Any]) -> dict[str, Any]:
        return self._send(ctx, planned)

    def read(self, ctx: Context, state: dict[str, Any]) -> dict[str, Any] | None:
        # :587-614: GET features/{name}, the same copy into state
        answer = ctx.okta().call("GET", f"{APPS}/{state['app_id']}/features/{state['name']}").body
        return _features_state(state, answer)

    def delete(self, ctx: Context, prior: dict[str, Any]) -> None:
        return None  # :644-650: a warning, nothing sent


def _features_request(planned: dict[str, Any]) -> dict[str, Any]:
    capabilities = planned.get("capabilities") or {}
    request: dict[str, Any] = {}
    create = (capabilities.get("create") or {}).get("lifecycle_create")
    if create:
        request["create"] = {"lifecycleCreate": {"status": create.get("status")}}
    update = capabilities.get("update") or {}
    if update:
        out: dict[str, Any] = {}
        if update.get("lifecycle_deactivate"):
            out["lifecycleDeactivate"] = {"status": update["lifecycle_deactivate"].get("status")}
        if update.get("password"):
            password = update["password"]
            out["password"] = {k: password.get(k) for k in ("status", "seed", "change")}
        if update.get("profile"):
            out["profile"] = {"status": update["profile"].get("status")}
        request["update"] = out
    return request


def _features_state(planned: dict[str, Any], answer: dict[str, Any]) -> dict[str, Any]:
    """updateUserProvisioningFeature (:438-493): create.lifecycle_create, update.lifecycle_deactivate,
    update.password (change, seed, status) and update.profile come from Okta's answer, whatever
    the configuration said; status and name too."""
    new = dict(planned)
    capabilities = dict(planned.get("capabilities") or {})
    live = answer.get("capabilities") or {}
    create = (live.get("create") or {}).get("lifecycleCreate")
    if create is not None:
        capabilities["create"] = {"lifecycle_create": {"status": create.get("status")}}
    update_live = live.get("update") or {}
    update = dict(capabilities.get("update") or {})
    if update_live.get("lifecycleDeactivate") is not None:
        update["lifecycle_deactivate"] = {"status": update_live["lifecycleDeactivate"].get("status")}
    if update_live.get("password") is not None:
        password = update_live["password"]
        update["password"] = {k: password.get(k) or "" for k in ("change", "seed", "status")}
    if update_live.get("profile") is not None:
        update["profile"] = {"status": update_live["profile"].get("status")}
    if update:
        capabilities["update"] = update
    new["capabilities"] = capabilities
    if answer.get("name") == "INBOUND_PROVISIONING":  # :430-432; the user feature keeps it (:489-490)
        new["description"] = answer.get("description") or ""
    new["status"] = answer.get("status") or ""
    new["name"] = answer.get("name") or planned["name"]
    new["id"] = f"{planned['app_id']}/{planned['name']}"
    return new


# -- data sources -----------------------------------------------------------------------------


class GroupData(DataModel):
    """data.okta_group by name (data_source_okta_group.go:80-160)."""

    def read(self, ctx: Context, config: dict[str, Any]) -> dict[str, Any]:
        okta = ctx.okta()
        if config.get("id"):
            group = okta.call("GET", f"/api/v1/groups/{config['id']}").body
        else:
            name = config.get("name") or ""
            query = {"q": name}  # :92: a starts-with query
            kind = config.get("type")
            if kind:  # :99-102: type becomes a filter of the search
                query["filter"] = f'type eq "{kind}"'
            groups = okta.call("GET", "/api/v1/groups", query=query).body or []
            group = None
            if len(groups) > 1:  # :109-131: an exact name (and type) among several
                for found in groups:
                    if found["profile"]["name"] == name and (not kind or found.get("type") == kind):
                        group = found
                        break
                if group is None:
                    what = f"name {name!r} and type {kind!r}" if kind else f"name {name!r}"
                    raise ApiError(
                        f"group starting with {what} matches {len(groups)} groups",
                        "select a more precise name parameter",
                    )
            elif not groups:  # :133-138
                if kind:
                    raise ApiError(f'group with name "{name}" and type "{kind}" does not exist')
                raise ApiError(f'group with name "{name}" does not exist')
            else:  # :139-145: a single partial match is kept
                group = groups[0]
        state = dict(config, id=group["id"], description=group["profile"].get("description") or "")
        state["type"] = group.get("type")
        state["name"] = group["profile"]["name"]
        if config.get("include_users"):
            users = okta.pages(f"/api/v1/groups/{group['id']}/users")
            state["users"] = sorted(u["id"] for u in users)
        return state


class PolicyData(DataModel):
    """data.okta_policy (data_source_okta_policy.go:34-42, policy.go:432-455): every policy of
    the type, paged, the first with exactly the name."""

    def read(self, ctx: Context, config: dict[str, Any]) -> dict[str, Any]:
        kind, name = config.get("type") or "", config.get("name") or ""
        for policy in ctx.okta().pages("/api/v1/policies", {"type": kind}):
            if policy.get("name") == name:
                return dict(config, id=policy["id"], status=policy.get("status"))
        raise ApiError(f"no policies retrieved for policy type '{kind}' and name '{name}'")


RESOURCES: dict[str, Model] = {
    "okta_app_saml": AppSaml(),
    "okta_app_group_assignments": AppGroupAssignments(),
    "okta_app_group_assignment": AppGroupAssignment(),
    "okta_push_group": PushGroup(),
    "okta_app_connection": AppConnection(),
    "okta_app_features": AppFeatures(),
}
DATA_SOURCES: dict[str, DataModel] = {"okta_group": GroupData(), "okta_policy": PolicyData()}
