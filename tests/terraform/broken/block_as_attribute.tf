# saml_settings is a nested block; written with `=` it is an (unknown) argument.
resource "grafana_sso_settings" "saml" {
  provider_name = "saml"
  saml_settings = {
    idp_metadata_url = "https://example.okta.com/app/exk1/sso/saml/metadata"
  }
}
