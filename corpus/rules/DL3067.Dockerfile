ARG ROOT=/
FROM tonistiigi/xx:1.5.0 AS xx
FROM golang:1.23 AS build
RUN go build -o /out/app ./cmd/app

FROM alpine:3.20
# expect: DL3067
COPY --from=xx / /
# expect: DL3067
COPY --link --from=build "/" "/"
COPY --from=build /out/app /app
COPY --from=build / /rootfs/
COPY --from=build /out/ /
COPY / /
ARG ROOT
# expect: DL3067
COPY --from=build ${ROOT} /
# expect: DL3067
ONBUILD COPY --from=xx / /
