FROM alpine:3.20
ARG BUILD_DEPS="gcc=13.2.1_git20240309-r0 musl-dev"
# expect: DL3018
RUN apk add --no-cache curl bash=5.2.26-r0
# expect: DL3018
RUN apk add --no-cache --virtual .build-deps \
      gcc=13.2.1_git20240309-r0 \
      make
# expect: DL3018
RUN /sbin/apk add --no-cache tini
# Several unpinned packages in one RUN: one finding naming them all.
# expect: DL3018
RUN apk add --no-cache git openssh-client && apk add --no-cache --virtual .deps make
# Variables are judged by their values.
# expect: DL3018
RUN apk add --no-cache $BUILD_DEPS
# expect: DL3018
RUN <<EOF
set -e
apk add --no-cache git
EOF
# expect: DL3018
RUN sh -c 'apk add --no-cache jq'
# expect: DL3018
ONBUILD RUN apk add --no-cache tzdata

RUN apk add --no-cache curl=8.9.1-r0 "openssl>3.3" ca-certificates~20240705
RUN apk add --no-cache --virtual=.run-deps libstdc++=13.2.1_git20240309-r0
RUN apk add --no-cache -t .tools make=4.4.1-r2
RUN apk add --no-cache --repository https://dl-cdn.alpinelinux.org/alpine/edge/community hugo=0.127.0-r0
RUN apk add --no-cache /tmp/packages/app-1.0.0-r0.apk
RUN apk add --no-cache $UNKNOWN_PACKAGES
RUN apk del curl && apk info bash
RUN ["apk", "add", "curl"]

FROM mcr.microsoft.com/powershell:7.4-ubuntu-22.04
SHELL ["pwsh", "-Command"]
RUN apk add curl
