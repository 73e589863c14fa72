FROM debian:12.6-slim
# ruleid: gantry.dockerfile.curl-pipe-shell-continued
RUN curl -fsSL https://example.com/install.sh \
    | sh
# ok: gantry.dockerfile.curl-pipe-shell-continued
RUN curl -fsSLo /tmp/install.sh https://example.com/install.sh \
    && echo "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa  /tmp/install.sh" | sha256sum -c - \
    && sh /tmp/install.sh
USER 10001
