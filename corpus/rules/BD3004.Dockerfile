ARG CUDA=12.4.1
FROM nvidia/cuda:${CUDA}-cudnn-runtime-ubuntu22.04 AS base
# pip without --no-cache-dir is DL3042's one finding, not this rule's.
RUN pip install torch==2.4.0 torchvision==0.19.0
RUN python3 -m pip install -r requirements.txt
# expect: BD3004
RUN uv pip install --system vllm==0.6.3
# Not known to be large: no claim of gigabytes.
# expect: BD3004
RUN uv pip install --system einops==0.8.0
# expect: BD3004
RUN uv sync --frozen

FROM base AS app
# Inherited through the stage chain.
# expect: BD3004
RUN <<EOF
set -e
uv pip install --system transformers==4.44.0
EOF
# A cache mount, --no-cache-dir, or cleaning up keeps the cache out of the layer.
RUN --mount=type=cache,target=/root/.cache/pip pip install accelerate==0.34.0
RUN --mount=type=cache,target=/root/.cache pip install peft==0.12.0
RUN --mount=type=cache,target=/root/.cache/uv uv pip install --system xformers==0.0.27
RUN pip install --no-cache-dir bitsandbytes==0.43.3
RUN uv pip install --no-cache --system flash-attn==2.6.3
RUN uv pip install --system sentencepiece==0.2.0 && uv cache clean
RUN pip install sentencepiece==0.2.0 && pip cache purge
RUN pip install einops==0.8.0 && rm -rf /root/.cache/pip
RUN PIP_NO_CACHE_DIR=1 pip install safetensors==0.4.4
# Packaging tools and local wheels are small or not downloaded.
RUN pip install --upgrade pip setuptools wheel
RUN pip install dist/*.whl

FROM nvcr.io/nvidia/pytorch:24.08-py3 AS ngc
ENV PIP_NO_CACHE_DIR=1
RUN pip install apex==0.1

FROM pytorch/pytorch:2.4.0-cuda12.4-cudnn9-runtime
ENV PIP_CACHE_DIR=/var/cache/pip
RUN --mount=type=cache,target=/var/cache/pip pip install lightning==2.4.0
# expect: BD3004
ONBUILD RUN uv pip install --system -r /app/requirements.txt

# A builder stage that is only copied from: its cache never reaches an image.
FROM nvidia/cuda:12.4.1-devel-ubuntu22.04 AS wheels
RUN uv pip install --system torch==2.4.0

FROM python:3.12-slim
# Not a GPU image: DL3042's business only.
RUN pip install requests==2.32.3
COPY --from=wheels /usr/local/lib/python3.10/dist-packages /opt/gpu-packages
