# `values` is a list of strings, not a string.
resource "okta_app_saml" "app" {
  label = "Grafana"

  attribute_statements {
    name   = "login"
    values = { expression = "user.login" }
  }
}
