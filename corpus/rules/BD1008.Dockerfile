FROM debian:bookworm-slim
# expect: BD1008
RUN apt-get update && \

    apt-get install -y --no-install-recommends curl && \
    rm -rf /var/lib/apt/lists/*
# expect: BD1008
RUN set -eux; \
    
    echo one; \


    echo two
RUN apt-get update && \
    # a comment inside a continued instruction is fine
    apt-get install -y git
RUN <<EOF
echo first

echo after a blank line in a heredoc body
EOF
RUN ["sh", "-c", "echo exec form"]

# expect: BD1008
ONBUILD RUN echo one && \

    echo two
ENV A=1 \
    B=2
CMD ["sh"]
# Reported once, on the last line of the continuation (as BuildKit does), also
# when a comment line inside it ends with the escape character.
# expect: BD1008
RUN a \
# note \

    b
# Only a comment inside the continuation: nothing to report.
RUN a \
# note
    b
# The heredoc body is not part of the continuation: reported on `&& c`.
# expect: BD1008
RUN <<EOF \

    && c
echo body

EOF
CMD ["sh"]
