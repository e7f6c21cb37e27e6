FROM ruby:3.3-slim
ARG BUNDLER_VERSION=2.5.11
ARG GEMS="rake:13.2.1 rubocop"
# expect: DL3028
RUN gem install rails
# expect: DL3028
RUN gem install --no-document \
      nokogiri:1.16.6 \
      puma
# expect: DL3028
RUN gem i -N sinatra
# expect: DL3028
RUN gem install --source https://rubygems.example.com rack
# Variables are judged by their values.
# expect: DL3028
RUN gem install $GEMS
# expect: DL3028
RUN <<EOF
set -e
gem install foreman
EOF
# expect: DL3028
RUN sh -c 'gem install pry'
# expect: DL3028
ONBUILD RUN gem install thor

RUN gem install bundler:${BUNDLER_VERSION} rails:7.1.3.4
RUN gem install bundler -v 2.5.11
RUN gem install rails --version '~> 7.1'
RUN gem install rails --version=7.1.3.4
RUN gem install ./vendor/app-1.0.0.gem /tmp/lib-2.0.gem
RUN gem install --install-dir /opt/gems rake:13.2.1
RUN gem install $UNKNOWN_GEMS
RUN gem update --system && gem list
RUN ["gem", "install", "rails"]
# Words after `--` are build options for native extensions, not gems.
RUN gem install mysql2:0.5.6 -- --with-mysql-config=/usr/bin/mysql_config
# expect: DL3028
RUN gem install pg -- --with-pg-config=/usr/bin/pg_config

FROM mcr.microsoft.com/powershell:7.4-ubuntu-22.04
SHELL ["pwsh", "-Command"]
RUN gem install rails
