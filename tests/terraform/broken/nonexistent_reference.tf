# okta_app_saml exports `metadata_url`, not `metadata_uri`.
resource "okta_app_saml" "app" {
  label = "Grafana"
}

resource "grafana_sso_settings" "saml" {
  provider_name = "saml"

  saml_settings {
    idp_metadata_url = okta_app_saml.app.metadata_uri
  }
}
