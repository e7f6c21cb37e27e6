ARG TF_TAG=nightly-gpu-jupyter
# expect: BD3006
FROM tensorflow/tensorflow:latest-gpu AS tf
# expect: BD3006
FROM pytorch/pytorch:nightly AS nightly
# expect: BD3006
FROM nvidia/cuda:devel AS cuda
# expect: BD3006
FROM docker.io/tensorflow/tensorflow:${TF_TAG} AS tfvar
# expect: BD3006
FROM nvcr.io/nvidia/tritonserver:latest-py3 AS triton
# expect: BD3006
FROM rocm/pytorch:latest-release AS rocm

# Plain latest is DL3007, no tag is DL3006: not reported here.
FROM nvidia/cuda:latest AS plain
FROM pytorch/pytorch AS untagged
# Versioned tags, digests, unknown tags, other images, stages.
FROM nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04 AS pinned
FROM tensorflow/tensorflow:2.17.0-gpu AS tfpinned
FROM nvcr.io/nvidia/pytorch:24.08-py3 AS ngc
FROM pytorch/pytorch:latest-gpu@sha256:0b3c47f3e3f2a4a0d1e1c1b1a1f1e1d1c1b1a19080706050403020100f0e0d0c AS digest
FROM nvidia/cuda:${CUDA_TAG} AS unknown
FROM python:slim AS notgpu
FROM tf AS child
