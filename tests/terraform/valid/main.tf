locals {
  grafana_url   = "https://example.grafana.net"
  scim_base_url = "${local.grafana_url}/apis/scim.grafana.app/v0alpha1/namespaces/stacks-123456"
}

resource "grafana_service_account" "scim" {
  name = "okta-scim"
  role = "None"
}

resource "grafana_service_account_token" "scim" {
  name               = "okta-scim"
  service_account_id = grafana_service_account.scim.id
}

data "grafana_role" "users_writer" {
  name = "fixed:org.users:writer"
}

resource "grafana_role_assignment_item" "users_writer" {
  role_uid           = data.grafana_role.users_writer.uid
  service_account_id = grafana_service_account.scim.id
}

resource "grafana_scim_config" "this" {
  enable_user_sync             = true
  enable_group_sync            = false
  reject_non_provisioned_users = false
}

resource "okta_app_saml" "grafana" {
  label                    = "Grafana"
  sso_url                  = "${local.grafana_url}/saml/acs"
  recipient                = "${local.grafana_url}/saml/acs"
  destination              = "${local.grafana_url}/saml/acs"
  audience                 = "${local.grafana_url}/saml/metadata"
  subject_name_id_template = "$${user.userName}"
  subject_name_id_format   = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
  signature_algorithm      = "RSA_SHA256"
  digest_algorithm         = "SHA256"
  authn_context_class_ref  = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
  response_signed          = true
  assertion_signed         = true

  attribute_statements {
    name   = "email"
    type   = "EXPRESSION"
    values = ["user.email"]
  }

  attribute_statements {
    name   = "userUID"
    type   = "EXPRESSION"
    values = ["user.getInternalProperty(\"id\")"]
  }

  attribute_statements {
    name         = "groups"
    type         = "GROUP"
    filter_type  = "REGEX"
    filter_value = ".*"
  }
}

data "okta_group" "assigned" {
  for_each = toset(var.assigned_groups)

  name = each.key
}

resource "okta_app_group_assignments" "grafana" {
  app_id = okta_app_saml.grafana.id

  dynamic "group" {
    for_each = var.assigned_groups
    content {
      id       = data.okta_group.assigned[group.value].id
      priority = group.key
    }
  }
}

resource "grafana_sso_settings" "saml" {
  provider_name = "saml"

  saml_settings {
    enabled                          = true
    name                             = "Okta"
    idp_metadata_url                 = okta_app_saml.grafana.metadata_url
    assertion_attribute_email        = "email"
    assertion_attribute_external_uid = "userUID"
    assertion_attribute_groups       = "groups"
  }
}

resource "okta_app_connection" "scim" {
  id       = okta_app_saml.grafana.id
  base_url = local.scim_base_url
  action   = "activate"

  profile {
    auth_scheme = "TOKEN"
    token       = grafana_service_account_token.scim.key
  }
}

import {
  to = grafana_service_account.scim
  id = "1:42"
}

import {
  to = okta_app_saml.grafana
  id = "0oa1b2c3d4e5f6g7h8i9"
}

output "scim_base_url" {
  description = "SCIM connector base URL for Okta."
  value       = local.scim_base_url
}

output "scim_token" {
  description = "Bearer token Okta uses for SCIM."
  value       = grafana_service_account_token.scim.key
  sensitive   = true
}
