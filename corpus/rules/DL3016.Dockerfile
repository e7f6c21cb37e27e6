FROM node:20-bookworm-slim
ARG PNPM_VERSION=9.4.0
ARG CLI_PACKAGES="@angular/cli@17.3.8 typescript"
# expect: DL3016
RUN npm install -g typescript
# expect: DL3016
RUN npm install --save-dev \
      eslint@9.5.0 \
      @types/node \
      prettier
# npm i and npm add are the same command.
# expect: DL3016
RUN npm i express
# expect: DL3016
RUN npm --global add nodemon
# A git URL without #ref is not pinned.
# expect: DL3016
RUN npm install git+https://github.com/org/lib.git
# Variables are judged by their values.
# expect: DL3016
RUN npm install -g $CLI_PACKAGES
# expect: DL3016
RUN <<EOF
set -e
npm install -g pm2
EOF
# expect: DL3016
RUN sh -c 'npm install -g serve'
# expect: DL3016
ONBUILD RUN npm install left-pad

RUN npm install && npm ci && npm install --omit=dev && npm install --omit dev
RUN npm install -g npm@10.8.1 pnpm@${PNPM_VERSION} corepack@latest @angular/cli@17
RUN npm install --prefix /app express@4.19.2 --registry https://registry.example.com
RUN npm install ./packages/shared /opt/vendor/lib ../common file:../tools
RUN npm install https://example.com/pkg-1.0.0.tgz vendor/lib.tar.gz
RUN npm install git+https://github.com/org/lib.git#v1.2.0 github:org/other#semver:^2 org/repo#abc123
RUN npm install -g $UNKNOWN_PACKAGE
RUN npm run install express && npm ls express
RUN ["npm", "install", "express"]

FROM mcr.microsoft.com/powershell:7.4-ubuntu-22.04
SHELL ["pwsh", "-Command"]
RUN npm install express
