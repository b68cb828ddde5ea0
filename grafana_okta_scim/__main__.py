"""`python -m grafana_okta_scim` runs the command line."""

from .cli import main

main()
