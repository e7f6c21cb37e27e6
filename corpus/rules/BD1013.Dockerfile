ARG PLATFORM=linux/arm64
# expect: BD1013
FROM --platform=linux/amd64 golang:1.23 AS build
FROM --platform=$BUILDPLATFORM golang:1.23 AS cross
FROM --platform=${PLATFORM} alpine:3.20 AS from-arg
FROM --platform=linux/amd64 alpine:3.20 AS base-amd64
FROM --platform=linux/arm64/v8 alpine:3.20 AS build-arm64
FROM --platform=windows/amd64 mcr.microsoft.com/windows/servercore:ltsc2022 AS windows-tools
# expect: BD1013
FROM --platform=linux/arm64 alpine:3.20
# expect: BD1013
FROM --platform=arm64 alpine:3.20 AS no-hint
FROM --platform=x86_64 alpine:3.20 AS tools-amd64
FROM alpine:3.20
COPY --from=build /out /out
