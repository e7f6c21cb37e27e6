FROM python
WORKDIR /app
RUN apt-get update
RUN apt-get install -y git curl
COPY requirements.txt .
RUN pip install -r requirements.txt
RUN cd /app && pip install flask
COPY . .
RUN wget https://example.com/tool.tar.gz | tar xz
EXPOSE 5000
USER root
ENV DEBUG=1
CMD python app.py
