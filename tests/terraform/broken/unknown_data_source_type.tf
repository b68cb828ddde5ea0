# grafana_role exists as a data source, grafana_roles does not.
data "grafana_roles" "all" {}
