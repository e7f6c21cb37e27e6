FROM alpine:3.20
LABEL org.opencontainers.image.source="https://github.com/acme/app" maintainer="dev@example.com"
# expect: DL3050
LABEL team=payments
# expect: DL3050
LABEL maintainer="dev@example.com" \
      maintaner="dev@example.com"
# expect: DL3050
ONBUILD LABEL extra=1
LABEL ${UNSET_KEY}=x
