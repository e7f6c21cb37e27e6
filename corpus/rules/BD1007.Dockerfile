FROM python:3.12-slim
# expect: BD1007
CMD ['python', 'app.py']
# expect: BD1007
ENTRYPOINT ['/usr/local/bin/docker-entrypoint.sh']
# expect: BD1007
RUN ['pip', 'install', '--no-cache-dir', 'say "hi"']
# expect: BD1007
SHELL ['/bin/bash', '-o', 'pipefail', '-c']
# expect: BD1007
VOLUME ['/data', "/logs"]
# expect: BD1007
CMD ['python', \
     'it\'s.py']
# expect: BD1007
ONBUILD RUN ['make', 'install']
CMD ["python", "app.py"]
RUN [ -f /etc/os-release ] && echo found
RUN [ '-f' = '/x' ] || true
RUN ['unterminated', 'list'
CMD echo '[not exec form]'
