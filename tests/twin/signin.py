"""Sign-in: the twin's Okta builds and signs a SAML 2.0 response from the app's settings; the
twin's Grafana checks it as a service provider does and applies its SAML settings.

Okta side (Okta's "Create SAML app integrations" and Expression Language docs): the user must
be ACTIVE and assigned; the subject NameID comes from `subjectNameIdTemplate`; each EXPRESSION
attribute statement is evaluated (`user.<attribute>`, `+` concatenation with string literals,
`user.getInternalProperty("id")`, `appuser.userName`); a GROUP statement lists the user's groups
whose name matches its filter (REGEX: the whole name, STARTS_WITH, EQUALS, CONTAINS) and is
left out when none does. Signed with signxml (enveloped, RSA-SHA256) as `assertionSigned` /
`responseSigned` ask. Anything else raises TwinUnsupported.

Grafana side: the signature is verified against the IdP certificate from the SAML settings
(`idp_metadata` base64 XML, `idp_metadata_url` pointing at the app's metadata, or
`certificate`... of the IdP is not a Grafana setting: the SP's own `certificate`/`private_key`
are not used to verify), and only the verified XML is read; the audience must be the SP entity
id (`entity_id`, default `<root_url>/saml/metadata`) and the recipient/destination the ACS
`<root_url>/saml/acs`; an unsolicited response needs `allow_idp_initiated` (and the relay
state when `relay_state` is set). Grafana's SAML code is closed source: what follows comes from
Grafana's docs only ("Configure SAML authentication", "Configure SCIM provisioning", the
`[auth.saml]` reference): `allowed_organizations` (the org attribute must hold one),
`allow_sign_up` (default true), the external uid match (`assertion_attribute_external_uid`
against the SCIM externalId), `reject_non_provisioned_users`
(the SCIM config), role mapping (`assertion_attribute_role` + `role_values_*`, highest role
wins), `org_mapping` with `assertion_attribute_org` (org sync replaces every membership and role
at each sign-in unless `skip_org_role_sync`). Value lists (`role_values_*`, `org_mapping`) are
split as Grafana's public util.SplitString does (pkg/util/strings.go): a JSON list when the value
starts with `[`, else split on commas and whitespace.
"""

from __future__ import annotations

import base64
import datetime
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from lxml import etree
from signxml import SignatureConfiguration, XMLSigner, XMLVerifier, methods
from signxml.exceptions import InvalidInput, InvalidSignature

from .errors import TwinUnsupported

if TYPE_CHECKING:
    from .grafana import GrafanaInstance, GrafanaUser
    from .okta import OktaApp, OktaOrg, OktaUser
    from .twin import Twin

SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
MD = "urn:oasis:names:tc:SAML:2.0:metadata"
DS = "http://www.w3.org/2000/09/xmldsig#"
NS = {"samlp": SAMLP, "saml": SAML, "md": MD, "ds": DS}
BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:"
ROLE_ORDER = ["None", "Viewer", "Editor", "Admin"]
FORMATS = {
    "urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified",
    "urn:oasis:names:tc:SAML:2.0:attrname-format:uri",
    "urn:oasis:names:tc:SAML:2.0:attrname-format:basic",
}


# -- keys and metadata ---------------------------------------------------------------------------
@dataclass(frozen=True)
class SigningKey:
    key_pem: bytes
    cert_pem: bytes

    @property
    def cert_b64(self) -> str:
        body = self.cert_pem.decode().split("-----")[2]
        return "".join(body.split())

    @property
    def thumbprint(self) -> str:
        """x5t#S256: base64url SHA-256 of the DER certificate."""
        der = base64.b64decode(self.cert_b64)
        digest = hashes.Hash(hashes.SHA256())
        digest.update(der)
        return base64.urlsafe_b64encode(digest.finalize()).rstrip(b"=").decode()

    def public_numbers(self) -> tuple[str, str]:
        """(e, n) base64url, as a JSON Web Key carries them."""
        public = x509.load_pem_x509_certificate(self.cert_pem).public_key()
        numbers = public.public_numbers()  # type: ignore[union-attr]

        def b64(value: int) -> str:
            raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
            return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

        return b64(numbers.e), b64(numbers.n)  # type: ignore[union-attr]


