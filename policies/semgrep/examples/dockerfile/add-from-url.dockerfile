FROM debian:12.6-slim
# ruleid: gantry.dockerfile.add-from-url
ADD https://example.com/tool.tar.gz /opt/
# ok: gantry.dockerfile.add-from-url
ADD --checksum=sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa https://example.com/tool.tar.gz /opt/
# ok: gantry.dockerfile.add-from-url
ADD tool.tar.gz /opt/
USER 10001
