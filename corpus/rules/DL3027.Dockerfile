FROM debian:12-slim
# expect: DL3027
RUN apt update && apt install -y --no-install-recommends curl
# expect: DL3027
RUN apt-get update \
 && apt full-upgrade -y \
 && apt search libssl
# expect: DL3027
RUN /usr/bin/apt show bash
# expect: DL3027
RUN apt -o Acquire::Retries=3 autoremove -y
# A quoted name gets no fix.
# expect: DL3027
RUN "apt" purge -y vim
# expect: DL3027
RUN <<EOF
set -e
apt list --installed
EOF
# expect: DL3027
RUN sh -c 'apt clean'
# expect: DL3027
ONBUILD RUN apt policy curl

RUN apt-get update && apt-get install -y --no-install-recommends curl
RUN apt-cache search libssl && apt-cache policy curl && apt-mark hold curl
RUN echo apt install curl
RUN ["apt", "update"]

FROM mcr.microsoft.com/powershell:7.4-ubuntu-22.04
SHELL ["pwsh", "-Command"]
RUN apt update
