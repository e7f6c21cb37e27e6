ARG METRICS_PORT=99090
ARG WEB_PORT=8080
FROM nginx:1.27-alpine
EXPOSE 80 443/tcp 53/udp 0 65535
EXPOSE 8000-8010 60000-65535/udp
# expect: DL3011
EXPOSE 80800
# expect: DL3011
EXPOSE 8000-80000/tcp
# expect: DL3011
EXPOSE 80 \
    700000/udp
ARG METRICS_PORT
ARG WEB_PORT
# expect: DL3011
EXPOSE ${METRICS_PORT}
EXPOSE ${WEB_PORT}
# Unknown value: not judged.
EXPOSE $UNSET_PORT
# Host mappings are BD1005's; only the container port is judged here.
EXPOSE 8080:80
# expect: DL3011
EXPOSE 8080:99999
# expect: DL3011
ONBUILD EXPOSE 123456
# Not a number: not this rule's concern.
EXPOSE http
