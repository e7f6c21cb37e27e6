FROM centos:7
# expect: DL3032
RUN yum install -y httpd-2.4.6
# expect: DL3032
RUN yum install -y \
      gcc-4.8.5 \
      make-3.82
# A clean before the install does not help.
# expect: DL3032
RUN yum clean all && yum install -y jq-1.6
# A second install after the clean fills the cache again.
# expect: DL3032
RUN yum install -y tar-1.26 && yum clean all && yum install -y unzip-6.0
# expect: DL3032
RUN yum groupinstall -y "Development Tools"
# A trailing comment would swallow an appended command: no fix.
# expect: DL3032
RUN yum install -y wget-1.14 # tools
# A cache mount elsewhere does not keep yum's cache out of the layer.
# expect: DL3032
RUN --mount=type=cache,target=/var/cache/apt yum install -y vim-enhanced-7.4.629
# expect: DL3032
RUN <<EOF
set -e
yum install -y less-458
EOF
# expect: DL3032
RUN sh -c 'yum install -y which-2.20'
# expect: DL3032
ONBUILD RUN yum install -y file-5.11

RUN yum install -y httpd-2.4.6 && yum clean all
RUN yum -y install httpd-2.4.6 && yum -y clean all && rm -rf /var/cache/yum
RUN yum install -y httpd-2.4.6 && rm -rf /var/cache/yum/*
RUN --mount=type=cache,target=/var/cache/yum yum install -y httpd-2.4.6
RUN --mount=type=cache,target=/var/cache/dnf,sharing=locked yum install -y httpd-2.4.6
# An update downloads packages into the cache as an install does.
# expect: DL3032
RUN yum update -y && yum remove -y httpd
RUN ["yum", "install", "-y", "httpd"]

FROM mcr.microsoft.com/powershell:7.4-ubuntu-22.04
SHELL ["pwsh", "-Command"]
RUN yum install -y httpd
