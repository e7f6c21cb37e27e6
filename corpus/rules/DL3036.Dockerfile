FROM opensuse/leap:15.6
# expect: DL3036
RUN zypper -n install curl=8.6.0
# expect: DL3036
RUN zypper -n in \
      git=2.43.0 \
      tar=1.34
# A clean before the install does not help.
# expect: DL3036
RUN zypper clean -a && zypper -n in jq=1.6
# A trailing comment would swallow an appended command: no fix.
# expect: DL3036
RUN zypper -n in wget=1.20.3 # tools
# A cache mount elsewhere does not keep zypper's cache out of the layer.
# expect: DL3036
RUN --mount=type=cache,target=/var/cache/apt zypper -n in vim=9.1
# expect: DL3036
RUN <<EOF
set -e
zypper -n in less=643
EOF
# expect: DL3036
RUN sh -c 'zypper -n in which=2.21'
# expect: DL3036
ONBUILD RUN zypper -n in file=5.32

RUN zypper -n install curl=8.6.0 && zypper clean
RUN zypper -n in curl=8.6.0 && zypper cc -a
RUN zypper -n in curl=8.6.0 && rm -rf /var/cache/zypp
RUN --mount=type=cache,target=/var/cache/zypp zypper -n in curl=8.6.0
RUN zypper -n remove vim && zypper -n update
RUN ["zypper", "-n", "install", "curl"]

FROM mcr.microsoft.com/powershell:7.4-ubuntu-22.04
SHELL ["pwsh", "-Command"]
RUN zypper -n install curl
