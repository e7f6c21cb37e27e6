FROM python:3.12-slim AS base
# expect: DL3042
RUN pip install flask==3.0.3
# Packages that download gigabytes are named in the message.
# expect: DL3042
RUN pip install torch==2.4.0 torchvision==0.19.0
# expect: DL3042
RUN pip install "jax[cuda12]" nvidia-cudnn-cu12
# From PyTorch's CPU index, torch is small.
# expect: DL3042
RUN pip install torch --index-url https://download.pytorch.org/whl/cpu
# expect: DL3042
RUN pip3 install --upgrade \
      pip==24.0 \
 && python3 -m pip install -r requirements.txt
# expect: DL3042
RUN /usr/local/bin/pip install -e .
# A cache mount elsewhere does not keep pip's cache out of the layer.
# expect: DL3042
RUN --mount=type=cache,target=/var/cache/apt pip install gunicorn==22.0.0
# expect: DL3042
RUN <<EOF
set -e
pip install uvicorn==0.30.1
EOF
# expect: DL3042
RUN sh -c 'pip install httpx==0.27.0'
# expect: DL3042
ONBUILD RUN pip install -r requirements.txt

RUN pip install --no-cache-dir flask==3.0.3
RUN pip --no-cache-dir install flask==3.0.3
RUN PIP_NO_CACHE_DIR=1 pip install flask==3.0.3
RUN export PIP_NO_CACHE_DIR=off && pip install flask==3.0.3
RUN --mount=type=cache,target=/root/.cache/pip pip install flask==3.0.3
RUN --mount=type=cache,target=/root/.cache pip install flask==3.0.3
RUN pipx install poetry==1.8.3 && pipenv install && uv pip install flask==3.0.3
RUN pip download flask==3.0.3
RUN ["pip", "install", "flask==3.0.3"]

# PIP_NO_CACHE_DIR from ENV is inherited by child stages; pip treats any
# boolean value, `off` included, as "no cache".
FROM base AS env
ENV PIP_NO_CACHE_DIR=off
RUN pip install flask==3.0.3
FROM env
RUN pip install gunicorn==22.0.0

# From an ARG too: RUN sees it as an environment variable.
FROM python:3.12-slim AS arg
ARG PIP_NO_CACHE_DIR=1
RUN pip install flask==3.0.3

# A cache mount on the directory PIP_CACHE_DIR names.
FROM python:3.12-slim AS cachedir
ENV PIP_CACHE_DIR=/cache/pip
RUN --mount=type=cache,target=/cache/pip pip install flask==3.0.3
# expect: DL3042
RUN --mount=type=cache,target=/tmp/other pip install flask==3.0.3

FROM mcr.microsoft.com/powershell:7.4-ubuntu-22.04
SHELL ["pwsh", "-Command"]
RUN pip install flask==3.0.3
