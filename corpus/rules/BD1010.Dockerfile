ARG PYTHON_VERSION=3.12
ARG REGISTRY
ARG BASE_IMAGE=debian:bookworm-slim
# expect: BD1010
FROM python:${PY_VERSION}-slim AS build
FROM ${REGISTRY}python:${PYTHON_VERSION} AS ok
FROM --platform=$BUILDPLATFORM golang:1.23 AS cross
# expect: BD1010
FROM --platform=$MY_PLATFORM alpine:3.20 AS pinned
# expect: BD1010
FROM ${BASE_IMAGES:-alpine} AS typo-with-default
FROM base-${TARGETARCH} AS per-arch
FROM ${BASE_IMAGE}
ARG STAGE_ARG=1
RUN echo $STAGE_ARG $UNDEFINED_IN_RUN
COPY --from=build /out /out
