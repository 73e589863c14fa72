FROM debian:12.6-slim AS build
# ok: gantry.dockerfile.user-root
USER root
RUN apt-get update

FROM debian:12.6-slim
# ok: gantry.dockerfile.user-root
USER root
RUN useradd --uid 10001 app
USER app
# ruleid: gantry.dockerfile.user-root
USER 0
CMD ["app"]
