# `uid` of data.grafana_role is computed-only: roles are looked up by name.
data "grafana_role" "users_writer" {
  name = "fixed:org.users:writer"
  uid  = "fixed_org_users_writer"
}
