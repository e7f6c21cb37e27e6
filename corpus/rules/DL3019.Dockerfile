FROM alpine:3.20
# expect: DL3019
RUN apk add curl=8.9.1-r0
# expect: DL3019
RUN apk update \
 && apk add \
      git=2.45.2-r0
# expect: DL3019
RUN /sbin/apk add --update tini=0.19.0-r3
# A removal before the install does not help.
# expect: DL3019
RUN rm -rf /var/cache/apk/* && apk add jq=1.7.1-r0
# A cache mount elsewhere does not keep the apk cache out of the layer.
# expect: DL3019
RUN --mount=type=cache,target=/root/.cache apk add make=4.4.1-r2
# expect: DL3019
RUN <<EOF
set -e
apk add bash=5.2.26-r0
EOF
# expect: DL3019
RUN sh -c 'apk add tzdata=2024a-r1'
# expect: DL3019
ONBUILD RUN apk add less=643-r2

RUN apk add --no-cache curl=8.9.1-r0
RUN apk --no-cache add curl=8.9.1-r0
RUN --mount=type=cache,target=/var/cache/apk apk add curl=8.9.1-r0
RUN --mount=type=cache,target=/etc/apk/cache,sharing=locked apk add curl=8.9.1-r0
RUN apk add --update curl=8.9.1-r0 && rm -rf /var/cache/apk/*
RUN apk del curl && apk update
RUN ["apk", "add", "curl=8.9.1-r0"]

FROM mcr.microsoft.com/powershell:7.4-ubuntu-22.04
SHELL ["pwsh", "-Command"]
RUN apk add curl
