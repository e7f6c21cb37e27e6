# expect: BD1002
FROM node:22 as deps
# expect: BD1002
from node:22 AS build
# expect: BD1002
FROM node:22 As test
FROM node:22 AS lint
from node:22 as docs
From node:22 as mixed
FROM deps
