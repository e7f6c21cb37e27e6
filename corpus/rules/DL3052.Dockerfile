ARG REPO=github.com/acme/app
ARG GOOD_REPO=https://github.com/acme/app
ARG CI_REPO
FROM alpine:3.20
LABEL org.opencontainers.image.source="https://github.com/acme/app" \
      org.opencontainers.image.documentation="https://docs.example.com/app?lang=en#install"
LABEL org.opencontainers.image.source=git://git.example.com/app.git
LABEL org.opencontainers.image.source="https://example.com/a%20b"
# expect: DL3052
LABEL org.opencontainers.image.source="github.com/acme/app"
# expect: DL3052
LABEL org.opencontainers.image.documentation="https://docs.example.com/my app"
# expect: DL3052
LABEL org.opencontainers.image.source="https://"
ARG REPO GOOD_REPO CI_REPO
# expect: DL3052
LABEL org.opencontainers.image.source="${REPO}"
LABEL org.opencontainers.image.source="${GOOD_REPO}"
LABEL org.opencontainers.image.source="${CI_REPO}"
# Empty values are DL3051's.
LABEL org.opencontainers.image.source=""
# Not typed url in the schema.
LABEL description="not a url"
# expect: DL3052
ONBUILD LABEL org.opencontainers.image.source=acme/app
