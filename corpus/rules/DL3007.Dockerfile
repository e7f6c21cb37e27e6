ARG TAG=latest
ARG NODE=node:22
# expect: DL3007
FROM node:latest AS web
# expect: DL3007
FROM ghcr.io/acme/tool:${TAG}
# expect: DL3007
from --platform=linux/amd64 "debian:latest"
FROM node:latest@sha256:2d3bdaa0b29b1d6c4c5e5fb7bdd4b4a5c5bd6d2bdbd3e3b1c2e6c9e1f0a1b2c3
FROM ${NODE}
FROM node:LATEST-alpine
FROM node:22-latest
FROM web
FROM $UNKNOWN:latest-${ALSO_UNKNOWN}
FROM latest
