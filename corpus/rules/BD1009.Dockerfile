FROM alpine:3.20 AS build
RUN apk add --no-cache build-base
# expect: BD1009
run make
COPY . /src
WORKDIR /src
# expect: BD1009
Copy --from=build /out /app
RUN <<EOF
echo heredoc bodies are not keywords
run this is not an instruction
EOF
# expect: BD1009
onbuild RUN echo hi
# expect: BD1009
ONBUILD run echo hi
ONBUILD RUN echo fine
ENV A=1
CMD ["/app"]
