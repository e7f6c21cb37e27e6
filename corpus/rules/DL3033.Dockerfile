FROM centos:7
ARG JQ_VERSION=1.6
ARG TOOLS="make-3.82 wget"
# expect: DL3033
RUN yum install -y httpd && yum clean all
# A dash inside the name is not a version.
# expect: DL3033
RUN yum install -y \
      python3-devel \
      gcc-4.8.5 \
 && yum clean all
# expect: DL3033
RUN yum -y module install nodejs && yum clean all
# Variables are judged by their values.
# expect: DL3033
RUN yum install -y $TOOLS && yum clean all
# expect: DL3033
RUN <<EOF
set -e
yum install -y vim-enhanced
yum clean all
EOF
# expect: DL3033
RUN sh -c 'yum install -y tar && yum clean all'
# expect: DL3033
ONBUILD RUN yum install -y unzip && yum clean all

RUN yum install -y httpd-2.4.6-99.el7.centos.1 jq-${JQ_VERSION} java-11-openjdk && yum clean all
RUN yum --enablerepo epel install -y jq-1.6 && yum clean all
RUN yum install -y /tmp/app-1.0-1.x86_64.rpm https://example.com/lib-2.0-1.noarch.rpm && yum clean all
RUN yum install -y @development && yum groupinstall -y "Development Tools" && yum clean all
RUN yum group install -y "Development Tools" && yum clean all
RUN yum module install -y nodejs:18 && yum clean all
RUN yum install -y $UNKNOWN_PACKAGES && yum clean all
RUN yum remove -y httpd && yum update -y && yum clean all
RUN ["yum", "install", "-y", "httpd"]

FROM mcr.microsoft.com/powershell:7.4-ubuntu-22.04
SHELL ["pwsh", "-Command"]
RUN yum install -y httpd
