FROM golang:1.23 AS build
# A build stage only copied from: exempt.
RUN go build -o /out/app ./cmd/app

FROM alpine:3.20 AS base
LABEL org.opencontainers.image.source="https://github.com/acme/app"

FROM base AS runtime-base
# Only built on by another stage: exempt.
RUN apk add --no-cache ca-certificates

# expect: DL3049
FROM alpine:3.20 AS debug
LABEL maintainer="dev@example.com"
RUN apk add --no-cache strace

FROM alpine:3.20 AS labelled
LABEL org.opencontainers.image.source="https://github.com/acme/app" \
      maintainer="dev@example.com"

# An unknown label key could be the required one: not judged.
FROM alpine:3.20 AS unknown-key
LABEL ${UNSET_KEY}=x

# expect: DL3049
FROM runtime-base
# Inherits the source label from `base`; the maintainer is missing.
ONBUILD LABEL maintainer="dev@example.com"
COPY --from=build /out/app /app
