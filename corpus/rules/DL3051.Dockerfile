ARG EMPTY=""
ARG VERSION
FROM alpine:3.20
# expect: DL3051
LABEL org.opencontainers.image.version=""
# expect: DL3051
LABEL maintainer=
ARG EMPTY VERSION
# expect: DL3051
LABEL org.opencontainers.image.version="${EMPTY}"
# Chosen at build time: not judged.
LABEL org.opencontainers.image.version="${VERSION}"
LABEL org.opencontainers.image.version="1.2.3" maintainer="dev@example.com"
# Not in the schema.
LABEL description=""
