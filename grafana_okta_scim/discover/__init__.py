"""`discover`: bring an existing hand-made Grafana + Okta setup under code (GET requests only),
and the live drift comparison `verify --drift` uses."""
