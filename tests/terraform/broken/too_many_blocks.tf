# grafana_sso_settings takes at most one saml_settings block.
resource "grafana_sso_settings" "saml" {
  provider_name = "saml"

  saml_settings {
    idp_metadata_url = "https://example.okta.com/app/exk1/sso/saml/metadata"
  }

  saml_settings {
    idp_metadata_url = "https://example.okta.com/app/exk2/sso/saml/metadata"
  }
}
