ARG PY=3.12
# Written with a variable: reported, the fix would have to rewrite the ARG, so none.
# expect: BD5004
FROM python:${PY}-slim AS app
# expect: BD5004
FROM python:3.12-slim AS again
# Untagged: pinned as latest.
# expect: BD5004
FROM ubuntu AS base
# Not looked up (offline): reported, no fix.
# expect: BD5004
FROM node:22
FROM python:3.12-slim@sha256:1111111111111111111111111111111111111111111111111111111111111111
FROM app
FROM scratch
FROM $UNKNOWN
