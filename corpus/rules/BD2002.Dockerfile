FROM golang:1.23 AS build
# expect: BD2002
COPY --from=build --from=other /out /app
# expect: BD2002
COPY --chown=app --chown=app:app src/ /app/
RUN --mount=type=cache,target=/a --mount=type=cache,target=/b go build ./...
COPY --exclude=*.md --exclude=*.txt . /src
# expect: BD2002
RUN --network=none --network=host true
# expect: BD2002
HEALTHCHECK --interval=5s --interval=10s CMD true
COPY --unknown=1 --unknown=2 a b
COPY --from=build /out /app
