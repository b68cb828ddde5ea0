"""The write test's user steps, as Okta writes users: look the probe user up; create it once or
reactivate it (PUT active=true); read it back; update it (PUT); deactivate it (PUT active=false)
and read that back. Okta never deletes a user, and neither does this."""

from __future__ import annotations

from .probe import DISPLAY_NAMES, PROBE_USER, user_body
from .scim_api import UserView, user_of
from .scim_calls import ScimCalls, StepFailed


class ProbeUser:
    """The probe user: what the server answered last, and whether it is active now."""

    def __init__(self, calls: ScimCalls) -> None:
        self.calls = calls
        self.view: UserView | None = None
        self.active = False
        self.posted = False  # a POST /Users was sent (it may have created without an answer)

    def find(self) -> list[UserView]:
        """The users named like the probe user, as Okta looks them up."""
        return [
            u for u in self.calls.find_users(PROBE_USER) if u.user_name.casefold() == PROBE_USER.casefold()
        ]

    # -- steps ----------------------------------------------------------------------------------
    def set_up(self, done: list[str]) -> None:
        """Create or reactivate, read back, update; each step done is appended to `done`."""
        self.create_or_reactivate(done)
        read = self.read_back(done)
        self.update(read, done)

    def create_or_reactivate(self, done: list[str]) -> None:
        """POST the probe user, or PUT active=true on the one a previous run left."""
        c = self.calls
        found = self.find()
        if len(found) > 1:
            raise StepFailed(
                f"{len(found)} users named {PROBE_USER!r}",
                "Okta expects at most one user per userName; remove the duplicates.",
            )
        if found:
            user = found[0]
            self.view, self.active = user, True
            answer = c.expect(
                c.send(
                    "PUT",
                    f"Users/{user.id}",
                    body=user_body(True, user.display_name or DISPLAY_NAMES[0], creating=False),
                    label=f"PUT /Users/{user.id} active=true",
                )
            )
            expect_active(c.read(answer, user_of), True, answer.what)
            done.append("reactivate")
            return
        self.posted = True
        answer = c.expect(
            c.send("POST", "Users", body=user_body(True, DISPLAY_NAMES[0], creating=True)), (201, 200)
        )
        self.view = c.read(answer, user_of)
        self.active = True
        done.append("create")

    def read_back(self, done: list[str]) -> UserView:
        """GET the probe user: it keeps its userName and is active."""
        c = self.calls
        assert self.view is not None
        answer = c.expect(c.send("GET", f"Users/{self.view.id}"))
        read: UserView = c.read(answer, user_of)
        if read.user_name.casefold() != PROBE_USER.casefold():
            raise StepFailed(
                f"read back userName {read.user_name!r}, expected {PROBE_USER!r}",
                "the server does not keep userName, which Okta matches on.",
            )
        expect_active(read, True, answer.what)
        done.append("read")
        return read

    def update(self, read: UserView, done: list[str]) -> None:
        """PUT a new displayName, as Okta pushes a profile change."""
        c = self.calls
        assert self.view is not None
        new_name = DISPLAY_NAMES[1] if read.display_name == DISPLAY_NAMES[0] else DISPLAY_NAMES[0]
        answer = c.expect(
            c.send("PUT", f"Users/{self.view.id}", body=user_body(True, new_name, creating=False))
        )
        updated = c.read(answer, user_of)
        if updated.display_name is not None and updated.display_name != new_name:
            raise StepFailed(
                f"{answer.what} answered displayName {updated.display_name!r}, expected {new_name!r}",
                "the server does not apply PUT updates; Okta's profile pushes would be lost.",
            )
        self.view = updated
        done.append("update")

    def deactivate_step(self, done: list[str]) -> None:
        """Deactivate, then read back that the server keeps it inactive."""
        c = self.calls
        assert self.view is not None
        self.deactivate()
        done.append("deactivate")
        answer = c.expect(c.send("GET", f"Users/{self.view.id}"))
        expect_active(c.read(answer, user_of), False, answer.what)

    def deactivate(self) -> None:
        """PUT active=false, as Okta deactivates; StepFailed if refused or ignored."""
        c = self.calls
        assert self.view is not None
        answer = c.expect(
            c.send(
                "PUT",
                f"Users/{self.view.id}",
                body=user_body(False, self.view.display_name or DISPLAY_NAMES[0], creating=False),
                label=f"PUT /Users/{self.view.id} active=false",
            )
        )
        expect_active(c.read(answer, user_of), False, answer.what)
        self.active = False


def expect_active(user: UserView, active: bool, what: str) -> None:
    """StepFailed unless the answer's `active` is `active`."""
    if user.active is None:
        raise StepFailed(
            f"{what}: the user has no active attribute",
            "Okta reads active to see whether a user is deactivated.",
        )
    if user.active != active:
        raise StepFailed(
            f"{what}: active is {str(user.active).lower()}, expected {str(active).lower()}",
            "the server ignores active in PUT; Okta deactivates users this way.",
        )
