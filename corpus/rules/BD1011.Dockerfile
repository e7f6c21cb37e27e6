FROM alpine:3.20
# expect: BD1011
ENV PATH /usr/local/bin:$PATH
# expect: BD1011
ENV GREETING hello world
# expect: BD1011
LABEL maintainer "Jane Doe <jane@example.com>"
# expect: BD1011
ENV MIXED "a b" c
# expect: BD1011
ENV LITERAL_DOLLAR 'cost: $5' and more
# expect: BD1011
ENV DEPS \
    curl \
    git
# expect: BD1011
ENV   SPACED    value
ENV PATH=/opt/bin:$PATH
ENV A=1 B="two words"
LABEL org.opencontainers.image.title="app" version=1.0
ARG NAME VERSION
ARG X=1
# expect: BD1011
ONBUILD ENV MODE production
RUN echo $GREETING
CMD ["sh"]
