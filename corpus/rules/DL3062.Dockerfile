FROM golang:1.22 AS build
ARG GOPLS_VERSION=v0.16.1
ARG TOOLS="honnef.co/go/tools/cmd/staticcheck@2023.1.7 github.com/golangci/golangci-lint/cmd/golangci-lint"
# expect: DL3062
RUN go install github.com/go-delve/delve/cmd/dlv
# expect: DL3062
RUN go install golang.org/x/tools/cmd/goimports@latest
# expect: DL3062
RUN go get -u \
      github.com/pkg/errors \
      golang.org/x/sync@v0.7.0
# expect: DL3062
RUN go run github.com/swaggo/swag/cmd/swag init -g main.go
# Flag values are not packages; the package after them is.
# expect: DL3062
RUN go install -tags netgo -ldflags "-s -w" github.com/air-verse/air
# Variables are judged by their values.
# expect: DL3062
RUN go install $TOOLS
# expect: DL3062
RUN <<EOF
set -e
go install mvdan.cc/gofumpt
EOF
# expect: DL3062
RUN sh -c 'go install github.com/google/wire/cmd/wire'
# expect: DL3062
ONBUILD RUN go install github.com/a-h/templ/cmd/templ@upgrade

RUN go install golang.org/x/tools/gopls@${GOPLS_VERSION} github.com/go-delve/delve/cmd/dlv@v1.23.0
RUN go install . && go install ./... && go install ./cmd/server && go install /src/tools/gen
RUN go run main.go && go run . --port 8080 && go run ./cmd/migrate up
RUN go run github.com/swaggo/swag/cmd/swag@v1.16.3 init -g main.go
RUN go install -tags netgo -ldflags "-s -w" github.com/air-verse/air@v1.52.3
RUN go get -d -v ./... && go get github.com/old/dependency@none
RUN go get && go install && go mod download && go build -o /bin/app ./cmd/app
RUN go install $UNKNOWN_TOOL
RUN ["go", "install", "github.com/go-delve/delve/cmd/dlv"]

FROM mcr.microsoft.com/powershell:7.4-ubuntu-22.04
SHELL ["pwsh", "-Command"]
RUN go install github.com/go-delve/delve/cmd/dlv
