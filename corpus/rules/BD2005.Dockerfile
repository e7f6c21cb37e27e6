ARG REGISTRY=ghcr.io/acme
ARG BAD_TAG=Latest!
ARG TAG
# expect: BD2005
FROM Ubuntu:22.04 AS upper
# expect: BD2005
FROM node: AS empty-tag
# expect: BD2005
FROM alpine@sha256:abc AS short-digest
# expect: BD2005
FROM ${REGISTRY}/App:1.0 AS evaluated
# expect: BD2005
FROM python:${BAD_TAG} AS bad-default
FROM alpine:${TAG} AS no-default
FROM ubuntu:22.04 AS ok
FROM ghcr.io/acme/app:v1.2.3-rc_1 AS ok2
FROM localhost:5000/team/app AS ok3
FROM MyRegistry.example.com/team/app:1 AS ok4
FROM python:3.12-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef AS ok5
FROM ${REGISTRY}/app:${TARGETARCH} AS auto
FROM scratch AS empty
FROM ok AS from-stage
FROM "alpine:3.20" AS quoted
FROM alpine:3.20
COPY --from=ok /etc/os-release /
