"""`plextui login`: sign in with a code at plex.tv/link, pick a server, save it.

The token goes from plex.tv straight into the config file (mode 0600); it is never shown.
"""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable

from plextui import config
from plextui.control import runtime
from plextui.errors import CommandError, PlexError, UnreachableError
from plextui.plex import account

MANUAL = (
    "Without plex.tv, set the server by hand: plextui config set plex.url "
    "http://HOST:32400 and plextui config set plex.token TOKEN"
)


def main(args, interval: float = 1.0, ask: Callable[[str], str] = input) -> int:  # noqa: ANN001
    """Sign in; when plex.tv (or every address of the server) cannot be reached, the
    answer also gives the way that needs no plex.tv."""
    try:
        return _login(args, interval, ask)
    except UnreachableError as error:
        raise UnreachableError(f"{error}. {MANUAL}") from None


def _login(args, interval: float, ask: Callable[[str], str]) -> int:  # noqa: ANN001
    settings = config.load()
    client_id = runtime.client_id(settings)
    login = account.PinLogin(client_id, interval=interval)
    pin = login.create()
    if login.notice:
        print(f"plextui: warning: {login.notice}", file=sys.stderr)
    print(f"Go to https://{pin.link} and enter the code:  {pin.code}")
    print("Waiting for plex.tv … (Ctrl-C cancels)", flush=True)
    try:
        token = login.wait()
    except KeyboardInterrupt:
        login.cancel()
        raise account.LoginCancelled("sign-in cancelled") from None
    print("Signed in.")
    user = ""
    if args.home_user:
        token, user = _switch(token, client_id, args.home_user)
    resource = _choose(account.servers(token, client_id), args.server, ask)
    print(f"Testing {len(resource.connections)} connections to {resource.name} …", flush=True)
    choice = account.pick_connection(resource, client_id)
    if choice.notice:
        print(f"plextui: warning: {choice.notice}", file=sys.stderr)
    conn = choice.connection
    entry = config.ServerEntry(resource.name, conn.uri, resource.access_token, client_id, user)
    config.save_server(entry)
    print(
        f"Using {conn.uri} ({conn.kind}, {choice.seconds * 1000:.0f} ms). "
        f"Saved '{resource.name}' as the default server in {config.config_path()}."
    )
    return 0


def _switch(token: str, client_id: str, name: str) -> tuple[str, str]:
    users = account.home_users(token, client_id)
    user = next((u for u in users if u.title.casefold() == name.casefold()), None)
    if user is None:
        names = ", ".join(u.title for u in users) or "none"
        raise CommandError(f"no Plex Home user named '{name}' (users: {names})")
    pin = getpass.getpass(f"PIN for {user.title}: ") if user.protected else None
    return account.switch_user(token, user.id, client_id, pin=pin), user.title


def _choose(
    resources: list[account.Resource], wanted: str | None, ask: Callable[[str], str]
) -> account.Resource:
    names = ", ".join(r.name for r in resources)
    if wanted:
        for resource in resources:
            if resource.name.casefold() == wanted.casefold():
                return resource
        raise CommandError(f"no server named '{wanted}' on this account (servers: {names})")
    if len(resources) == 1:
        return resources[0]
    if not sys.stdin.isatty():
        raise CommandError(f"this account has several servers ({names}); pick one with --server")
    for n, resource in enumerate(resources, 1):
        print(f"  {n}. {resource.name}")
    answer = ask(f"Server [1-{len(resources)}]: ").strip()
    if answer.isdigit() and 1 <= int(answer) <= len(resources):
        return resources[int(answer) - 1]
    raise PlexError(f"'{answer}' is not one of the servers listed")
