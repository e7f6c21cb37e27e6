FROM debian:12
ARG EXTRA="jq"
# expect: DL3008
RUN apt-get update && apt-get install -y --no-install-recommends curl git=1:2.39.5-0+deb12u1 \
      && rm -rf /var/lib/apt/lists/*
# expect: DL3008
RUN apt-get -o Dpkg::Options::=--force-confnew install -y $EXTRA
# expect: DL3008
RUN <<EOF
set -e
apt-get install -y vim
