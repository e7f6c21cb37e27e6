ARG PY=3.12
ARG IMG=python
ARG REGISTRY=registry.example.com:5000
# expect: DL3006
FROM ubuntu AS base
# expect: DL3006
FROM $IMG AS tools
# expect: DL3006
from --platform=$BUILDPLATFORM ${REGISTRY}/team/builder as builder
# expect: DL3006
FROM localhost:5000/app
FROM python:${PY}-slim AS app
FROM ${IMG}:${PY}
FROM registry.example.com:5000/team/builder:2.4
FROM alpine@sha256:beefdbd8a1da6d2915566fde36db9db0b524eb737fc57cd1367effd16dc0d06d
FROM scratch
FROM base
FROM BUILDER
# Unknown value: not judged.
FROM $UNKNOWN_IMAGE
