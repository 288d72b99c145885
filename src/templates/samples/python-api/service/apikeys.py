"""The API key tool of the rotation runbook: `python -m service.apikeys issue|retire|list`.

Each command reads the API keys document (what the Secrets Manager secret holds) on stdin.
`issue` and `retire` write the new document on stdout; `issue` prints the new key once, on
stderr, and nowhere else. The document holds digests only, never a key.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import secrets
import sys
from typing import Any

from .auth import KEY_ID, PERMISSIONS, digest, parse_api_keys

MAX_VALID_PER_CLIENT = 2


class ToolError(Exception):
    pass


def _load(raw: str) -> list[dict[str, Any]]:
    problems: list[str] = []
    parse_api_keys(raw, problems)
    if problems:
        raise ToolError("; ".join(problems))
    return list(json.loads(raw)["keys"]) if raw.strip() else []


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0)


def _iso(value: datetime.datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def issue(raw: str, client: str, scopes: list[str], days: int, key_id: str | None = None) -> tuple[str, str]:
    """(new document, new key). Refuses a third valid key of one client: retire one first."""
    records = _load(raw)
    now = _now()
    if not scopes or any(s not in PERMISSIONS for s in scopes):
        raise ToolError(f"--scopes must list one or both of {', '.join(PERMISSIONS)}")
    valid = [r for r in records if r["client"] == client and _parse(r["expires"]) > now]
    if len(valid) >= MAX_VALID_PER_CLIENT:
        ids = ", ".join(r["id"] for r in valid)
        raise ToolError(f'client "{client}" already has two valid keys ({ids}); retire the older one first')
    key_id = key_id or f"{client}-{now.strftime('%Y%m%d')}-{secrets.token_hex(3)}"
    if not KEY_ID.match(key_id):
        raise ToolError(f'key id "{key_id}" must be 1-63 lowercase letters, digits or hyphens')
    if any(r["id"] == key_id for r in records):
        raise ToolError(f'key id "{key_id}" exists already')
    key = f"hsk.{key_id}.{secrets.token_urlsafe(32)}"
    records.append(
        {
            "id": key_id,
            "client": client,
            "sha256": digest(key),
            "scopes": sorted(set(scopes)),
            "created": _iso(now),
            "expires": _iso(now + datetime.timedelta(days=days)),
        }
    )
    return json.dumps({"keys": records}, indent=2), key


def retire(raw: str, key_id: str) -> str:
    records = _load(raw)
    kept = [r for r in records if r["id"] != key_id]
    if len(kept) == len(records):
        raise ToolError(f'no key with id "{key_id}"')
    return json.dumps({"keys": kept}, indent=2)


def describe(raw: str) -> str:
    now = _now()
    lines = []
    for r in _load(raw):
        state = "valid" if _parse(r["expires"]) > now else "expired"
        lines.append(f"{r['id']}\t{r['client']}\t{','.join(r['scopes'])}\t{r['created']}\t{r['expires']}\t{state}")
    return "\n".join(lines)


def _parse(value: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m service.apikeys", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    issuing = commands.add_parser("issue", help="add a key for a client")
    issuing.add_argument("--client", required=True)
    issuing.add_argument("--scopes", default="read", help="read, write or read,write")
    issuing.add_argument("--days", type=int, default=int(os.environ.get("API_KEY_MAX_AGE_DAYS") or 90))
    issuing.add_argument("--id", dest="key_id")
    retiring = commands.add_parser("retire", help="remove a key")
    retiring.add_argument("--id", dest="key_id", required=True)
    commands.add_parser("list", help="the keys, without digests")
    args = parser.parse_args(argv)
    raw = sys.stdin.read()
    try:
        if args.command == "issue":
            document, key = issue(raw, args.client, args.scopes.split(","), args.days, args.key_id)
            print(document)
            print(f"new API key (shown once; hand it to the client over a secret channel): {key}", file=sys.stderr)
        elif args.command == "retire":
            print(retire(raw, args.key_id))
        else:
            print(describe(raw))
    except ToolError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
