ARG GIT_COMMIT
FROM alpine:3.20
LABEL org.opencontainers.image.revision="3f2c1ab"
LABEL org.opencontainers.image.revision="3f2c1ab9d0e4"
LABEL org.opencontainers.image.revision=0123456789abcdef0123456789abcdef01234567
# expect: DL3055
LABEL org.opencontainers.image.revision="main"
# expect: DL3055
LABEL org.opencontainers.image.revision="3f2c1a"
# expect: DL3055
LABEL org.opencontainers.image.revision="v1.2.3"
ARG GIT_COMMIT
LABEL org.opencontainers.image.revision="${GIT_COMMIT}"
