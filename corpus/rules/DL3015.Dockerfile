FROM debian:12
ARG APT_FLAGS="-y --no-install-recommends"
ARG PKGS="curl git"
# expect: DL3015
RUN apt-get update && apt-get install -y curl
# expect: DL3015
RUN apt-get update \
    && apt-get -q install \
       -y ca-certificates
# expect: DL3015
RUN <<EOF
set -e
apt-get install -y vim
EOF
# expect: DL3015
RUN bash -c 'apt-get install -y less'
# expect: DL3015
ONBUILD RUN apt-get install -y $PKGS
RUN apt-get install -y --no-install-recommends wget
RUN apt-get install --no-install-recommends -y jq
RUN apt-get -o APT::Install-Recommends=false install -y make
RUN apt-get install -o APT::Install-Recommends=0 -y gcc
# The option comes from a build argument.
RUN apt-get install $APT_FLAGS file
# Other apt-get subcommands install nothing.
RUN apt-get update && apt-get -y upgrade && apt-get remove -y nano
RUN ["apt-get", "install", "-y", "tree"]

FROM ubuntu:24.04
# Recommends are turned off in apt's configuration by an earlier RUN.
RUN echo 'APT::Install-Recommends "false";' > /etc/apt/apt.conf.d/99-no-recommends
RUN apt-get update && apt-get install -y unzip

FROM ubuntu:24.04
RUN echo 'APT::Install-Recommends "true";' > /etc/apt/apt.conf.d/99-recommends
# expect: DL3015
RUN apt-get update && apt-get install -y zip
