# Hand-written valid configuration: what a careful engineer would write by hand for
# Grafana Cloud SCIM with Okta. The harness must validate and plan it without errors.

terraform {
  required_version = ">= 1.5"

  required_providers {
    grafana = {
      source  = "grafana/grafana"
      version = "~> 4.45"
    }
    okta = {
      source  = "okta/okta"
      version = "~> 6.12"
    }
  }

  # A real backend: the harness must neutralise it in its scratch copy to plan without init.
  backend "s3" {
    bucket = "example-terraform-state"
    key    = "grafana-okta-scim/hand-written.tfstate"
    region = "eu-west-1"
  }
}

provider "grafana" {
  url      = "https://example.grafana.net"
  auth     = var.grafana_auth
  stack_id = 123456
}

provider "okta" {
  org_name = "example"
  base_url = "okta.com"
}

variable "grafana_auth" {
  description = "Grafana service account token used by Terraform."
  type        = string
  sensitive   = true
}

variable "assigned_groups" {
  description = "Okta groups assigned to the Grafana app."
  type        = list(string)
  default     = ["grafana-admins", "grafana-users"]
}
