# `lable` is a typo of okta_app_saml's `label`.
resource "okta_app_saml" "app" {
  label = "Grafana"
  lable = "Grafana"
}
