ARG TAG
ARG IMAGE
ARG EMPTY=
ARG PY=3.12
ARG ARCH_FLAVOR=${TARGETARCH}
# expect: BD1012
FROM alpine:${TAG} AS one
# expect: BD1012
FROM ${IMAGE} AS two
# expect: BD1012
FROM python:${EMPTY} AS three
FROM python:${PY}-slim AS four
FROM alpine:${TAG:-3.20} AS five
FROM base-${TARGETARCH} AS six
FROM ${ARCH_FLAVOR} AS seven
FROM ${UNDECLARED:-alpine} AS eight
FROM one
RUN echo done
