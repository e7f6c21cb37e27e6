FROM alpine:3.20
LABEL maintainer="platform-team@example.com"
LABEL maintainer="dev.ops+alerts@mail.example.co.uk"
LABEL maintainer="\"dev team\"@example.com"
# Typed text: anything goes.
LABEL org.opencontainers.image.vendor="Acme Corp"
# expect: DL3058
LABEL maintainer="Platform Team"
# expect: DL3058
LABEL maintainer="team@"
# expect: DL3058
LABEL maintainer="Platform Team <team@>"
# A display name before the address is allowed.
LABEL maintainer="Platform Team <team@example.com>"
