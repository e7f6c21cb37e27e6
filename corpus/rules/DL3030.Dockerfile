FROM centos:7
# expect: DL3030
RUN yum install httpd-2.4.6 && yum clean all
# expect: DL3030
RUN yum --enablerepo epel \
      install jq-1.6 \
 && yum clean all
# expect: DL3030
RUN yum groupinstall "Development Tools" && yum clean all
# expect: DL3030
RUN yum group install "Development Tools" && yum clean all
# expect: DL3030
RUN yum localinstall /tmp/app-1.0-1.x86_64.rpm && yum clean all
# expect: DL3030
RUN <<EOF
set -e
yum install wget-1.14
yum clean all
EOF
# expect: DL3030
RUN sh -c 'yum install make-3.82 && yum clean all'
# expect: DL3030
ONBUILD RUN yum install tar-1.26 && yum clean all

RUN yum install -y httpd-2.4.6 && yum clean all
RUN yum -y install httpd-2.4.6 && yum clean all
RUN yum install --assumeyes httpd-2.4.6 && yum clean all
RUN yum -qy module install nodejs:18 && yum clean all
RUN yum update -y && yum clean all
RUN yum remove -y httpd && yum list installed
RUN yum info install
RUN ["yum", "install", "httpd"]

FROM mcr.microsoft.com/powershell:7.4-ubuntu-22.04
SHELL ["pwsh", "-Command"]
RUN yum install httpd