@lru_cache(maxsize=64)
def signing_key(external_key: str) -> SigningKey:
    """The app's signing key and self-signed certificate (made once per app key, cached)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"twin-{external_key}")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(int.from_bytes(external_key.encode()[-8:], "big"))
        .not_valid_before(datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
        .not_valid_after(datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC))
        .sign(key, hashes.SHA256())
    )
    return SigningKey(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ),
        cert.public_bytes(serialization.Encoding.PEM),
    )


def app_key(app: OktaApp) -> SigningKey:
    if app.signing is None:
        app.signing = signing_key(app.external_key)
    key: SigningKey = app.signing
    return key


def issuer(app: OktaApp) -> str:
    return f"http://www.okta.com/{app.external_key}"


def sso_url(org: OktaOrg, app: OktaApp) -> str:
    return f"{org.org_url}/app/{app.doc['name']}/{app.external_key}/sso/saml"


def idp_metadata(org: OktaOrg, app: OktaApp) -> str:
    """The IdP metadata Okta serves for the app (entity id, signing certificate, SSO URLs)."""
    cert = app_key(app).cert_b64
    location = sso_url(org, app)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<md:EntityDescriptor xmlns:md="{MD}" entityID="{issuer(app)}">'
        f'<md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="{SAMLP}">'
        f'<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="{DS}"><ds:X509Data>'
        f"<ds:X509Certificate>{cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"
        "<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat>"
        "<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>"
        f'<md:SingleSignOnService Binding="{BINDING}HTTP-POST" Location="{location}"/>'
        f'<md:SingleSignOnService Binding="{BINDING}HTTP-Redirect" Location="{location}"/>'
        "</md:IDPSSODescriptor></md:EntityDescriptor>"
    )


# -- Okta: expressions ---------------------------------------------------------------------------
def evaluate(expression: str, org: OktaOrg, app: OktaApp, user: OktaUser) -> str:
    """An Okta expression of the forms the project emits; anything else: TwinUnsupported."""
    parts = split_concatenation(expression)
    out = []
    for part in parts:
        literal = re.fullmatch(r'"((?:[^"\\]|\\.)*)"', part)
        if literal:
            out.append(literal.group(1).encode().decode("unicode_escape"))
            continue
        internal = re.fullmatch(r'user\.getInternalProperty\(\s*"([A-Za-z]+)"\s*\)', part)
        if internal:
            properties = {
                "id": user.id,
                "status": user.status,
                "created": user.created,
                "lastUpdated": user.last_updated,
            }
            if internal.group(1) not in properties:
                raise TwinUnsupported(
                    f"okta expression: got {expression}; no internal property {internal.group(1)}"
                )
            out.append(properties[internal.group(1)])
            continue
        attribute = re.fullmatch(r"user\.([A-Za-z][A-Za-z0-9_]*)", part)
        if attribute:
            out.append(str(user.profile.get(attribute.group(1)) or ""))
            continue
        if part == "appuser.userName":
            out.append(org.user_name(app.id, user.id))
            continue
        raise TwinUnsupported(
            f"okta expression: got {expression}; the twin evaluates user.<attribute>, "
            'user.getInternalProperty("id"), appuser.userName, "literals" and +'
        )
    return "".join(out)


def split_concatenation(expression: str) -> list[str]:
    """`a + " " + b` -> [a, '" "', b] (a + inside a string literal is kept)."""
    parts, current, quoted, escaped = [], "", False, False
    for char in expression:
        if escaped:
            current, escaped = current + char, False
        elif char == "\\" and quoted:
            current, escaped = current + char, True
        elif char == '"':
            current, quoted = current + char, not quoted
        elif char == "+" and not quoted:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    if any(not p for p in parts):
        raise TwinUnsupported(f"okta expression: got {expression}; expected terms joined with +")
    return parts


def name_id(template: str, org: OktaOrg, app: OktaApp, user: OktaUser) -> str:
    match = re.fullmatch(r"\$\{user\.([A-Za-z]+)\}", template.strip())
    if not match:
        raise TwinUnsupported(f"okta subjectNameIdTemplate: got {template}; expected ${{user.<attribute>}}")
    if match.group(1) == "userName":
        return org.user_name(app.id, user.id)
    return str(user.profile.get(match.group(1)) or "")


def group_matches(filter_type: str, filter_value: str, name: str) -> bool:
    if filter_type == "REGEX":
        return re.fullmatch(filter_value, name) is not None
    if filter_type == "STARTS_WITH":
        return name.startswith(filter_value)
    if filter_type == "EQUALS":
        return name == filter_value
    if filter_type == "CONTAINS":
        return filter_value in name
    raise TwinUnsupported(
        f"okta group filterType: got {filter_type}; expected REGEX, STARTS_WITH, EQUALS or CONTAINS"
    )


def attributes(org: OktaOrg, app: OktaApp, user: OktaUser) -> list[tuple[str, str, list[str]]]:
    """(name, name format, values) of every attribute statement that yields values."""
    out = []
    groups = sorted(g.name for g in org.groups.values() if user.id in g.members)
    for statement in app.doc["settings"]["signOn"]["attributeStatements"]:
        namespace = statement.get("namespace") or "urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified"
        if namespace not in FORMATS:
            raise TwinUnsupported(f"okta attribute namespace: got {namespace}")
        if statement["type"] == "GROUP":
            values = [
                g for g in groups if group_matches(statement["filterType"], statement["filterValue"], g)
            ]
            if values:
                out.append((statement["name"], namespace, values))
        else:
            out.append(
                (
                    statement["name"],
                    namespace,
                    [evaluate(v, org, app, user) for v in statement.get("values") or []],
                )
            )
    return out


# -- Okta: the response --------------------------------------------------------------------------
def build_response(
    org: OktaOrg, app: OktaApp, user: OktaUser, now: datetime.datetime, in_response_to: str | None
) -> bytes:
    """The signed SAML Response Okta posts to the app's ACS URL."""
    on = app.doc["settings"]["signOn"]
    stamp = now.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    later = (now + datetime.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    response_id, assertion_id = f"id{app.id}r{user.id}", f"id{app.id}a{user.id}"
    irt = {"InResponseTo": in_response_to} if in_response_to else {}
    response = etree.Element(
        f"{{{SAMLP}}}Response",
        nsmap={"saml2p": SAMLP, "saml2": SAML},
        ID=response_id,
        Version="2.0",
        IssueInstant=stamp,
        Destination=on["destination"],
        **irt,
    )
    etree.SubElement(response, f"{{{SAML}}}Issuer").text = issuer(app)
    status = etree.SubElement(response, f"{{{SAMLP}}}Status")
    etree.SubElement(status, f"{{{SAMLP}}}StatusCode", Value="urn:oasis:names:tc:SAML:2.0:status:Success")
    assertion = etree.SubElement(
        response, f"{{{SAML}}}Assertion", ID=assertion_id, IssueInstant=stamp, Version="2.0"
    )
    etree.SubElement(assertion, f"{{{SAML}}}Issuer").text = issuer(app)
    subject = etree.SubElement(assertion, f"{{{SAML}}}Subject")
    nid = etree.SubElement(subject, f"{{{SAML}}}NameID", Format=on["subjectNameIdFormat"])
    nid.text = name_id(on["subjectNameIdTemplate"], org, app, user)
    confirmation = etree.SubElement(
        subject, f"{{{SAML}}}SubjectConfirmation", Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"
    )
    etree.SubElement(
        confirmation,
        f"{{{SAML}}}SubjectConfirmationData",
        NotOnOrAfter=later,
        Recipient=on["recipient"],
        **irt,
    )
    conditions = etree.SubElement(assertion, f"{{{SAML}}}Conditions", NotBefore=stamp, NotOnOrAfter=later)
    restriction = etree.SubElement(conditions, f"{{{SAML}}}AudienceRestriction")
    etree.SubElement(restriction, f"{{{SAML}}}Audience").text = on["audience"]
    authn = etree.SubElement(
        assertion, f"{{{SAML}}}AuthnStatement", AuthnInstant=stamp, SessionIndex=response_id
    )
    context = etree.SubElement(authn, f"{{{SAML}}}AuthnContext")
    etree.SubElement(context, f"{{{SAML}}}AuthnContextClassRef").text = on["authnContextClassRef"]
    statements = attributes(org, app, user)
    if statements:
        attribute_statement = etree.SubElement(assertion, f"{{{SAML}}}AttributeStatement")
        for name, name_format, values in statements:
            attribute = etree.SubElement(
                attribute_statement, f"{{{SAML}}}Attribute", Name=name, NameFormat=name_format
            )
            for value in values:
                element = etree.SubElement(attribute, f"{{{SAML}}}AttributeValue")
                element.text = value
    key = app_key(app)
    signer = XMLSigner(
        method=methods.enveloped,
        signature_algorithm="rsa-sha256" if on["signatureAlgorithm"] == "RSA_SHA256" else "rsa-sha1",
        digest_algorithm="sha256" if on["digestAlgorithm"] == "SHA256" else "sha1",
        c14n_algorithm="http://www.w3.org/2001/10/xml-exc-c14n#",
    )
    if on["assertionSigned"]:
        cert = key.cert_pem.decode()
        signed = signer.sign(assertion, key=key.key_pem, cert=cert, reference_uri=assertion_id)
        _place_signature(signed)
        response.replace(assertion, signed)
    if on["responseSigned"]:
        cert = key.cert_pem.decode()
        response = signer.sign(response, key=key.key_pem, cert=cert, reference_uri=response_id)
        _place_signature(response)
    raw: bytes = etree.tostring(response)
    return raw


def _place_signature(element: Any) -> None:
    """SAML puts the Signature right after the Issuer (saml-core 5.4.1); enveloped signatures
    do not cover their own position."""
    signature = element.find(f"{{{DS}}}Signature")
    issuer_element = element.find(f"{{{SAML}}}Issuer")
    if signature is not None and issuer_element is not None:
        element.remove(signature)
        issuer_element.addnext(signature)


# -- Grafana: the service provider ---------------------------------------------------------------
@dataclass
class SignIn:
    """What happened when the person signed in."""

    ok: bool
    reason: str
    login: str = ""
    roles: dict[int, str] = field(default_factory=dict)
    provenance: str | None = None
    grafana_admin: bool = False
    attributes: dict[str, list[str]] = field(default_factory=dict)
    response: bytes = field(default=b"", repr=False)


def split_string(value: Any) -> list[str]:
    """Grafana's util.SplitString: JSON list if it starts with `[`, else split on commas and
    whitespace (an unparseable JSON list is empty)."""
    if isinstance(value, list):
        return [str(v) for v in value]
    text = str(value or "")
    if not text:
        return []
    if text.strip().startswith("["):
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError:
            return []
        return [str(v) for v in parsed] if isinstance(parsed, list) else []
    return text.replace(",", " ").split()


def truthy(value: Any, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    return str(value).lower() == "true"


def idp_certificate(twin: Twin, settings: dict[str, Any]) -> bytes | None:
    """The IdP signing certificate (PEM) from Grafana's SAML settings."""
    xml: bytes | None = None
    if settings.get("idp_metadata"):
        xml = base64.b64decode(settings["idp_metadata"])
    elif settings.get("idp_metadata_url"):
        url = str(settings["idp_metadata_url"])
        match = re.search(r"/apps?/([^/]+)/sso/saml/metadata", url) or re.search(
            r"/app/(exk[^/]+)/sso/saml/metadata", url
        )
        if not match or not url.startswith(twin.okta.org_url):
            raise TwinUnsupported(
                f"grafana idp_metadata_url: got {url}; expected the twin's Okta app metadata URL"
            )
        ref = match.group(1)
        app = twin.okta.apps.get(ref) or next(
            (a for a in twin.okta.apps.values() if a.external_key == ref), None
        )
        if app is None:
            return None
        xml = idp_metadata(twin.okta, app).encode()
    elif settings.get("idp_metadata_path"):
        raise TwinUnsupported("grafana idp_metadata_path: the twin has no file system for Grafana")
    if xml is None:
        return None
    found = etree.fromstring(xml).find(".//ds:X509Certificate", NS)
    if found is None or not found.text:
        return None
    body = "".join(found.text.split())
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return ("-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n").encode()


def verify(response: bytes, cert: bytes) -> tuple[Any, Any] | str:
    """(verified response, verified assertion) or why not. Only signed XML is read."""
    config = SignatureConfiguration(require_x509=True, expect_references=1)
    root = etree.fromstring(response)
    verified_response = None
    if root.find("ds:Signature", NS) is not None:
        try:
            result = XMLVerifier().verify(root, x509_cert=cert.decode(), expect_config=config)
        except (InvalidSignature, InvalidInput) as error:
            return f"invalid response signature: {error}"
        verified_response = result.signed_xml  # type: ignore[union-attr]
        root = verified_response
    assertion = root.find("saml:Assertion", NS)
    if assertion is None:
        return "no assertion"
    if assertion.find("ds:Signature", NS) is not None:
        try:
            result = XMLVerifier().verify(assertion, x509_cert=cert.decode(), expect_config=config)
        except (InvalidSignature, InvalidInput) as error:
            return f"invalid assertion signature: {error}"
        return root, result.signed_xml  # type: ignore[union-attr]
    if verified_response is None:
        return "neither the response nor the assertion is signed"
    return root, assertion


def sign_in(
    twin: Twin, login: str, grafana_url: str, app_id: str | None = None, idp_initiated: bool = False
) -> SignIn:
    """The person `login` signs in to the Grafana at grafana_url through the Okta app."""
    okta, grafana = twin.okta, twin.grafana_at(grafana_url)
    settings = grafana.sso.get("saml")
    if not settings or not truthy(settings.get("enabled"), True):
        return SignIn(False, "grafana: SAML is not configured")
    user = okta.user(login)
    app = okta.app(app_id) if app_id else _app_for(twin, grafana)
    if app is None:
        return SignIn(False, "okta: no SAML app posts to this Grafana")
    if app.doc["status"] != "ACTIVE":
        return SignIn(False, "okta: the app is inactive")
    if user.status != "ACTIVE":
        return SignIn(False, f"okta: the user is {user.status}")
    if user.id not in okta.assigned_users(app.id):
        return SignIn(False, "okta: the user is not assigned to the app")
    request_id = None if idp_initiated else f"id-grafana-{user.id}"
    response = build_response(okta, app, user, twin.clock.now(), request_id)
    return accept(twin, grafana, settings, response, request_id, app)


def _app_for(twin: Twin, grafana: GrafanaInstance) -> OktaApp | None:
    acs = f"{grafana.url}/saml/acs"
    found = [a for a in twin.okta.apps.values() if a.doc["settings"]["signOn"]["ssoAcsUrl"] == acs]
    return found[0] if found else None


def accept(
    twin: Twin,
    grafana: GrafanaInstance,
    settings: dict[str, Any],
    response: bytes,
    request_id: str | None,
    app: OktaApp,
) -> SignIn:
    """Grafana's ACS: check the response, then map the user (docs-based, see module)."""

    def refused(reason: str, **extra: Any) -> SignIn:
        return SignIn(False, f"grafana: {reason}", response=response, **extra)

    cert = idp_certificate(twin, settings)
    if cert is None:
        return refused("no IdP certificate in the SAML settings")
    checked = verify(response, cert)
    if isinstance(checked, str):
        return refused(checked)
    root, assertion = checked
    root_url = grafana.url + "/"
    entity_id = settings.get("entity_id") or f"{root_url}saml/metadata"
    acs = f"{root_url}saml/acs"
    conditions = assertion.find("saml:Conditions", NS)
    now = twin.clock.now().strftime("%Y-%m-%dT%H:%M:%S.000Z")
    window = (
        (conditions.get("NotBefore", now), conditions.get("NotOnOrAfter", "9"))
        if conditions is not None
        else (now, "9")
    )
    if not window[0] <= now < window[1]:
        return refused("the assertion is not valid now (NotBefore / NotOnOrAfter)")
    audience = assertion.findtext("saml:Conditions/saml:AudienceRestriction/saml:Audience", namespaces=NS)
    if audience != entity_id:
        return refused(f"audience {audience} is not the service provider {entity_id}")
    data = assertion.find("saml:Subject/saml:SubjectConfirmation/saml:SubjectConfirmationData", NS)
    recipient = data.get("Recipient") if data is not None else None
    if recipient != acs:
        return refused(f"recipient {recipient} is not the ACS URL {acs}")
    destination = root.get("Destination")
    if destination and destination != acs:
        return refused(f"destination {destination} is not the ACS URL {acs}")
    in_response_to = root.get("InResponseTo")
    if in_response_to is None:
        if not truthy(settings.get("allow_idp_initiated")):
            return refused("IdP-initiated sign-in is not allowed (allow_idp_initiated)")
        relay = settings.get("relay_state")
        if relay and relay != app.doc["settings"]["signOn"].get("defaultRelayState"):
            return refused("the relay state does not match relay_state")
    elif in_response_to != request_id:
        return refused("the response answers another request")
    values: dict[str, list[str]] = {}
    for attribute in assertion.findall("saml:AttributeStatement/saml:Attribute", NS):
        values[attribute.get("Name")] = [v.text or "" for v in attribute.findall("saml:AttributeValue", NS)]
    subject = assertion.findtext("saml:Subject/saml:NameID", namespaces=NS) or ""
    return apply_user(grafana, settings, values, subject, response)


def _first(values: dict[str, list[str]], setting: Any) -> str | None:
    if not setting:
        return None
    found = values.get(str(setting)) or []
    return found[0] if found else None


def apply_user(
    grafana: GrafanaInstance,
    settings: dict[str, Any],
    values: dict[str, list[str]],
    subject: str,
    response: bytes,
) -> SignIn:
    """Grafana's user lookup, sign-up and role/org sync (docs-based)."""
    login_attr = settings.get("assertion_attribute_login") or "mail"
    email_attr = settings.get("assertion_attribute_email") or "mail"
    name_attr = settings.get("assertion_attribute_name") or "displayName"
    login = _first(values, login_attr) or _first(values, email_attr) or subject
    email = _first(values, email_attr) or login
    name = _first(values, name_attr) or login
    external_uid = _first(values, settings.get("assertion_attribute_external_uid"))

    def refused(reason: str) -> SignIn:
        return SignIn(False, f"grafana: {reason}", login=login, attributes=values, response=response)

    allowed = split_string(settings.get("allowed_organizations"))
    if allowed and not set(allowed) & set(values.get(str(settings.get("assertion_attribute_org") or ""), [])):
        return refused(f"{login} is in none of allowed_organizations")
    user: GrafanaUser | None = None
    if external_uid:
        user = next((u for u in grafana.users.values() if u.external_uid == external_uid), None)
    if user is None:
        user = grafana.user_by_login(login) or grafana.user_by_login(email)
        if (
            user is not None
            and user.provenance == "scim"
            and external_uid
            and user.external_uid != external_uid
        ):
            return refused(f"{login} is provisioned with another external uid")
    scim = grafana.scim_config.get(grafana.namespace()) or {}
    if truthy(scim.get("rejectNonProvisionedUsers")) and (user is None or user.provenance != "scim"):
        return refused(f"{login} is not provisioned by SCIM (reject_non_provisioned_users)")
    if user is not None and not user.active:
        return refused(f"{login} is disabled")
    new = user is None
    if new:
        if not truthy(settings.get("allow_sign_up"), True):
            return refused(f"{login} has no Grafana user and sign-up is off (allow_sign_up)")
        user = grafana.add_user(login, email, name, "saml", {})
    assert user is not None
    role, grafana_admin = mapped_role(settings, values)
    orgs = mapped_orgs(grafana, settings, values, role)
    if new or not truthy(settings.get("skip_org_role_sync")):
        if orgs is not None:
            user.orgs = orgs
        elif role is not None:
            user.orgs[1] = role
        elif new:
            user.orgs[1] = "Viewer"
        if settings.get("role_values_grafana_admin"):
            user.is_grafana_admin = grafana_admin
    if not user.orgs:
        return refused(f"{login} belongs to no org")
    return SignIn(
        True,
        "signed in",
        login=user.login,
        roles=dict(sorted(user.orgs.items())),
        provenance=user.provenance,
        grafana_admin=user.is_grafana_admin,
        attributes=values,
        response=response,
    )


def mapped_role(settings: dict[str, Any], values: dict[str, list[str]]) -> tuple[str | None, bool]:
    """(highest org role from the role attribute, Grafana admin); (None, False) without role mapping."""
    attribute = settings.get("assertion_attribute_role")
    if not attribute:
        return None, False
    held = set(values.get(str(attribute)) or [])
    grafana_admin = bool(held & set(split_string(settings.get("role_values_grafana_admin"))))
    for role, key in (
        ("Admin", "role_values_admin"),
        ("Editor", "role_values_editor"),
        ("Viewer", "role_values_viewer"),
        ("None", "role_values_none"),
    ):
        if held & set(split_string(settings.get(key))):
            return ("Admin" if grafana_admin else role), grafana_admin
    if grafana_admin:
        return "Admin", True
    return "Viewer", False  # auto_assign_org_role's default (docs)


def mapped_orgs(
    grafana: GrafanaInstance, settings: dict[str, Any], values: dict[str, list[str]], role: str | None
) -> dict[int, str] | None:
    """{org id: role} from org_mapping entries `<attribute value>:<org id or name>[:<role>]`
    ("*" matches any value); None when org mapping is not configured."""
    attribute, mapping = settings.get("assertion_attribute_org"), settings.get("org_mapping")
    if not attribute or not mapping:
        return None
    held = values.get(str(attribute)) or []
    orgs: dict[int, str] = {}
    for entry in split_string(mapping):
        parts = entry.split(":")
        if len(parts) < 2:
            continue
        value, org_ref = parts[0], parts[1]
        org_role = parts[2] if len(parts) > 2 and parts[2] else (role or "Viewer")
        if org_role not in ROLE_ORDER:
            raise TwinUnsupported(
                f"grafana org_mapping: got {entry}; expected a role of {', '.join(ROLE_ORDER)}"
            )
        if value != "*" and value not in held:
            continue
        org_id = (
            int(org_ref)
            if org_ref.isdigit()
            else next((i for i, n in grafana.orgs.items() if n == org_ref), None)
        )
        if org_id is None:
            continue
        grafana.ensure_org(org_id)
        if org_id not in orgs or ROLE_ORDER.index(org_role) > ROLE_ORDER.index(orgs[org_id]):
            orgs[org_id] = org_role
    if not orgs:
        return {1: role or "Viewer"}
    return orgs
