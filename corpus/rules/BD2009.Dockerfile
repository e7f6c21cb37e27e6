FROM alpine:3.20
# expect: BD2009
ENV PATH
# expect: BD2009
ENV APP_HOME=/srv/app DEBUG
# expect: BD2009
ENV =value
# expect: BD2009
ARG =1
# expect: BD2009
LABEL description="My app
# expect: BD2009
LABEL quote=Don't
# expect: BD2009
LABEL version
# expect: BD2009
ARG GREETING='hello
ENV A=1 B="two words" C='single quoted' D=escaped\ space E="with \"quote\""
ENV LEGACY value with spaces
ENV LEGACY2 "quoted value"
LABEL org.opencontainers.image.title="app" version=1.0
ARG NAME
ARG X=1 Y
ENV EMPTY=
ENV MULTI=one \
    OTHER="two \
    lines"
# expect: BD2009
ONBUILD ENV BROKEN
CMD ["sh"]
