# The project is built for linux/amd64 and linux/arm64 (BD4004.settings).
# expect: BD4004
FROM pytorch/pytorch:2.3.1-cuda12.1-cudnn8-runtime AS torch
# expect: BD4004
FROM tensorflow/tensorflow:2.15.0-gpu AS tfgpu
# expect: BD4004
FROM mysql:5.7 AS mysql57
# expect: BD4004
FROM --platform=linux/arm/v7 amazonlinux:2023 AS al
# Multi-platform images, a stage pinned to a published platform, the build machine.
FROM tensorflow/tensorflow:2.15.0 AS tfcpu
FROM mysql:8.4 AS mysql84
FROM --platform=linux/amd64 pytorch/pytorch:2.3.1-cuda12.1-cudnn8-runtime AS amd64
FROM --platform=$BUILDPLATFORM pytorch/pytorch:2.3.1-cuda12.1-cudnn8-runtime AS native
FROM python:3.12-slim
