FROM alpine:3.20
# expect: BD0001
RUNN apk add --no-cache curl
# The rest of the file is still parsed and linted.
RUN echo ok
# expect: BD0001
WORKDIR
# expect: BD0001
RUN <<EOF
echo this heredoc never ends
