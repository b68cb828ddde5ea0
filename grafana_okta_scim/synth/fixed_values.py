"""Fixed values of the generated Terraform: provider sources, SAML constants, variable references."""

from __future__ import annotations

from ..terraform_types import Expr

GRAFANA_SOURCE = "grafana/grafana"
OKTA_SOURCE = "okta/okta"

SAML_AUTHN_CONTEXT = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
SAML_ATTRIBUTE_NAME_FORMAT = "urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified"
OKTA_SIGNATURE = {"rsa-sha256": ("RSA_SHA256", "SHA256"), "rsa-sha512": ("RSA_SHA512", "SHA512")}
# Okta expression language; `${...}` here is Okta's, escaped by the emitters for Terraform.
OKTA_SUBJECT_TEMPLATE = "${user.userName}"
OKTA_USER_ID_EXPRESSION = 'user.getInternalProperty("id")'
# Group types an assignment may name: Okta's own, and groups mastered in AD or LDAP.
OKTA_GROUP_TYPES = ("OKTA_GROUP", "APP_GROUP")
OKTA_ACCESS_POLICY_TYPE = "ACCESS_POLICY"
# What Okta answers for USER_PROVISIONING's update.password (no password push).
OKTA_PASSWORD_CAPABILITY = {"status": "DISABLED", "seed": "RANDOM", "change": "KEEP_EXISTING"}

GRAFANA_AUTH = Expr("var.grafana_auth")
GRAFANA_CLOUD_ACCESS_POLICY_TOKEN = Expr("var.grafana_cloud_access_policy_token")
OKTA_API_TOKEN = Expr("var.okta_api_token")
SAML_CERTIFICATE = Expr("var.grafana_saml_certificate")
SAML_PRIVATE_KEY = Expr("var.grafana_saml_private_key")
PROVISIONING_ENABLED = Expr("var.provisioning_enabled")
REJECT_NON_PROVISIONED = Expr("var.reject_non_provisioned_users")

# use_lockfile (S3-native state locking) exists from Terraform 1.10.
S3_LOCKFILE_TERRAFORM = ">= 1.10"
DEFAULT_REQUIRED_VERSION = ">= 1.5"
