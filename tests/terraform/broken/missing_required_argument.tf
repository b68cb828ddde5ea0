# grafana_service_account requires `role`.
resource "grafana_service_account" "scim" {
  name = "okta-scim"
}
