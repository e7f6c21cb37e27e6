# The project is built for linux/amd64 and linux/arm64 (BD4005.settings).
# expect: BD4005
FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04 AS cuda
# expect: BD4005
FROM nvcr.io/nvidia/pytorch:24.08-py3 AS ngc
# Pinned to amd64, L4T images, the build machine.
FROM --platform=linux/amd64 nvidia/cuda:12.4.1-runtime-ubuntu22.04 AS amd64
FROM nvcr.io/nvidia/l4t-jetpack:r36.3.0 AS jetson
FROM --platform=$BUILDPLATFORM nvidia/cuda:12.4.1-devel-ubuntu22.04 AS build
FROM python:3.12-slim
