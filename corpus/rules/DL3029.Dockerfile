ARG PLATFORM=linux/arm64
ARG CHOSEN
# expect: DL3029
FROM --platform=linux/amd64 node:22-slim AS amd
# expect: DL3029
FROM --platform="linux/arm64" \
    node:22-slim AS arm
# expect: DL3029
FROM --platform=${PLATFORM} alpine:3.20 AS from-arg
FROM --platform=$BUILDPLATFORM golang:1.23 AS cross
FROM --platform=${BUILDPLATFORM} golang:1.23 AS cross2
FROM --platform=$BUILDOS/$BUILDARCH golang:1.23 AS cross3
# Chosen at build time: no default, not judged.
FROM --platform=$CHOSEN alpine:3.20 AS chosen
# DL3065's, not this rule's.
FROM --platform=$TARGETPLATFORM alpine:3.20 AS target
FROM alpine:3.20
