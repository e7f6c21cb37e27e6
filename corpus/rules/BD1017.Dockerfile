# Every BD1017 finding sits on a comment, outside any instruction, so the
# fixture expects them file-wide; the snapshot shows each one.
# expect-file: BD1017
# hadolint stage ignore=DL3007
FROM debian:latest
# Used: DL3008 and DL3015 both have a finding on the next instruction (the
# list may have spaces around its commas, as hadolint allows).
# hadolint ignore=DL3008, DL3015
RUN apt-get install -y curl
# Reported: neither has a finding here.
# hadolint ignore=DL3008,DL3009
RUN apt-get install -y --no-install-recommends jq=1.6-2.1
# Reported: an unknown name, beside a used one.
# berth ignore=DL3015,XYZ9 reason
RUN apt-get install -y wget=1.21.3-1+b2
# Reported: nothing to suppress in the rest of the stage.
# berth stage ignore=DL3003
RUN echo one
# Not judged: ShellCheck codes, hadolint codes berth lacks, BuildKit checks
# berth lacks.
# hadolint ignore=SC2086,DL3005
RUN echo $HOME
# check=skip=InvalidBaseImagePlatform
FROM debian:12
# Reported: a code no tool has and a misspelled name; the whole comment goes.
# hadolint ignore=DL3080,pin-apt-versions
RUN echo two
# Reported: a BuildKit check with no finding here.
# check=skip=StageNameCasing
RUN echo three
