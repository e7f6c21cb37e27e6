# syntax=docker/dockerfile:1

# GO_VERSION The Go toolchain to build with
ARG GO_VERSION=1.23
# expect: BD1015
# The Alpine release for the runtime image
ARG ALPINE_VERSION=3.20

# expect: BD1015
# Builds the binary
FROM golang:${GO_VERSION} AS build
# hadolint ignore=DL3018
RUN apk add --no-cache git
# expect: BD1015
# APP_NAME the binary name
# (this line is the last one, so the description is not recognised)
ARG APP_NAME=app
# VERSION the version stamped into the binary
ARG VERSION=dev
# TARGETOS and TARGETARCH come from the builder
ARG TARGETOS TARGETARCH
RUN go build -o /out/${APP_NAME} .

# an unrelated note, separated by a blank line

FROM alpine:${ALPINE_VERSION} AS runtime
# hadolint ignore=DL3018
FROM alpine:${ALPINE_VERSION} AS runtime2
#
FROM alpine:${ALPINE_VERSION} AS after-empty-comment
COPY --from=build /out /usr/local/bin
