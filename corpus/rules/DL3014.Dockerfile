FROM debian:12-slim
# expect: DL3014
RUN apt-get update && apt-get install --no-install-recommends curl
# expect: DL3014
RUN apt-get update \
 && apt-get install \
      --no-install-recommends \
      ca-certificates
# A single -q does not answer the prompt; quiet level 2 does.
# expect: DL3014
RUN apt-get -q install --no-install-recommends git
# expect: DL3014
RUN /usr/bin/apt-get install --no-install-recommends make
# expect: DL3014
RUN <<EOF
set -e
apt-get update
apt-get install --no-install-recommends unzip
EOF
# expect: DL3014
RUN sh -c 'apt-get install --no-install-recommends jq'
# expect: DL3014
ONBUILD RUN apt-get install --no-install-recommends tree

RUN apt-get install -y --no-install-recommends curl
RUN apt-get install --yes --no-install-recommends curl
RUN apt-get install --assume-yes --no-install-recommends curl
RUN apt-get install -qy --no-install-recommends curl
RUN apt-get -qq install --no-install-recommends curl
RUN apt-get -q -q install --no-install-recommends curl
RUN apt-get -q=2 install --no-install-recommends curl
RUN apt-get --quiet --quiet install --no-install-recommends curl
RUN apt-get -o APT::Get::Assume-Yes=true install --no-install-recommends curl
# `install` as a package name, not the subcommand.
RUN apt-get download install
RUN apt-get update && apt-get -y upgrade
RUN ["apt-get", "install", "curl"]

FROM mcr.microsoft.com/powershell:7.4-ubuntu-22.04
SHELL ["pwsh", "-Command"]
RUN apt-get install curl
