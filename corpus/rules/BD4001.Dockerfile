# End of life as of 2026-12-06 (BD4001.settings), with a 90-day warning window.
ARG PY=3.7
# expect: BD4001
FROM python:${PY}-slim AS py
# expect: BD4001
FROM python:3.8.18-slim-bookworm AS py38
# The language is supported, the Debian release named by the tag is not.
# expect: BD4001
FROM python:3.12-slim-buster AS onbuster
# expect: BD4001
FROM node:16-alpine3.15 AS node16
# expect: BD4001
FROM docker.io/library/golang:1.22 AS go
# expect: BD4001
FROM ubuntu:bionic AS bionic
# expect: BD4001
FROM nvidia/cuda:11.8.0-cudnn8-runtime-ubuntu18.04 AS cuda
# expect: BD4001
FROM mcr.microsoft.com/dotnet/aspnet:6.0 AS dotnet
# Within the warning window (PHP 8.2 ends 2026-12-31): information.
# expect: BD4001
FROM php:8.2-fpm AS php82
# Supported versions, moving tags, unknown images, variables without a value, stages.
FROM python:3.12-slim-bookworm AS ok
FROM python:3 AS moving
FROM node:lts-alpine AS lts
FROM golang:1.26 AS go126
FROM example.com/team/python:3.7 AS private
FROM python:${UNSET}-slim AS unknown
FROM ubuntu:24.04 AS noble
FROM py AS child
FROM scratch
