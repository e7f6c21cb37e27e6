# syntax=docker/dockerfile:1
# hadolint global ignore=DL3006
# check=skip=JSONArgsRecommended
FROM debian:bookworm-slim
# The findings cover the two ignore comments below, which belong to no instruction.
# expect-file: DL1001
# hadolint ignore=DL3008
RUN apt-get update && apt-get install -y --no-install-recommends curl
# berth ignore=DL3059,DL3015 the base image already trims recommends
RUN apt-get install -y git
# A comment that mentions hadolint ignore rules in passing is no pragma.
RUN echo done
# berth global ignore=DL3007
CMD ["bash"]
