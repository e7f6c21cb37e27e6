FROM debian:12
# expect: BD3001
RUN curl -fsSLk https://example.com/tool.tar.gz -o /tmp/tool.tar.gz
# expect: BD3001
RUN curl --insecure -fsSL https://example.com/a -o /tmp/a \
    && curl -k \
         https://example.com/b -o /tmp/b
# expect: BD3001
RUN wget --no-check-certificate -q https://example.com/c
# expect: BD3001
RUN pip install --trusted-host pypi.internal -r requirements.txt
# expect: BD3001
RUN python3 -m pip config set global.trusted-host "pypi.internal"
# expect: BD3001
RUN npm config set strict-ssl false && yarn config set strict-ssl false
# expect: BD3001
RUN npm set strict-ssl=false
# expect: BD3001
RUN apt-get -o Acquire::https::Verify-Peer=false update && apt-get install -y --allow-unauthenticated curl
# expect: BD3001
RUN echo 'Acquire::https::Verify-Peer "false";' > /etc/apt/apt.conf.d/99insecure
# expect: BD3001
RUN echo "deb [trusted=yes] http://repo.example.com/debian stable main" > /etc/apt/sources.list.d/example.list
# expect: BD3001
RUN apk add --no-cache --allow-untrusted some-package
# expect: BD3001
RUN git -c http.sslVerify=false clone https://git.example.com/app.git
# expect: BD3001
RUN git config --global http.sslVerify false
# expect: BD3001
RUN conda config --set ssl_verify false
# expect: BD3001
RUN export NODE_TLS_REJECT_UNAUTHORIZED=0 && npm ci
# expect: BD3001
RUN GIT_SSL_NO_VERIFY=1 git clone https://git.example.com/app.git
# expect: BD3001
RUN <<EOF
set -e
curl -k https://example.com/d -o /tmp/d
EOF
# expect: BD3001
RUN sh -c 'wget --no-check-certificate https://example.com/e'
# expect: BD3001
ENV NODE_TLS_REJECT_UNAUTHORIZED=0
# expect: BD3001
ENV GIT_SSL_NO_VERIFY true
ARG OFF=0
# expect: BD3001
ARG PYTHONHTTPSVERIFY=${OFF}
# expect: BD3001
ENV PIP_TRUSTED_HOST="pypi.internal" npm_config_strict_ssl=false
# expect: BD3001
ONBUILD RUN curl -k https://example.com/f

# Checks left on, or not about TLS at all.
ENV NODE_TLS_REJECT_UNAUTHORIZED=1 PYTHONHTTPSVERIFY=1
ARG GIT_SSL_NO_VERIFY
ENV CURL_CA_BUNDLE=""
RUN curl -fsSL https://example.com/g -o /tmp/g && curl -o /tmp/k https://example.com/k
RUN curl -fsSL -H "X-Key: k" https://example.com/h && curl -X POST -d k=1 https://example.com/i
RUN npm config set strict-ssl true && git config --global http.sslVerify true
RUN pip install --index-url https://pypi.internal/simple requests==2.32.3
RUN apt-get install -y --allow-unauthenticated ./local-package.deb /tmp/other.deb
RUN apk add --allow-untrusted /tmp/packages/*.apk && apk index --allow-untrusted -o /tmp/APKINDEX.tar.gz /tmp/*.apk
RUN echo "deb [ trusted=yes ] file:///tmp/repo ./" > /etc/apt/sources.list.d/temp.list
RUN echo "NODE_TLS_REJECT_UNAUTHORIZED is not set" && grep -k x y
RUN ["curl", "-k", "https://example.com/j"]
