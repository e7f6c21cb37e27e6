FROM debian:12 AS build
# expect: DL3010
COPY vendor.tar.gz /tmp/
RUN tar -xzf /tmp/vendor.tar.gz -C /opt && rm /tmp/vendor.tar.gz
# expect: DL3010
COPY tools.tgz /opt/
RUN cd /opt && tar xzf tools.tgz
ARG BUNDLE=assets.tar.xz
# expect: DL3010
COPY ${BUNDLE} /srv/
RUN tar --extract --file=/srv/assets.tar.xz && true
# A compressed file that tar reads is a tar archive.
# expect: DL3010
COPY data.gz /tmp/
RUN tar -x -z -f /tmp/data.gz
# Renamed on the way in: the destination's name counts.
# expect: DL3010
COPY release-1.2.tar /tmp/release.tar
RUN <<EOF
set -e
tar -xf /tmp/release.tar -C /usr/local
EOF

FROM debian:12
# A plain gzip file that is not a tar: ADD would not unpack it.
COPY words.gz /tmp/
RUN gunzip /tmp/words.gz
# zip archives are not unpacked by ADD.
COPY site.zip /tmp/
RUN unzip /tmp/site.zip -d /var/www
# Things ADD cannot do.
COPY app.tar.gz /tmp/
RUN tar -xzf /tmp/app.tar.gz --strip-components=1 -C /app
COPY conf.tar /tmp/
RUN tar -xOf /tmp/conf.tar etc/app.conf > /etc/app.conf
# Extracted in another stage, or copied from a stage.
COPY --from=build /tmp/vendor.tar.gz /tmp/
RUN tar -xzf /tmp/vendor.tar.gz
# Listing or creating is not extracting.
COPY backup.tar /tmp/
RUN tar -tf /tmp/backup.tar && tar -czf /tmp/out.tgz /etc
# expect: DL3010
COPY pkg.tar.bz2 /tmp/
RUN bunzip2 -c /tmp/pkg.tar.bz2 | tar -x -C /opt
FROM debian:12
RUN tar -xzf /tmp/tools.tgz
