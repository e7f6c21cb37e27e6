FROM debian:12
# expect: DL4006
RUN curl -fsSL https://example.com/key.asc | gpg --dearmor -o /usr/share/keyrings/example.gpg
# expect: DL4006
RUN wget -qO- https://example.com/install.sh \
    | sh -s -- --yes
# expect: DL4006
RUN <<EOF
set -e
find /app -name '*.pyc' | xargs rm -f
EOF
# expect: DL4006
ONBUILD RUN cat /tmp/list | sort -u > /tmp/sorted
# set -o pipefail before the pipe makes this one fail properly.
RUN set -o pipefail && curl -fsSL https://example.com/a.sh | sh
RUN set -euo pipefail; curl -fsSL https://example.com/b.sh | bash
RUN <<EOF
set -eo pipefail
curl -fsSL https://example.com/c.sh | sh
EOF
# ...but setting it after the pipe is too late.
# expect: DL4006
RUN curl -fsSL https://example.com/d.sh | sh && set -o pipefail
# || is not a pipe.
RUN test -f /etc/os-release || exit 1
RUN ["/bin/sh", "-c", "cat a | wc -l"]

FROM alpine:3.20 AS tools
SHELL ["/bin/ash", "-eo", "pipefail", "-c"]
RUN wget -qO- https://example.com/tools.tar.gz | tar -xz -C /usr/local/bin

# The SHELL is inherited from the stage this one is built on.
FROM tools
RUN apk info | grep -q curl

FROM alpine:3.20
# A new stage starts with the default shell again.
# expect: DL4006
RUN apk info | grep -q curl
SHELL ["/bin/bash", "-c"]
# expect: DL4006
RUN ls | head -1
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN ls | head -1
SHELL ["pwsh", "-Command"]
RUN Get-ChildItem | Select-Object -First 1

# Fixes: a RUN-local `set -o pipefail && ` where the shell knows pipefail.
FROM fedora:40
# expect: DL4006
RUN dnf list installed | grep -q curl
FROM python:3.12-alpine
# expect: DL4006
RUN --mount=type=cache,target=/root/.cache pip freeze | tee /tmp/freeze.txt
# The pipe is inside a quoted `sh -c` string: no fix.
# expect: DL4006
RUN sh -c 'pip freeze | tee /tmp/freeze.txt'
# A heredoc RUN: no fix.
# expect: DL4006
RUN <<EOF
pip freeze | tee /tmp/freeze.txt
EOF
# Debian-based official images: a SHELL line with bash before the first such RUN.
FROM node:22-bookworm-slim
RUN echo no pipe here
# expect: DL4006
run npm ls --all | grep -c deduped
# expect: DL4006
RUN npm ls | wc -l
# An unknown base image: no fix.
FROM registry.example.com/team/base:1.0
# expect: DL4006
RUN ls | wc -l
