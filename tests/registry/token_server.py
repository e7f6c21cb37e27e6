#!/usr/bin/env python3
"""A registry token server for the online tests (tests/tests/registry.rs), on
127.0.0.1 only: Docker's token authentication as distribution's `auth: token`
expects it (https://distribution.github.io/distribution/spec/auth/token/ and
.../auth/oauth/).

    token_server.py KEY CERT ISSUER SERVICE USERS_JSON

KEY and CERT are an RSA private key and its self-signed certificate (made by
`openssl` at test time; the registry trusts CERT as `rootcertbundle`). Tokens
are JWTs signed RS256 by `openssl dgst`, with the certificate in the `x5c`
header and the claims iss, sub, aud, exp, nbf, iat, jti and access.
USERS_JSON is {"users": {"name": "password"}, "refresh": {"refresh-token": "name"}}.

GET  /token?service=..&scope=..   with Basic credentials of a user: a token
     for every action asked.
POST /token (form: grant_type=refresh_token, refresh_token, service, scope,
     client_id): OAuth2, for clients holding an identity (refresh) token.
Anything else, or wrong credentials: 401. Prints the port it listens on,
then one line per request (method, grant, user) to stderr.
"""

import base64
import json
import secrets
import subprocess
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer

KEY, CERT, ISSUER, SERVICE, USERS = sys.argv[1:6]
USERS = json.loads(USERS)
with open(CERT) as f:
    pem = f.read()
DER_B64 = "".join(l for l in pem.splitlines() if l and not l.startswith("-----"))


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def access(scopes):
    out = []
    for scope in scopes:
        parts = scope.split(":")
        if len(parts) >= 3:
            out.append({"type": parts[0], "name": ":".join(parts[1:-1]), "actions": parts[-1].split(",")})
    return out


def jwt(subject, scopes):
    now = int(time.time())
    header = {"typ": "JWT", "alg": "RS256", "x5c": [DER_B64]}
    claims = {
        "iss": ISSUER,
        "sub": subject,
        "aud": SERVICE,
        "exp": now + 300,
        "nbf": now - 10,
        "iat": now,
        "jti": secrets.token_hex(8),
        "access": access(scopes),
    }
    signing_input = (b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())).encode()
    sig = subprocess.run(
        ["openssl", "dgst", "-sha256", "-sign", KEY], input=signing_input, capture_output=True, check=True
    ).stdout
    return signing_input.decode() + "." + b64url(sig)


class Handler(BaseHTTPRequestHandler):
    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, fmt, *args):
        pass

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        query = urllib.parse.parse_qs(url.query)
        user = None
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            name, _, password = base64.b64decode(auth[6:]).decode().partition(":")
            if USERS["users"].get(name) == password:
                user = name
        print(f"GET user={user}", file=sys.stderr, flush=True)
        if url.path != "/token" or user is None or query.get("service", [""])[0] != SERVICE:
            return self.answer(401, {"details": "incorrect username or password"})
        token = jwt(user, query.get("scope", []))
        self.answer(200, {"token": token, "access_token": token, "expires_in": 300})

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        form = urllib.parse.parse_qs(self.rfile.read(length).decode())
        grant = form.get("grant_type", [""])[0]
        user = USERS["refresh"].get(form.get("refresh_token", [""])[0])
        print(f"POST grant={grant} user={user}", file=sys.stderr, flush=True)
        if self.path != "/token" or grant != "refresh_token" or user is None:
            return self.answer(401, {"error": "invalid_grant"})
        # Docker's OAuth client joins its scopes with spaces.
        scopes = " ".join(form.get("scope", [])).split()
        token = jwt(user, scopes)
        self.answer(200, {"access_token": token, "expires_in": 300, "scope": " ".join(scopes)})


server = HTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
