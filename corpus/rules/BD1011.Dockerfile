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
# An escaped escape at the end of a line does not continue it: the ENV ends
# on its own line, and the ENV below is a separate instruction.
# expect: BD1011
ENV TOOLS C:\\tools\\
ENV NEXT=1
# BuildKit reads only the first word of a check comment, so a reason may follow.
# check=skip=LegacyKeyValueFormat // the vendored entrypoint parses this line
ENV VENDORED value
# check=skip=LegacyKeyValueFormat // blank lines do not detach a comment

ENV ALSO_SKIPPED value
# check=skip=LegacyKeyValueFormat
#
# A bare # line detaches the comments above it.
# expect: BD1011
ENV REPORTED value
  # check=skip=LegacyKeyValueFormat
# expect: BD1011
ENV INDENTED_CHECK_COMMENT_IS_NOT_ONE value
