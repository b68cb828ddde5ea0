"""Secret: a sensitive value the small constructs take and give, never a plain string."""

from __future__ import annotations

from ._cdk import cdk
from ._typed import PropsError


class Secret:
    """A sensitive string (usually a Terraform reference), kept out of repr, str and error messages.

    Make one with `Secret.from_variable`, `Secret.from_attribute` or, for tests only,
    `Secret.unsafe_plain_text`; `GrafanaServiceAccount.token` is one. A construct that takes a
    secret puts `unwrap()` where the provider expects the value.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str, _private: object = None) -> None:
        if _private is not _FACTORY:
            raise TypeError(
                "Secret(...): got a direct call; expected Secret.from_variable, Secret.from_attribute "
                "or Secret.unsafe_plain_text"
            )
        self._value = value

    @classmethod
    def from_variable(cls, variable: cdk.TerraformVariable) -> Secret:
        """The value of a Terraform variable declared `sensitive=True` (refused otherwise)."""
        if not variable.sensitive:
            raise PropsError(
                f"{variable.node.path}: sensitive: got {variable.sensitive!r}; expected True for a "
                "variable that holds a secret"
            )
        return cls(variable.string_value, _FACTORY)

    @classmethod
    def from_attribute(cls, element: cdk.TerraformResource, name: str) -> Secret:
        """A sensitive attribute of a resource, e.g. the `key` of a service account token."""
        return cls(element.get_string_attribute(name), _FACTORY)

    @classmethod
    def unsafe_plain_text(cls, text: str) -> Secret:
        """A literal secret: it is written into the synthesized JSON and the state. Tests only."""
        return cls(text, _FACTORY)

    def unwrap(self) -> str:
        """The value (a CDK token for references) to put where the provider expects it."""
        return self._value

    def __repr__(self) -> str:
        return "Secret(<redacted>)"

    __str__ = __repr__


_FACTORY = object()
