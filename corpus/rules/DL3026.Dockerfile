ARG REGISTRY=quay.io
ARG MIRROR=ghcr.io
FROM python:3.12-slim AS base
FROM docker.io/library/python:3.12-slim AS hub
FROM ghcr.io/acme/builder:1.4 AS builder
FROM mirror.corp.example.com/golang:1.23 AS go
FROM registry.example.org/tools:2 AS tools
# expect: DL3026
FROM quay.io/prometheus/busybox:latest AS quay
# expect: DL3026
FROM ${REGISTRY}/coreos/etcd:v3.5 AS etcd
FROM ${MIRROR}/acme/app:1 AS mirrored
# Unknown image: not judged.
FROM ${UNSET_IMAGE} AS unknown
# expect: DL3026
FROM localhost:5000/dev/app:1 AS local
# expect: DL3026
FROM corp.example.com/base:1 AS not-a-subdomain
FROM base AS child
FROM scratch
COPY --from=builder /out/app /app
COPY --from=0 /etc/passwd /etc/passwd
COPY --from=ghcr.io/acme/config:2.1 /config /config
# expect: DL3026
COPY --from=gcr.io/distroless/static-debian12 /etc/ssl /etc/ssl
RUN --mount=type=bind,from=builder,target=/b true
# expect: DL3026
RUN --mount=type=bind,from=quay.io/acme/assets:3,target=/assets \
    cp -r /assets /srv
RUN --mount=type=cache,target=/root/.cache true
