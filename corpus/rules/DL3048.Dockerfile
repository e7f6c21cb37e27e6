ARG NS=com.example
ARG BAD_NS=com.docker
FROM alpine:3.20
LABEL org.opencontainers.image.title="app" com.example.api-version=2 a_b/c=1 z9=x
# expect: DL3048
LABEL Maintainer="Dev Team"
# expect: DL3048
LABEL version=1 \
      app_Name=web
# expect: DL3048
LABEL com.docker.extension.api-version=1
# expect: DL3048
LABEL "1st"=x
# expect: DL3048
LABEL trailing-=x
# expect: DL3048
LABEL a..b=x
# expect: DL3048
LABEL has:colon=x
ARG NS BAD_NS
LABEL ${NS}.team=payments
# expect: DL3048
LABEL ${BAD_NS}.team=payments
# Unknown key: not judged.
LABEL ${UNSET}.team=payments
# expect: DL3048
ONBUILD LABEL BuildNumber=1
# Legacy form: the key is the first word.
LABEL description The service
