"""`verify`: live checks of one integration (Grafana SCIM endpoint, token, Okta app).

Everything here imports httpx, rich or scim2 lazily or in its own modules, so that
`import grafana_okta_scim` stays lean; import `grafana_okta_scim.verify.runner` to run.
"""
