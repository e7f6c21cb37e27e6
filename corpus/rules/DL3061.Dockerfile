# syntax=docker/dockerfile:1
# escape=\
ARG BASE=alpine:3.20
# expect: DL3061
ENV NODE_ENV=production
# expect: DL3061
LABEL org.opencontainers.image.title=app
ARG VERSION=1
# expect: DL3061
RUN echo "no stage yet"
FROM ${BASE}
ENV NODE_ENV=production
RUN echo ok
