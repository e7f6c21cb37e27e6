ARG SUITE=bookwrom
# expect: BD5001
FROM python:3.12-slim-bookwork AS app
# expect: BD5001
FROM registry.example.com:5000/team/app:2.0 AS old
# An image without a tag is looked up as `latest`.
# expect: BD5001
FROM localhost:5000/base
# expect: BD5001
FROM debian:${SUITE}
# The tag exists.
FROM python:3.12-slim-bookworm
# Not looked up (offline, or the registry could not be reached): nothing said.
FROM alpine:3.99
FROM app
FROM scratch
