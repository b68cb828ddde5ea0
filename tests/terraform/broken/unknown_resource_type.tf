# The okta provider has no okta_app_scim resource (SCIM is not exposed as one).
resource "okta_app_scim" "app" {
  label = "Grafana"
}
