# The project targets linux/amd64 and linux/arm64 (`[registry] platforms`).
# expect: BD5002
FROM example/amd64-only:1.0 AS tool
# Every target is published (arm64/v8 meets arm64).
FROM python:3.12 AS app
# A constant --platform is the stage's only target.
FROM --platform=linux/amd64 example/amd64-only:1.0 AS build
# expect: BD5002
FROM --platform=linux/arm/v7 example/arm32:1
FROM --platform=linux/arm/v7 python:3.12
# A variable platform: not judged.
FROM --platform=$BUILDPLATFORM example/amd64-only:1.0
# Not looked up.
FROM alpine:3.20
