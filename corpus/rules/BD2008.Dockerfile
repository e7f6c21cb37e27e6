FROM mcr.microsoft.com/powershell:lts-alpine-3.20
# expect: BD2008
SHELL /bin/bash -o pipefail -c
# expect: BD2008
SHELL ['pwsh', '-Command']
# expect: BD2008
SHELL "/bin/sh" -c
SHELL ["pwsh", "-Command"]
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
# expect: BD2008
SHELL $MY_SHELL -c
# expect: BD2008
ONBUILD SHELL /bin/sh -c
RUN echo "SHELL /bin/bash is not an instruction here"
CMD ["pwsh"]
