FROM debian:bookworm-slim
ARG GITV=
# expect: BD2012
RUN apt-get update && apt-get install -y --no-install-recommends git= curl
# expect: BD2012
RUN apt-get install -y curl==7.88.1-10+deb12u8
# expect: BD2012
RUN apt-get install -y "git=${GITV}"
# expect: BD2012
RUN pip install --no-cache-dir flask=3.0.3
# expect: BD2012
RUN pip3 install "requests>=2.31,"
# expect: BD2012
RUN python3 -m pip install numpy==
# expect: BD2012
RUN npm install -g typescript@
# expect: BD2012
RUN go install golang.org/x/tools/gopls@
# Well formed, or not pins at all.
RUN apt-get install -y git=1:2.39.5-0+deb12u1 curl/bookworm-backports ./local.deb "libc6=2.36*"
RUN pip install flask==3.0.3 "uvicorn[standard]>=0.30,<1" ./src "pkg @ https://example.com/pkg.whl" -r requirements.txt
RUN npm install -g typescript@5.6 @types/node@22 ./lib && go install golang.org/x/tools/gopls@latest
RUN apt-get install -y "git=${UNKNOWN}" && echo pkg= && pip download x=1
FROM alpine:3.20
# expect: BD2012
RUN apk add --no-cache curl=
RUN apk add --no-cache curl=8.9.1-r2 bash~5.2 "openssl>3"
