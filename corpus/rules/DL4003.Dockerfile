FROM python:3.12-slim AS app
CMD ["python", "migrate.py"]
COPY . /app
# expect: DL4003
CMD python /app/worker.py \
    --queue default
# expect: DL4003
CMD ["python", "/app/server.py"]
ONBUILD CMD ["python", "first.py"]
# expect: DL4003
ONBUILD CMD ["python", "second.py"]

# One CMD per stage is fine, whatever the other stages do.
FROM app AS debug
CMD ["python", "-m", "pdb", "/app/server.py"]

FROM alpine:3.20
ENTRYPOINT ["/bin/sh"]
CMD ["-c", "echo ready"]
