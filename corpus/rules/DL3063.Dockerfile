# expect: DL3063
FROM golang:1.23 AS scratch
RUN go build -o /out/app ./cmd/app
# expect: DL3063
FROM alpine:3.20 AS context
# expect: DL3063
FROM alpine:3.20 as Scratch
FROM alpine:3.20 AS scratch-build
FROM alpine:3.20 AS build-context
FROM scratch
COPY --from=build-context /x /x
