ARG VERSION=1.4.2
ARG TAG=v1.4
FROM alpine:3.20
LABEL org.opencontainers.image.version="1.4.2"
LABEL org.opencontainers.image.version="2.0.0-rc.1+build.5"
LABEL org.opencontainers.image.version=0.0.0
# expect: DL3056
LABEL org.opencontainers.image.version="v1.4.2"
# expect: DL3056
LABEL org.opencontainers.image.version="1.4"
# expect: DL3056
LABEL org.opencontainers.image.version="1.04.0"
ARG VERSION TAG
LABEL org.opencontainers.image.version="${VERSION}"
# expect: DL3056
LABEL org.opencontainers.image.version="${TAG}"
