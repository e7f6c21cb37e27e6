FROM python:3.12-slim AS base
ARG BLACK_VERSION=24.4.2
ARG TOOLS="ruff mypy==1.10.0"
# expect: DL3013
RUN pip install --no-cache-dir flask gunicorn==22.0.0
# expect: DL3013
RUN pip3 install --no-cache-dir --upgrade pip setuptools==70.0.0
# Continued lines: each unpinned package is reported at its own word.
# expect: DL3013
RUN pip install --no-cache-dir \
      'requests[socks]' \
      "urllib3>=2,<3" \
      celery~=5.4
# expect: DL3013
RUN python3 -m pip install --no-cache-dir uvicorn
# expect: DL3013
RUN pipx install poetry
# Called by its full path (hadolint only sees a bare `pip`).
# expect: DL3013
RUN /opt/venv/bin/pip install --no-cache-dir httpx
# A package named next to a requirements file is not pinned by it.
# expect: DL3013
RUN pip install --no-cache-dir -r requirements.txt gunicorn
# A VCS URL needs an @ref after the repository path; `git@` is a user.
# expect: DL3013
RUN pip install --no-cache-dir git+ssh://git@github.com/org/lib.git
# Variables are judged by their values.
# expect: DL3013
RUN pip install --no-cache-dir $TOOLS
# expect: DL3013
RUN <<EOF
set -e
pip install --no-cache-dir pendulum
EOF
# expect: DL3013
RUN sh -c 'pip install --no-cache-dir arrow'
# expect: DL3013
ONBUILD RUN pip install --no-cache-dir rich

# Pinned, local, or versions set elsewhere.
RUN pip install --no-cache-dir flask==3.0.3 "black==${BLACK_VERSION}"
RUN pip install --no-cache-dir -r requirements.txt
RUN pip install --no-cache-dir --requirement=requirements-dev.txt
RUN pip install --no-cache-dir -c constraints.txt flask gunicorn
RUN pip install --no-cache-dir . && pip install --no-cache-dir -e ./plugins/extra
RUN pip install --no-cache-dir dist/app-1.0-py3-none-any.whl /tmp/lib-2.0.tar.gz
RUN pip install --no-cache-dir git+https://github.com/org/lib.git@v1.2.0#egg=lib
RUN pip install --no-cache-dir "lib @ https://example.com/lib-1.0.tar.gz"
RUN pip install --no-cache-dir --index-url https://pypi.example.com/simple --root-user-action ignore flask==3.0.3
RUN pip install --no-cache-dir $UNKNOWN_PACKAGES
RUN pip download flask && pip wheel flask
RUN pipenv install requests
RUN ["pip", "install", "flask"]

FROM mcr.microsoft.com/powershell:7.4-ubuntu-22.04
SHELL ["pwsh", "-Command"]
RUN pip install flask
