"""The command line's exit codes, one definition for every command (and discover's run)."""

from __future__ import annotations

EXIT_OK = 0
# What the command looked at is not as it should be: drift (check), a failed check (verify),
# consequences at or above --fail-on (impact), an API or credential failure (discover).
EXIT_FAILURE = 1
# Bad input: one `<field>: got <value>; expected <what>` line per problem, nothing written.
EXIT_BAD_INPUT = 2
# SIGINT (128 + 2): the command was interrupted before its end.
EXIT_INTERRUPTED = 130
