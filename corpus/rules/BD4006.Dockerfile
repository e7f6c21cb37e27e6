# The project is built for linux/amd64 and linux/arm64 (BD4006.settings).
ARG PLATFORM=linux/arm64
# expect: BD4006
FROM --platform=linux/amd64 golang:1.23 AS build
# expect: BD4006
FROM --platform=${PLATFORM} alpine:3.20 AS fixed
# Variables meant for this, stages named after their platform, no flag.
FROM --platform=$BUILDPLATFORM golang:1.23 AS cross
FROM --platform=$TARGETPLATFORM alpine:3.20 AS target
FROM --platform=linux/arm64 alpine:3.20 AS build-arm64
FROM alpine:3.20
# A base image that exists for arm64 only (Jetson).
FROM --platform=linux/arm64 nvcr.io/nvidia/l4t-jetpack:r36.3.0 AS jetpack
