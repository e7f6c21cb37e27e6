# A fragment meant to be appended to a generated header.
# expect: BD2010
ARG VERSION=1.0
RUN apk add --no-cache curl
COPY app /usr/local/bin/app
CMD ["app"]
