"""A local OIDC issuer: key pairs made here, discovery document and JWKS served over HTTP on
127.0.0.1, tokens signed with the private keys. The tests verify through it exactly as the
service verifies a real issuer's tokens (no mocked verifier).

For local development (AUTH_MODE jwt or jwt-and-api-keys), from app/:
    python -m tests.issuer --port 9400 --audience "$AUTH_JWT_AUDIENCE" --scope "api:read api:write"
prints a token valid for an hour and serves the keys until stopped; point AUTH_JWT_ISSUER at
http://127.0.0.1:9400 (docker compose: http://host.docker.internal:9400).
"""

from __future__ import annotations

import argparse
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa


class LocalIssuer:
    def __init__(self, port: int = 0) -> None:
        self._keys: dict[str, rsa.RSAPrivateKey] = {}
        self.jwks_requests = 0
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                if self.path == "/.well-known/openid-configuration":
                    body: dict[str, Any] = {"issuer": issuer.url, "jwks_uri": f"{issuer.url}/jwks"}
                elif self.path == "/jwks":
                    issuer.jwks_requests += 1
                    body = issuer.jwks()
                else:
                    self.send_error(404)
                    return
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's name
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> LocalIssuer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def add_key(self) -> str:
        """A new signing key, published in the JWKS; returns its key id."""
        kid = uuid.uuid4().hex[:16]
        self._keys[kid] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return kid

    def remove_key(self, kid: str) -> None:
        del self._keys[kid]

    def jwks(self) -> dict[str, Any]:
        keys = []
        for kid, private in self._keys.items():
            jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private.public_key()))
            keys.append({**jwk, "kid": kid, "use": "sig", "alg": "RS256"})
        return {"keys": keys}

    def token(
        self,
        audience: str,
        scope: str = "",
        subject: str = "client-1",
        kid: str | None = None,
        lifetime: int = 300,
        not_before: int = 0,
        issuer: str | None = None,
        key: rsa.RSAPrivateKey | None = None,
        **claims: Any,
    ) -> str:
        kid = kid or next(iter(self._keys))
        now = int(time.time())
        payload = {
            "iss": issuer or self.url,
            "sub": subject,
            "aud": audience,
            "iat": now,
            "nbf": now + not_before,
            "exp": now + lifetime,
            **({"scope": scope} if scope else {}),
            **claims,
        }
        return jwt.encode(payload, key or self._keys[kid], algorithm="RS256", headers={"kid": kid})


def main() -> None:
    parser = argparse.ArgumentParser(description="Local OIDC issuer for development")
    parser.add_argument("--port", type=int, default=9400)
    parser.add_argument("--audience", required=True)
    parser.add_argument("--scope", default="api:read api:write")
    parser.add_argument("--subject", default="local-developer")
    args = parser.parse_args()
    with LocalIssuer(args.port) as issuer:
        issuer.add_key()
        print(f"issuer {issuer.url}; token (1 h):")
        print(issuer.token(args.audience, args.scope, args.subject, lifetime=3600), flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
