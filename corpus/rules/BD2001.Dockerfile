FROM --platform=$BUILDPLATFORM golang:1.23 AS build
# expect: BD2001
FROM --plataform=linux/amd64 alpine:3.20 AS typo
RUN --mount=type=cache,target=/root/.cache/go-build --network=none go build ./...
# expect: BD2001
COPY --form=build /out/app /usr/local/bin/app
# expect: BD2001
COPY --FROM=build /out/app /usr/local/bin/app
COPY --from=build --chown=app:app --chmod=0755 --link --parents --exclude=*.md /src/./cmd /app/
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d --keep-git-dir --unpack=false https://example.com/a.tar.gz /tmp/
# expect: BD2001
ADD --from=build /out/app /usr/local/bin/app
# expect: BD2001
RUN --mout=type=cache,target=/root/.cache pip install -r requirements.txt
# expect: BD2001
COPY --recursive src/ /app/
# expect: BD2001
CMD --verbose
CMD ["app", "--verbose"]
# expect: BD2001
ENTRYPOINT --config /etc/app.yaml
# expect: BD2001
HEALTHCHECK --intervall=30s CMD curl -f http://localhost/ || exit 1
HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --start-interval=1s --retries=3 CMD curl -f http://localhost/
HEALTHCHECK --whatever=1 NONE
ARG --whatever VERSION=1
STOPSIGNAL --whatever SIGTERM
RUN echo --not-a-flag
COPY -- --odd-name /app/
# expect: BD2001
ONBUILD COPY --chwon=app /src /app
RUN <<EOF
echo --inside-heredoc
EOF
USER app
