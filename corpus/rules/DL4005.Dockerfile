FROM debian:12
# expect: DL4005
RUN ln -sf /bin/bash /bin/sh
# expect: DL4005
RUN rm /bin/sh && ln -s bash /bin/sh
# expect: DL4005
RUN ln -sfv /usr/bin/zsh \
      /usr/bin/sh
ARG SH=/bin/sh
# expect: DL4005
ONBUILD RUN ln -sf /bin/dash "$SH"
# Links that point to /bin/sh do not replace it.
RUN ln -s /bin/sh /usr/local/bin/posix-sh
RUN ln -sf /bin/bash /bin/bash5
RUN ln -t /usr/local/bin -s /bin/sh
RUN ["ln", "-sf", "/bin/bash", "/bin/sh"]
SHELL ["/bin/bash", "-c"]
RUN echo ok
