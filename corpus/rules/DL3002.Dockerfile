ARG RUNTIME_USER=root
# Builder stages may run as root: not reported.
FROM golang:1.23 AS build
USER root
RUN go build -o /out/app ./cmd/app

FROM debian:12-slim AS base
RUN useradd --uid 10001 app
USER app
ARG RUNTIME_USER
# expect: DL3002
USER ${RUNTIME_USER}:root
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates

# The final stage has no USER of its own: it runs as the user `base` ended with.
FROM base AS final
COPY --from=build /out/app /usr/local/bin/app
ONBUILD USER root
CMD ["app"]
