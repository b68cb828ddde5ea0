# `key` of a service account token is computed by Grafana; it cannot be configured.
resource "grafana_service_account" "scim" {
  name = "okta-scim"
  role = "None"
}

resource "grafana_service_account_token" "scim" {
  name               = "okta-scim"
  service_account_id = grafana_service_account.scim.id
  key                = "glsa_not_allowed"
}
