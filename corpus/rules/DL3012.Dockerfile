FROM nginx:1.27-alpine AS web
HEALTHCHECK CMD wget -q --spider http://localhost/ || exit 1
COPY site/ /usr/share/nginx/html/
# expect: DL3012
HEALTHCHECK --interval=10s \
    CMD wget -q --spider http://localhost/healthz || exit 1
ONBUILD HEALTHCHECK CMD true
# expect: DL3012
ONBUILD HEALTHCHECK NONE

FROM web AS api
# One per stage: a new stage starts over.
HEALTHCHECK CMD ["curl", "-f", "http://localhost:8080/health"]
# expect: DL3012
HEALTHCHECK NONE

FROM alpine:3.20
HEALTHCHECK CMD ["true"]
CMD ["sleep", "infinity"]
