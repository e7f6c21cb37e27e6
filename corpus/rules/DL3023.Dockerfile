ARG SELF=build
FROM golang:1.23 AS build
RUN go build -o /out/app ./cmd/app
# expect: DL3023
COPY --from=build /out/app /usr/local/bin/app
# expect: DL3023
COPY --from=BUILD /out/app /usr/local/bin/app
# expect: DL3023
COPY --from=0 /out/app /app
ARG SELF
# expect: DL3023
COPY --from=${SELF} /out/app /app

FROM alpine:3.20 AS final
COPY --from=build /out/app /app
COPY --from=0 /out/app /app
# Later and unknown stages are DL3022's.
COPY --from=tools /x /x
COPY --from=$UNSET /x /x
ONBUILD COPY --from=final /x /x
# expect: DL3023
COPY --from=final \
     /etc/passwd /tmp/passwd

FROM alpine:3.20 AS tools
