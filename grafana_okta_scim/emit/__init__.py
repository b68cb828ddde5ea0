"""The emitters and what they share: HCL, Terraform JSON, escaping, file names and templates.

They read `terraform_types` and decide nothing: every decision was made in `synth`.
"""
