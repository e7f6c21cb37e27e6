FROM alpine:3.20
# expect: DL4000
MAINTAINER Jane Doe <jane@example.com>
# expect: DL4000
maintainer "ops team" <ops@example.com>
# expect: DL4000
MAINTAINER Dev "Nick" $USER\team
# expect: DL4000
MAINTAINER first line \
    second line
LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"
LABEL maintainer="jane@example.com"
RUN echo MAINTAINER
