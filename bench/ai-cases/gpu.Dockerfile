FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04
RUN apt-get update && apt-get install -y python3-pip
RUN pip3 install torch
ADD https://example.com/model.bin /models/model.bin
WORKDIR models
ENTRYPOINT python3 serve.py
