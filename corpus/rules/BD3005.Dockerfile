FROM python:3.12-slim
ENV HF_HOME=/opt/hf
# expect: BD3005
RUN huggingface-cli download meta-llama/Llama-3.1-8B-Instruct --local-dir /models/llama
# expect: BD3005
RUN hf download BAAI/bge-small-en-v1.5
# expect: BD3005
RUN python -c "from transformers import AutoModel; AutoModel.from_pretrained('bert-base-uncased')"
# expect: BD3005
RUN python3 <<EOF
from huggingface_hub import snapshot_download
snapshot_download("openai/whisper-small")
EOF
# expect: BD3005
RUN curl -fsSL -o /models/model.gguf https://huggingface.co/TheBloke/Mistral-7B-GGUF/resolve/main/mistral-7b.Q4_K_M.gguf
# expect: BD3005
RUN wget -q https://download.pytorch.org/models/resnet50-0676ba61.pth -P /models
# expect: BD3005
RUN ollama serve & sleep 5 && ollama pull llama3.1:8b
# expect: BD3005
RUN git lfs install && git clone https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2 /models/minilm
# expect: BD3005
RUN --mount=type=cache,target=/var/cache/apt wget -q https://example.com/weights/pytorch_model.bin

# Cache mounts on the Hugging Face cache, HF_HOME, or the output folder.
RUN --mount=type=cache,target=/root/.cache/huggingface huggingface-cli download openai/whisper-small
RUN --mount=type=cache,target=/opt/hf python -c "from transformers import AutoModel; AutoModel.from_pretrained('gpt2')"
RUN --mount=type=cache,target=/weights wget -q -P /weights https://example.com/sd/v1-5.ckpt
RUN --mount=type=cache,target=/root/.ollama ollama pull nomic-embed-text
# Not model weights.
RUN curl -fsSL -o /usr/local/bin/tool https://example.com/tool-linux-amd64.bin
RUN curl -fsSL https://example.pt/ -o /tmp/index.html && wget -q https://example.com/app.tar.gz
RUN huggingface-cli login --token "$HF_TOKEN" && python -c "import transformers; print(transformers.__version__)"
RUN git clone https://github.com/huggingface/transformers.git
RUN python download_models.py
