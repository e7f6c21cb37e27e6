FROM python:3.12-slim
# expect: DL3044
ENV APP_HOME=/srv/app APP_DATA=$APP_HOME/data
# expect: DL3044
ENV A=1 \
    B="${A}-suffix"
# expect: DL3044
ENV C=1 D=${C:-default}
ENV PATH=/opt/venv/bin:$PATH
ENV JAVA_HOME=/opt/java
# Same value as before: nothing changes.
ENV JAVA_HOME=/opt/java PATH=$JAVA_HOME/bin:$PATH
# expect: DL3044
ENV JAVA_HOME=/opt/jdk21 PATH=$JAVA_HOME/bin:$PATH
# A later pair is not visible either, but nobody expects it to be.
ENV E=$F F=1
ENV G='$G_LITERAL' G_LITERAL=1
ENV H=x I='$H'
# Legacy form sets one variable.
ENV K value with $K
ARG M=1 N=$M
# expect: DL3044
ONBUILD ENV O=1 P=$O
