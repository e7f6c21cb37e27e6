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
EOF
# expect: DL3008
RUN bash <<EOF
apt-get install -y --no-install-recommends htop
EOF
# expect: DL3008
RUN sh -c 'apt-get install -y tini'
# One finding per instruction names every unpinned package (hadolint reports
# the instruction once); each package is related information.
# expect: DL3008
RUN apt-get update && apt-get install -y --no-install-recommends \
      ca-certificates curl=7.88.1-10+deb12u5 gnupg \
    && apt-get install -y $EXTRA
# Pinned, local .deb files, variables without a value: not reported.
RUN apt-get install -y ./local.deb python3=3.11.2-1+b1
RUN apt-get update
RUN apt-get install -y "${UNDEFINED_PACKAGES}"
# A Python heredoc is not shell.
RUN python3 <<EOF
print("apt-get install -y curl")
EOF
# Exec form is not run by a shell.
RUN ["apt-get", "install", "-y", "curl"]
