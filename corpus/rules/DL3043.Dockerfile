FROM node:22-slim
# expect: DL3043
ONBUILD ONBUILD RUN npm ci
# expect: DL3043
ONBUILD FROM alpine:3.20
# expect: DL3043
onbuild maintainer dev@example.com
ONBUILD RUN npm ci
ONBUILD COPY . /app
ONBUILD LABEL org.opencontainers.image.authors="dev@example.com"
