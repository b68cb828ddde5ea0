# ldap_settings needs exactly one `config` block (min_items = max_items = 1).
resource "grafana_sso_settings" "ldap" {
  provider_name = "ldap"

  ldap_settings {
    enabled = true
  }
}
