ARG DEST=/srv/app/
ARG FILE_DEST=/srv/app/config.yml
FROM golang:1.23 AS build
WORKDIR /src
# expect: DL3021
COPY go.mod go.sum .
# expect: DL3021
COPY main.go util.go /src/cmd
# expect: DL3021
COPY ["a.txt", "b.txt", "/data"]
# expect: DL3021
COPY --chown=1000:1000 one.txt \
     two.txt \
     "/opt/my app"
COPY go.mod go.sum ./
COPY main.go /src/cmd
COPY ["a.txt", "b.txt", "/data/"]
COPY *.go /src/
ARG DEST FILE_DEST
COPY a b $DEST
# expect: DL3021
COPY a b ${FILE_DEST}
# Unknown destination: not judged.
COPY a b $UNSET_DEST
# expect: DL3021
ONBUILD COPY x y /dst
COPY <<EOF /etc/app.conf
key=value
EOF
ADD a b /not-checked
# An escaped escape at the end of a line does not continue it (BuildKit's
# continuation pattern): the COPY ends here and the CMD below is not one of
# its arguments.
COPY a.txt C:\\data\\
CMD ["x"]
