ARG TOOLS_STAGE=tools
ARG BAD_STAGE=toolz
FROM golang:1.23 AS build
RUN go build -o /out/app ./cmd/app
# The stage it is in: DL3023's.
COPY --from=0 /etc/passwd /tmp/passwd
COPY --from=build /etc/passwd /tmp/passwd

FROM alpine:3.20 AS tools
RUN apk add --no-cache ca-certificates
# expect: DL3022
COPY --from=assets /dist /srv/www

FROM node:22-alpine AS assets
RUN npm ci && npm run build

FROM gcr.io/distroless/static-debian12
ARG TOOLS_STAGE BAD_STAGE
COPY --from=build /out/app /app
COPY --from=BUILD /out/app /app-again
COPY --from=0 /out/app /app-by-index
COPY --from=assets /dist /srv/www
COPY --from=${TOOLS_STAGE} /etc/ssl/certs /etc/ssl/certs
COPY --from=nginx:1.27-alpine /etc/nginx/nginx.conf /etc/nginx/
# expect: DL3022
COPY --from=ghcr.io/acme/config /config /config
COPY --from=ghcr.io/acme/config:2.1 /config /config
COPY --from=$UNSET_STAGE /x /x
ONBUILD COPY --from=downstream /x /x
# expect: DL3022
COPY --from=biuld /out/app /app
# expect: DL3022
COPY --from=buld /out/app /app
# expect: DL3022
COPY --from=${BAD_STAGE} /etc/ssl/certs /etc/ssl/certs
# expect: DL3022
COPY --from=7 /x /x
# expect: DL3022
COPY --from=busybox /bin/busybox /bin/busybox
