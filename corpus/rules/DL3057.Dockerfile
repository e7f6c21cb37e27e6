FROM golang:1.23 AS build
RUN go build -o /out/app ./cmd/app

FROM nginx:1.27-alpine AS web
HEALTHCHECK CMD wget -q --spider http://localhost/ || exit 1

FROM web AS web-debug
# Inherits the HEALTHCHECK of `web`.
RUN apk add --no-cache curl

FROM alpine:3.20 AS batch
# Says on purpose that there is none.
HEALTHCHECK NONE

# expect: DL3057
FROM gcr.io/distroless/static-debian12
COPY --from=build /out/app /app
# ONBUILD HEALTHCHECK applies to images built on this one, not to this image.
ONBUILD HEALTHCHECK CMD ["/app", "health"]
ENTRYPOINT ["/app"]
