FROM debian:12
# expect: BD3002
RUN curl -fsSL https://example.com/install.sh | sh
# expect: BD3002
RUN curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
# expect: BD3002
RUN wget -qO- https://example.com/install.sh | sudo -E bash -
# expect: BD3002
RUN curl -fsSL https://example.com/install.sh \
      | tee /tmp/install.log \
      | bash
# expect: BD3002
RUN sh -c "$(curl -fsSL https://example.com/install.sh)"
# expect: BD3002
RUN bash <(curl -fsSL https://example.com/install.sh)
# expect: BD3002
RUN eval "$(wget -qO- https://example.com/env.sh)"
# expect: BD3002
RUN <<EOF
set -e
curl -fsSL https://example.com/install.sh | bash -s -- --version 1.2.3
EOF
# expect: BD3002
RUN apt-get update && curl -fsSL https://example.com/install.sh 2>&1 | /bin/sh
# expect: BD3002
ONBUILD RUN curl -fsSL https://example.com/install.sh | sh

# Downloads piped into other programs, or a script checked before it runs.
RUN curl -fsSL https://example.com/key.asc | gpg --dearmor -o /usr/share/keyrings/example.gpg
RUN curl -fsSL https://example.com/app.tar.gz | tar -xz -C /opt
RUN curl -fsSL https://example.com/data.json | python3 -c 'import json,sys; print(json.load(sys.stdin)["v"])'
RUN curl -fsSL https://example.com/data | sh -c 'cat > /tmp/data'
RUN curl -fsSLo /tmp/install.sh https://example.com/install.sh \
 && echo "3f1b1c0e0d9a5f6c2b7a8e4d1c0b9a8f7e6d5c4b3a291807f6e5d4c3b2a19080  /tmp/install.sh" | sha256sum -c - \
 && sh /tmp/install.sh
RUN curl -fsSL https://example.com/a -o /tmp/a; echo done | sh
RUN curl -fsSL https://example.com/a || sh /tmp/fallback.sh
RUN curl -fsSL https://example.com/a | bash /tmp/consume.sh
RUN eval "$(ssh-agent -s)" && bash -c "$(cat /tmp/script.sh)"
RUN ["sh", "-c", "curl -fsSL https://example.com/install.sh | sh"]
SHELL ["pwsh", "-Command"]
RUN iwr https://example.com/install.ps1 | iex
