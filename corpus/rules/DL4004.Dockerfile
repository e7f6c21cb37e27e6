FROM alpine:3.20 AS api
ENTRYPOINT ["/usr/local/bin/wait-for-db"]
# expect: DL4004
entrypoint /usr/local/bin/migrate
# expect: DL4004
ENTRYPOINT ["/usr/local/bin/api"]
CMD ["--port", "8080"]
ONBUILD ENTRYPOINT ["/first"]
# expect: DL4004
ONBUILD ENTRYPOINT ["/second"]

FROM api AS debug
ENTRYPOINT ["/usr/local/bin/api", "--debug"]

FROM alpine:3.20
ENTRYPOINT ["/bin/true"]
