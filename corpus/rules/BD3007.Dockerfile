FROM python:3.12-slim AS base
# Not the final stage: not reported.
EXPOSE 9000

FROM golang:1.23 AS build
RUN go build -o /app ./cmd/app

FROM base AS final
COPY --from=build /app /app
# expect: BD3007
EXPOSE 8080
EXPOSE 8443/tcp
# An entrypoint script of another name does not make this an official-style
# image (whole-file cases: unit tests in missing_healthcheck.rs).
ENTRYPOINT ["/app/entrypoint.sh"]
CMD ["/app"]
