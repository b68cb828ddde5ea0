"""Schema-replay Terraform providers and the runner that drives real `terraform` against them.

The plugin side (`plugin`, `provider`, `schema`, `cty`, `values`, `stubs`) runs inside the
processes Terraform launches; the test side (`launcher`, `workdir`, `runner`) writes the launcher
folder and CLI configuration and runs `terraform validate` / `plan` / `show` on a copy of a folder.
Only relative imports are used inside this package, so it works whatever its parent package is.
"""
