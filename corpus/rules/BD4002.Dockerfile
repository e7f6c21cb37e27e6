# Global ARG: FROM ${JDK} below evaluates to openjdk:11.
ARG JDK=openjdk:11
# expect: BD4002
FROM openjdk:17-jdk-slim AS jdk
# expect: BD4002
FROM openjdk:8u342-jre-alpine AS jre8
# expect: BD4002
FROM centos:7 AS c7
# expect: BD4002
FROM docker.io/library/centos:8 AS c8
# expect: BD4002
FROM jenkins:lts AS ci
# A tag the successor does not publish: no fix.
# expect: BD4002
FROM openjdk:19-ea-windowsservercore AS ea
# Written with a variable: reported, the word is not rewritten.
# expect: BD4002
FROM ${JDK} AS viaarg
# expect: BD4002
FROM bitnami/postgresql:15 AS bitnami
# Successors and look-alikes are fine.
FROM eclipse-temurin:17-jdk AS temurin
FROM almalinux:9 AS alma
FROM jenkins/jenkins:lts AS jenkins
FROM bitnamilegacy/postgresql:15 AS legacy
FROM example.com/mirror/openjdk:17 AS mirror
FROM jdk AS child
